// Retry decisions for outbound calls (see retry_policy.hpp).
#include "outbound/retry_policy.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string>

namespace gc::outbound {
namespace {

using std::chrono::milliseconds;

// Retry-After values beyond this are clamped; no policy waits that long anyway.
constexpr std::int64_t kMaxRetryAfterSeconds = 100LL * 365 * 24 * 3600;

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> kShortDays = {"Mon", "Tue", "Wed", "Thu",
                                                        "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> kLongDays = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

std::string_view Trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A small cursor over the date text: each Take* consumes exactly what it names or fails.
class Cursor {
  public:
    explicit Cursor(std::string_view text) : text_(text) {}

    bool Literal(std::string_view s) {
        if (text_.substr(0, s.size()) != s) {
            return false;
        }
        text_.remove_prefix(s.size());
        return true;
    }
    // Exactly `width` digits.
    bool Digits(int width, int& out) {
        if (text_.size() < static_cast<std::size_t>(width)) {
            return false;
        }
        out = 0;
        for (int i = 0; i < width; ++i) {
            if (!IsDigit(text_[i])) {
                return false;
            }
            out = out * 10 + (text_[i] - '0');
        }
        text_.remove_prefix(width);
        return true;
    }
    // One of `names`, returning its index.
    template <std::size_t N>
    bool OneOf(const std::array<std::string_view, N>& names, int& index) {
        for (std::size_t i = 0; i < N; ++i) {
            if (Literal(names[i])) {
                index = static_cast<int>(i);
                return true;
            }
        }
        return false;
    }
    // "HH:MM:SS".
    bool Time(int& h, int& m, int& s) {
        return Digits(2, h) && Literal(":") && Digits(2, m) && Literal(":") && Digits(2, s);
    }
    bool Done() const { return text_.empty(); }

  private:
    std::string_view text_;
};

// The UTC instant of a calendar date and time, or nullopt when the date does not exist.
std::optional<core::TimePoint> MakeTime(int year, int month, int day, int h, int m, int s) {
    const std::chrono::year_month_day ymd{std::chrono::year(year),
                                          std::chrono::month(static_cast<unsigned>(month)),
                                          std::chrono::day(static_cast<unsigned>(day))};
    if (!ymd.ok() || h > 23 || m > 59 || s > 60) {
        return std::nullopt;
    }
    const auto instant = std::chrono::sys_days(ymd) + std::chrono::hours(h) +
                         std::chrono::minutes(m) + std::chrono::seconds(s);
    return std::chrono::time_point_cast<core::TimePoint::duration>(instant);
}

// "Sun, 06 Nov 1994 08:49:37 GMT"
std::optional<core::TimePoint> ParseImfFixdate(std::string_view text) {
    Cursor c(text);
    int weekday = 0, day = 0, month = 0, year = 0, h = 0, m = 0, s = 0;
    if (c.OneOf(kShortDays, weekday) && c.Literal(", ") && c.Digits(2, day) && c.Literal(" ") &&
        c.OneOf(kMonths, month) && c.Literal(" ") && c.Digits(4, year) && c.Literal(" ") &&
        c.Time(h, m, s) && c.Literal(" GMT") && c.Done()) {
        return MakeTime(year, month + 1, day, h, m, s);
    }
    return std::nullopt;
}

// "Sunday, 06-Nov-94 08:49:37 GMT". A two-digit year that would be more than 50 years in the
// future is taken as the past century (RFC 9110 section 5.6.7); the current century otherwise.
std::optional<core::TimePoint> ParseRfc850(std::string_view text, core::TimePoint now) {
    Cursor c(text);
    int weekday = 0, day = 0, month = 0, yy = 0, h = 0, m = 0, s = 0;
    if (!(c.OneOf(kLongDays, weekday) && c.Literal(", ") && c.Digits(2, day) && c.Literal("-") &&
          c.OneOf(kMonths, month) && c.Literal("-") && c.Digits(2, yy) && c.Literal(" ") &&
          c.Time(h, m, s) && c.Literal(" GMT") && c.Done())) {
        return std::nullopt;
    }
    const int current_year = static_cast<int>(
        std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(now)).year());
    int year = current_year / 100 * 100 + yy;
    if (year > current_year + 50) {
        year -= 100;
    }
    return MakeTime(year, month + 1, day, h, m, s);
}

// "Sun Nov  6 08:49:37 1994" (day padded with a space) or "Sun Nov 16 08:49:37 1994".
std::optional<core::TimePoint> ParseAsctime(std::string_view text) {
    Cursor c(text);
    int weekday = 0, day = 0, month = 0, year = 0, h = 0, m = 0, s = 0;
    if (!(c.OneOf(kShortDays, weekday) && c.Literal(" ") && c.OneOf(kMonths, month) &&
          c.Literal(" "))) {
        return std::nullopt;
    }
    if (c.Literal(" ")) {
        if (!c.Digits(1, day)) {
            return std::nullopt;
        }
    } else if (!c.Digits(2, day)) {
        return std::nullopt;
    }
    if (c.Literal(" ") && c.Time(h, m, s) && c.Literal(" ") && c.Digits(4, year) && c.Done()) {
        return MakeTime(year, month + 1, day, h, m, s);
    }
    return std::nullopt;
}

}  // namespace

bool IsIdempotentMethod(std::string_view method) {
    return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" ||
           method == "OPTIONS";
}

bool MayRetryMethod(std::string_view method, bool idempotency_key_present) {
    return idempotency_key_present || IsIdempotentMethod(method);
}

bool IsRetryableStatus(int status) {
    return status == 408 || status == 429 || status == 502 || status == 503 || status == 504;
}

bool IsRetryableError(core::ErrorCode code) {
    return code == core::ErrorCode::kUpstreamUnreachable ||
           code == core::ErrorCode::kUpstreamTimeout;
}

milliseconds BackoffDelay(const RetryPolicy& policy, int retry, double unit_random) {
    const double max_delay =
        static_cast<double>(std::max<std::int64_t>(policy.max_delay.count(), 0));
    const double base = static_cast<double>(std::max<std::int64_t>(policy.base_delay.count(), 0));
    // 2^62 already exceeds any millisecond count; stop doubling there so nothing overflows.
    const int doublings = std::clamp(retry - 1, 0, 62);
    const double cap = std::min(max_delay, std::ldexp(base, doublings));
    if (!(unit_random > 0.0)) {
        unit_random = 0.0;  // also catches NaN
    }
    unit_random = std::min(unit_random, 1.0);
    const double delay = std::min(std::floor(cap * unit_random), std::max(cap - 1.0, 0.0));
    return milliseconds(static_cast<std::int64_t>(delay));
}

std::optional<milliseconds> ParseRetryAfter(std::string_view value, core::TimePoint now) {
    value = Trim(value);
    if (value.empty()) {
        return std::nullopt;
    }
    if (std::all_of(value.begin(), value.end(), IsDigit)) {
        std::int64_t seconds = 0;
        for (char ch : value) {
            seconds = std::min(seconds * 10 + (ch - '0'), kMaxRetryAfterSeconds);
        }
        return std::chrono::duration_cast<milliseconds>(std::chrono::seconds(seconds));
    }
    std::optional<core::TimePoint> when = ParseImfFixdate(value);
    if (!when) {
        when = ParseRfc850(value, now);
    }
    if (!when) {
        when = ParseAsctime(value);
    }
    if (!when) {
        return std::nullopt;
    }
    if (*when <= now) {
        return milliseconds(0);
    }
    const auto delay = std::chrono::duration_cast<milliseconds>(*when - now);
    return std::min(delay, milliseconds(kMaxRetryAfterSeconds * 1000));
}

std::optional<milliseconds> NextRetryDelay(const RetryPolicy& policy, std::string_view method,
                                           bool idempotency_key_present, int attempts_made,
                                           const AttemptOutcome& outcome, milliseconds remaining,
                                           double unit_random) {
    const bool retryable =
        outcome.error ? IsRetryableError(*outcome.error) : IsRetryableStatus(outcome.status);
    if (!retryable || !MayRetryMethod(method, idempotency_key_present) ||
        attempts_made >= policy.max_attempts) {
        return std::nullopt;
    }
    milliseconds delay{0};
    if (outcome.retry_after) {
        if (*outcome.retry_after > policy.max_delay) {
            return std::nullopt;
        }
        delay = *outcome.retry_after;
    } else {
        delay = BackoffDelay(policy, attempts_made, unit_random);
    }
    if (delay >= remaining) {
        return std::nullopt;
    }
    return delay;
}

}  // namespace gc::outbound
