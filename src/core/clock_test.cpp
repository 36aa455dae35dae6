#include "core/clock.hpp"

#include <gtest/gtest.h>

namespace gc::core {
namespace {

TEST(Timestamp, FormatsRfc3339WithMilliseconds) {
    const TimePoint t = TimePoint(std::chrono::milliseconds(1764052685123));
    EXPECT_EQ(FormatTimestamp(t), "2025-11-25T06:38:05.123Z");
}

TEST(Timestamp, ParsesPostgresOutputAndRfc3339Alike) {
    TimePoint a, b;
    ASSERT_TRUE(ParseTimestamp("2025-11-25 06:38:05.123+00", a));
    ASSERT_TRUE(ParseTimestamp("2025-11-25T06:38:05.123Z", b));
    EXPECT_EQ(a, b);
    EXPECT_EQ(NormalizeTimestamp("2025-11-25 07:38:05.5+01"), "2025-11-25T06:38:05.500Z");
}

TEST(Timestamp, RejectsGarbage) {
    TimePoint t;
    EXPECT_FALSE(ParseTimestamp("yesterday", t));
    EXPECT_FALSE(ParseTimestamp("2025-13-01T00:00:00Z", t));
}

}  // namespace
}  // namespace gc::core
