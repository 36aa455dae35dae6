#include "core/clock.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>
#include <random>

namespace gc::core {
namespace {

TEST(Timestamp, FormatsRfc3339WithMilliseconds) {
    const TimePoint t = TimePoint(std::chrono::milliseconds(1764052685123));
    EXPECT_EQ(FormatTimestamp(t), "2025-11-25T06:38:05.123Z");
}

// What FormatTimestamp printed before it did its own calendar arithmetic.
std::string FormatWithGmtime(std::int64_t ms) {
    std::time_t secs = std::time_t(ms / 1000);
    int millis = int(ms % 1000);
    if (millis < 0) {
        millis += 1000;
        secs -= 1;
    }
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
    return buf;
}

TEST(Timestamp, FormatsAsGmtimeDoesAcrossCenturiesLeapDaysAndBeforeTheEpoch) {
    // The epoch and the ms around it; 2000-02-29 (a leap year by the 400 rule); 2100-02-28 to
    // 03-01 (no leap day); 2024-02-29 to 03-01; 1900-01-01 and the ms before it; 2200-01-01.
    const std::vector<std::int64_t> edges{0,
                                          -1,
                                          -1000,
                                          999,
                                          951782399999,
                                          951782400000,
                                          951868799999,
                                          4107542399999,
                                          4107542400000,
                                          1709251199999,
                                          1709251200000,
                                          -2208988800000,
                                          -2208988800001,
                                          7258118400000};
    for (auto ms : edges) {
        EXPECT_EQ(FormatTimestamp(TimePoint(std::chrono::milliseconds(ms))), FormatWithGmtime(ms))
            << ms;
    }
    std::mt19937_64 rng(20261202);
    std::uniform_int_distribution<std::int64_t> any(-2208988800000, 7258118400000);  // 1900-2200
    for (int i = 0; i < 200000; ++i) {
        const std::int64_t ms = any(rng);
        ASSERT_EQ(FormatTimestamp(TimePoint(std::chrono::milliseconds(ms))), FormatWithGmtime(ms))
            << ms;
    }
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
