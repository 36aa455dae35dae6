// Unit tests for the retry rules: methods, statuses, backoff with full jitter, Retry-After.
#include "outbound/retry_policy.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace gc::outbound {
namespace {

using core::ErrorCode;
using std::chrono::milliseconds;
using std::chrono::seconds;

// 2026-11-25 06:38:05 UTC.
core::TimePoint Now() {
    return std::chrono::sys_days(std::chrono::year(2026) / 11 / 25) + std::chrono::hours(6) +
           std::chrono::minutes(38) + seconds(5);
}

TEST(RetryPolicy, OnlyIdempotentMethodsRetryWithoutIdempotencyKey) {
    for (const char* method : {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"}) {
        EXPECT_TRUE(IsIdempotentMethod(method)) << method;
        EXPECT_TRUE(MayRetryMethod(method, false)) << method;
    }
    for (const char* method : {"POST", "PATCH", "CONNECT", "get", "", "PROPFIND"}) {
        EXPECT_FALSE(IsIdempotentMethod(method)) << method;
        EXPECT_FALSE(MayRetryMethod(method, false)) << method;
        EXPECT_TRUE(MayRetryMethod(method, true)) << method;
    }
}

TEST(RetryPolicy, RetryableStatusesAreExactlyTheTransientOnes) {
    std::vector<int> retryable;
    for (int status = 100; status < 600; ++status) {
        if (IsRetryableStatus(status)) {
            retryable.push_back(status);
        }
    }
    EXPECT_EQ(retryable, (std::vector<int>{408, 429, 502, 503, 504}));
}

TEST(RetryPolicy, OnlyConnectAndTimeoutErrorsRetry) {
    EXPECT_TRUE(IsRetryableError(ErrorCode::kUpstreamUnreachable));
    EXPECT_TRUE(IsRetryableError(ErrorCode::kUpstreamTimeout));
    for (ErrorCode code : {ErrorCode::kDestinationNotAllowed, ErrorCode::kUpstreamTls,
                           ErrorCode::kUpstreamTooLarge, ErrorCode::kTooManyRedirects,
                           ErrorCode::kBadRequest, ErrorCode::kInternal, ErrorCode::kUnavailable}) {
        EXPECT_FALSE(IsRetryableError(code)) << static_cast<int>(code);
    }
}

TEST(BackoffDelay, FullJitterStaysBelowTheDoublingCap) {
    RetryPolicy policy;
    policy.base_delay = milliseconds(100);
    policy.max_delay = milliseconds(1000);
    // The cap doubles per retry: 100, 200, 400, 800, then max_delay.
    const std::vector<std::int64_t> caps = {100, 200, 400, 800, 1000, 1000};
    for (int retry = 1; retry <= 6; ++retry) {
        const std::int64_t cap = caps[retry - 1];
        EXPECT_EQ(BackoffDelay(policy, retry, 0.0).count(), 0) << retry;
        EXPECT_EQ(BackoffDelay(policy, retry, 0.5).count(), cap / 2) << retry;
        EXPECT_EQ(BackoffDelay(policy, retry, 0.999999).count(), cap - 1) << retry;
    }
}

TEST(BackoffDelay, ClampsRandomAndNeverOverflows) {
    RetryPolicy policy;
    policy.base_delay = milliseconds(200);
    policy.max_delay = milliseconds(5000);
    EXPECT_EQ(BackoffDelay(policy, 1, -3.0).count(), 0);
    EXPECT_EQ(BackoffDelay(policy, 1, 7.0).count(), 199);
    EXPECT_EQ(BackoffDelay(policy, 1, std::nan("")).count(), 0);
    EXPECT_EQ(BackoffDelay(policy, 1000000, 0.5).count(), 2500);
    EXPECT_EQ(BackoffDelay(policy, 0, 0.5).count(), 100);  // treated as the first retry
    policy.max_delay = milliseconds(0);
    EXPECT_EQ(BackoffDelay(policy, 3, 0.9).count(), 0);
}

TEST(ParseRetryAfter, ReadsDelaySeconds) {
    EXPECT_EQ(ParseRetryAfter("1", Now()), milliseconds(1000));
    EXPECT_EQ(ParseRetryAfter(" 120 ", Now()), milliseconds(120000));
    EXPECT_EQ(ParseRetryAfter("0", Now()), milliseconds(0));
    // Saturates instead of overflowing.
    EXPECT_EQ(ParseRetryAfter("99999999999999999999999", Now()),
              milliseconds(100LL * 365 * 24 * 3600 * 1000));
}

TEST(ParseRetryAfter, ReadsTheThreeHttpDateForms) {
    // Now() + 90 s is 06:39:35 on Wednesday 2026-11-25.
    EXPECT_EQ(ParseRetryAfter("Wed, 25 Nov 2026 06:39:35 GMT", Now()), milliseconds(90000));
    EXPECT_EQ(ParseRetryAfter("Wednesday, 25-Nov-26 06:39:35 GMT", Now()), milliseconds(90000));
    EXPECT_EQ(ParseRetryAfter("Wed Nov 25 06:39:35 2026", Now()), milliseconds(90000));
    // asctime pads a one-digit day with a space.
    const auto dec1 = std::chrono::sys_days(std::chrono::year(2026) / 12 / 1);
    EXPECT_EQ(ParseRetryAfter("Tue Dec  1 00:00:00 2026", dec1 - seconds(2)), milliseconds(2000));
    EXPECT_EQ(ParseRetryAfter("Tue, 01 Dec 2026 00:00:00 GMT", dec1 - seconds(2)),
              milliseconds(2000));
}

TEST(ParseRetryAfter, DateInThePastMeansNow) {
    EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", Now()), milliseconds(0));
    EXPECT_EQ(ParseRetryAfter("Wed, 25 Nov 2026 06:38:05 GMT", Now()), milliseconds(0));
}

TEST(ParseRetryAfter, RejectsJunk) {
    const std::vector<std::string> junk = {
        "",
        "   ",
        "-1",
        "1.5",
        "10s",
        "soon",
        "Wed, 25 Nov 2026 06:39:35 UTC",   // must be GMT
        "Wed, 25 Nov 2026 06:39:35",       // zone missing
        "Wed, 31 Nov 2026 06:39:35 GMT",   // no such day
        "Wed, 25 Foo 2026 06:39:35 GMT",   // no such month
        "Wed, 25 Nov 2026 25:39:35 GMT",   // no such hour
        "Wed, 5 Nov 2026 06:39:35 GMT",    // IMF-fixdate has two-digit days
        "Wed Nov 25 06:39:35 2026 extra",  // trailing text
        "Wednesday, 25-Nov-2026 06:39:35 GMT",
    };
    for (const auto& value : junk) {
        EXPECT_FALSE(ParseRetryAfter(value, Now()).has_value()) << value;
    }
}

TEST(NextRetryDelay, RetriesTransientStatusForIdempotentMethodsOnly) {
    RetryPolicy policy;
    const AttemptOutcome unavailable{503, std::nullopt, std::nullopt};
    const milliseconds plenty(30000);
    auto get = NextRetryDelay(policy, "GET", false, 1, unavailable, plenty, 0.5);
    ASSERT_TRUE(get.has_value());
    EXPECT_EQ(*get, milliseconds(100));  // half of base_delay, the first retry's cap
    EXPECT_FALSE(NextRetryDelay(policy, "POST", false, 1, unavailable, plenty, 0.5));
    EXPECT_TRUE(NextRetryDelay(policy, "POST", true, 1, unavailable, plenty, 0.5));
    EXPECT_FALSE(
        NextRetryDelay(policy, "GET", false, 1, {500, std::nullopt, std::nullopt}, plenty, 0.5));
    EXPECT_FALSE(
        NextRetryDelay(policy, "GET", false, 1, {200, std::nullopt, std::nullopt}, plenty, 0.5));
}

TEST(NextRetryDelay, StopsAtMaxAttempts) {
    RetryPolicy policy;
    policy.max_attempts = 3;
    const AttemptOutcome timeout{0, ErrorCode::kUpstreamTimeout, std::nullopt};
    EXPECT_TRUE(NextRetryDelay(policy, "GET", false, 1, timeout, milliseconds(30000), 0.1));
    EXPECT_TRUE(NextRetryDelay(policy, "GET", false, 2, timeout, milliseconds(30000), 0.1));
    EXPECT_FALSE(NextRetryDelay(policy, "GET", false, 3, timeout, milliseconds(30000), 0.1));
    policy.max_attempts = 1;
    EXPECT_FALSE(NextRetryDelay(policy, "GET", false, 1, timeout, milliseconds(30000), 0.1));
}

TEST(NextRetryDelay, ErrorsOtherThanConnectAndTimeoutAreFinal) {
    RetryPolicy policy;
    EXPECT_TRUE(NextRetryDelay(policy, "GET", false, 1,
                               {0, ErrorCode::kUpstreamUnreachable, std::nullopt},
                               milliseconds(30000), 0.1));
    EXPECT_FALSE(NextRetryDelay(policy, "GET", false, 1, {0, ErrorCode::kUpstreamTls, std::nullopt},
                                milliseconds(30000), 0.1));
    EXPECT_FALSE(NextRetryDelay(policy, "GET", false, 1,
                                {0, ErrorCode::kDestinationNotAllowed, std::nullopt},
                                milliseconds(30000), 0.1));
}

TEST(NextRetryDelay, HonoursRetryAfterWithinLimits) {
    RetryPolicy policy;
    policy.max_delay = milliseconds(5000);
    AttemptOutcome limited{429, std::nullopt, milliseconds(1000)};
    EXPECT_EQ(NextRetryDelay(policy, "GET", false, 1, limited, milliseconds(30000), 0.0),
              milliseconds(1000));
    // Longer than max_delay: no early retry, the 429 goes back to the caller.
    limited.retry_after = milliseconds(6000);
    EXPECT_FALSE(NextRetryDelay(policy, "GET", false, 1, limited, milliseconds(30000), 0.0));
    // Longer than what is left of max_total: likewise.
    limited.retry_after = milliseconds(2000);
    EXPECT_FALSE(NextRetryDelay(policy, "GET", false, 1, limited, milliseconds(1500), 0.0));
}

TEST(NextRetryDelay, BackoffMustFitBeforeTheDeadline) {
    RetryPolicy policy;
    policy.base_delay = milliseconds(1000);
    const AttemptOutcome bad_gateway{502, std::nullopt, std::nullopt};
    EXPECT_TRUE(NextRetryDelay(policy, "GET", false, 1, bad_gateway, milliseconds(600), 0.5));
    EXPECT_FALSE(NextRetryDelay(policy, "GET", false, 1, bad_gateway, milliseconds(400), 0.5));
    EXPECT_FALSE(NextRetryDelay(policy, "GET", false, 1, bad_gateway, milliseconds(0), 0.0));
}

}  // namespace
}  // namespace gc::outbound
