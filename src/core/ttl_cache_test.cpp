#include "core/ttl_cache.hpp"

#include <gtest/gtest.h>

namespace gc::core {
namespace {

using std::chrono::seconds;
using Cache = TtlCache<std::string>;

TEST(TtlCache, ServesAValueUntilItsTimeIsUp) {
    Cache cache(seconds(5), 10);
    const auto t0 = Cache::Clock::time_point{} + seconds(100);
    cache.Put("k", std::make_shared<const std::string>("v"), cache.Generation(), t0);
    ASSERT_NE(cache.Get("k", t0 + seconds(4)), nullptr);
    EXPECT_EQ(*cache.Get("k", t0 + seconds(4)), "v");
    EXPECT_EQ(cache.Get("k", t0 + seconds(5)), nullptr);
    EXPECT_EQ(cache.Get("other", t0), nullptr);
}

TEST(TtlCache, EraseAndClearForgetAtOnce) {
    Cache cache(seconds(5), 10);
    const auto t0 = Cache::Clock::time_point{} + seconds(100);
    cache.Put("a", std::make_shared<const std::string>("1"), cache.Generation(), t0);
    cache.Put("b", std::make_shared<const std::string>("2"), cache.Generation(), t0);
    cache.Erase("a");
    EXPECT_EQ(cache.Get("a", t0), nullptr);
    EXPECT_NE(cache.Get("b", t0), nullptr);
    cache.Clear();
    EXPECT_EQ(cache.Get("b", t0), nullptr);
}

TEST(TtlCache, AReadInFlightDuringAnEraseDoesNotStoreWhatItRead) {
    // A reader loads from the database, a writer changes the row and erases the key, then the
    // reader stores its (now old) value: the cache must refuse it.
    Cache cache(seconds(5), 10);
    const auto t0 = Cache::Clock::time_point{} + seconds(100);
    const auto before_read = cache.Generation();
    cache.Erase("k");
    cache.Put("k", std::make_shared<const std::string>("old"), before_read, t0);
    EXPECT_EQ(cache.Get("k", t0), nullptr);
    cache.Put("k", std::make_shared<const std::string>("new"), cache.Generation(), t0);
    EXPECT_EQ(*cache.Get("k", t0), "new");
}

TEST(TtlCache, StaysWithinItsSize) {
    Cache cache(seconds(5), 3);
    const auto t0 = Cache::Clock::time_point{} + seconds(100);
    for (int i = 0; i < 10; ++i) {
        cache.Put(std::to_string(i), std::make_shared<const std::string>("v"), cache.Generation(),
                  t0);
        EXPECT_LE(cache.size(), 3u);
    }
    EXPECT_NE(cache.Get("9", t0), nullptr);
}

TEST(TtlCache, AZeroTimeMeansNoCaching) {
    Cache cache(seconds(0), 3);
    const auto t0 = Cache::Clock::time_point{} + seconds(100);
    cache.Put("k", std::make_shared<const std::string>("v"), cache.Generation(), t0);
    EXPECT_EQ(cache.Get("k", t0), nullptr);
}

}  // namespace
}  // namespace gc::core
