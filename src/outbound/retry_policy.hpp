// When an outbound call is tried again and how long it waits first: which methods and outcomes
// retry, capped exponential backoff with full jitter, and the Retry-After header. Pure functions.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace gc::outbound {

// How hard one call tries. Plain value; the defaults suit an interactive API call.
struct RetryPolicy {
    int max_attempts = 3;  // attempts in all, the first included; 1 (or less) means no retry
    std::chrono::milliseconds base_delay{200};  // backoff cap before the first retry
    std::chrono::milliseconds max_delay{5000};  // no wait between attempts is longer
    // Bound on the whole call from the start of its first attempt: attempts, waits and
    // redirects. A retry that would start after it is not made.
    std::chrono::milliseconds max_total{30000};
};

// True for the methods HTTP defines as idempotent that we retry: GET, HEAD, PUT, DELETE,
// OPTIONS. Methods are case-sensitive, as in HTTP ("get" is not GET).
bool IsIdempotentMethod(std::string_view method);

// True when a call with this method may be sent again: an idempotent method, or any method when
// the caller sent an Idempotency-Key.
bool MayRetryMethod(std::string_view method, bool idempotency_key_present);

// True for the statuses worth another attempt: 408, 429, 502, 503, 504.
bool IsRetryableStatus(int status);

// True for the errors worth another attempt: kUpstreamUnreachable (connect, reset, DNS) and
// kUpstreamTimeout. Refusals, TLS failures and everything else are final.
bool IsRetryableError(core::ErrorCode code);

// The wait before retry number `retry` (1 for the first retry) with full jitter: a uniform draw
// in [0, min(max_delay, base_delay * 2^(retry-1))), taken as `unit_random` * cap, where
// `unit_random` is in [0, 1) (clamped). Never negative; never overflows for any `retry`.
std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int retry, double unit_random);

// Reads a Retry-After value: delay-seconds ("120") or an HTTP-date in any of the three forms
// RFC 9110 requires a recipient to accept (IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850
// "Sunday, 06-Nov-94 08:49:37 GMT", asctime "Sun Nov  6 08:49:37 1994"). A date is turned into a
// delay against `now`; a date in the past gives 0. Surrounding spaces are ignored. Returns
// nullopt for anything else (negative numbers, junk, impossible dates). Huge values saturate at
// 100 years rather than overflow.
std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value,
                                                         core::TimePoint now);

// How one attempt ended: a response status, or an error.
struct AttemptOutcome {
    int status = 0;                                        // 0 when `error` is set
    std::optional<core::ErrorCode> error;                  // set when no response came
    std::optional<std::chrono::milliseconds> retry_after;  // from ParseRetryAfter, if any
};

// The wait before the next attempt, or nullopt when the call must end with this outcome.
// Retries when the outcome is retryable (IsRetryableStatus / IsRetryableError), the method may be
// retried (MayRetryMethod), fewer than policy.max_attempts attempts were made, and the wait fits
// before the deadline (`remaining` is what is left of max_total). The wait is `retry_after` when
// the server gave one, otherwise BackoffDelay(policy, attempts_made, unit_random). A Retry-After
// longer than policy.max_delay or than `remaining` is not shortened: the call ends at once with
// this outcome, since retrying before the server's time would only be refused again, and the
// caller sees the response with its Retry-After.
std::optional<std::chrono::milliseconds> NextRetryDelay(
    const RetryPolicy& policy, std::string_view method, bool idempotency_key_present,
    int attempts_made, const AttemptOutcome& outcome, std::chrono::milliseconds remaining,
    double unit_random);

}  // namespace gc::outbound
