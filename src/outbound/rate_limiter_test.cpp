// Unit tests for the per-key token buckets, driven by hand-made time points.
#include "outbound/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace gc::outbound {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using TimePoint = RateLimiter::TimePoint;

TimePoint At(int ms) { return TimePoint{} + std::chrono::hours(1) + milliseconds(ms); }

TEST(RateLimiter, BurstPassesThenCallersAreSpacedByTheRate) {
    RateLimiter limiter;
    const RateLimit limit{5, 2};  // 5 per second: one token every 200 ms
    EXPECT_EQ(limiter.Reserve("a", limit, At(0)), nanoseconds(0));
    EXPECT_EQ(limiter.Reserve("a", limit, At(0)), nanoseconds(0));
    // The bucket is empty: later callers wait their turn, in order, 200 ms apart.
    EXPECT_EQ(limiter.Reserve("a", limit, At(0)), milliseconds(200));
    EXPECT_EQ(limiter.Reserve("a", limit, At(0)), milliseconds(400));
    EXPECT_EQ(limiter.Reserve("a", limit, At(0)), milliseconds(600));
}

TEST(RateLimiter, SixCallsAtFivePerSecondWithBurstOneSpanOneSecond) {
    RateLimiter limiter;
    const RateLimit limit{5, 1};
    nanoseconds last{0};
    for (int i = 0; i < 6; ++i) {
        last = limiter.Reserve("integration-1", limit, At(0));
    }
    EXPECT_EQ(last, milliseconds(1000));
}

TEST(RateLimiter, RefillsWhileIdleButNeverBeyondBurst) {
    RateLimiter limiter;
    const RateLimit limit{10, 3};
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(limiter.Reserve("a", limit, At(0)), nanoseconds(0));
    }
    EXPECT_EQ(limiter.Reserve("a", limit, At(0)), milliseconds(100));  // one in debt
    // 150 ms later the debt is paid and half a token has come back.
    EXPECT_EQ(limiter.Reserve("a", limit, At(150)), milliseconds(50));
    // After a long pause only `burst` calls pass at once.
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(limiter.Reserve("a", limit, At(60000)), nanoseconds(0)) << i;
    }
    EXPECT_EQ(limiter.Reserve("a", limit, At(60000)), milliseconds(100));
}

TEST(RateLimiter, KeysAreIndependent) {
    RateLimiter limiter;
    const RateLimit limit{1, 1};
    EXPECT_EQ(limiter.Reserve("a", limit, At(0)), nanoseconds(0));
    EXPECT_EQ(limiter.Reserve("b", limit, At(0)), nanoseconds(0));
    EXPECT_EQ(limiter.Reserve("a", limit, At(0)), milliseconds(1000));
    EXPECT_EQ(limiter.size(), 2u);
}

TEST(RateLimiter, UnlimitedOrUnkeyedCallsNeverWaitAndKeepNoState) {
    RateLimiter limiter;
    for (int i = 0; i < 100; ++i) {
        EXPECT_EQ(limiter.Reserve("a", RateLimit{0, 5}, At(0)), nanoseconds(0));
        EXPECT_EQ(limiter.Reserve("a", RateLimit{-1, 5}, At(0)), nanoseconds(0));
        EXPECT_EQ(limiter.Reserve("", RateLimit{1, 1}, At(0)), nanoseconds(0));
    }
    EXPECT_EQ(limiter.size(), 0u);
}

TEST(RateLimiter, BurstBelowOneMeansOne) {
    RateLimiter limiter;
    const RateLimit limit{2, 0};
    EXPECT_EQ(limiter.Reserve("a", limit, At(0)), nanoseconds(0));
    EXPECT_EQ(limiter.Reserve("a", limit, At(0)), milliseconds(500));
}

TEST(RateLimiter, TimeGoingBackwardsDoesNotRefill) {
    RateLimiter limiter;
    const RateLimit limit{1, 1};
    EXPECT_EQ(limiter.Reserve("a", limit, At(5000)), nanoseconds(0));
    EXPECT_EQ(limiter.Reserve("a", limit, At(0)), milliseconds(1000));
}

TEST(RateLimiter, ALoweredBurstAppliesAtOnce) {
    RateLimiter limiter;
    EXPECT_EQ(limiter.Reserve("a", RateLimit{1, 10}, At(0)), nanoseconds(0));  // 9 left
    EXPECT_EQ(limiter.Reserve("a", RateLimit{1, 1}, At(0)), nanoseconds(0));  // capped to 1, 0 left
    EXPECT_EQ(limiter.Reserve("a", RateLimit{1, 1}, At(0)), milliseconds(1000));
}

}  // namespace
}  // namespace gc::outbound
