// Per-key token buckets for outbound calls: a call that finds the bucket empty is told how long
// to wait for its turn instead of being refused. Time is passed in, so tests drive it.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>

namespace gc::outbound {

// Requests per second and burst for one key (e.g. one integration). A rate of 0 or less means
// unlimited; a burst below 1 is taken as 1.
struct RateLimit {
    double requests_per_second = 0;
    int burst = 0;
};

// Token buckets keyed by string. A bucket starts full (`burst` tokens) and refills at
// requests_per_second up to `burst`. Reserve always takes a token, letting the bucket go into
// debt, and returns when that token becomes due: successive callers are spaced 1/rate apart in
// arrival order, so a queue of waiting calls is served first come, first served without a queue
// data structure. Not thread-safe: the outbound loop owns it. Buckets are kept for the life of
// the limiter (one per key; keys are integration ids, a bounded set).
class RateLimiter {
  public:
    using TimePoint = std::chrono::steady_clock::time_point;

    // Takes a token from `key`'s bucket at `now` and returns how long the caller must wait
    // before sending (zero when a token was available). An empty key or an unlimited `limit`
    // returns zero and keeps no state. The bucket adopts `limit` if it changed since the last
    // call. `now` must not go backwards for a key; if it does, the bucket does not refill.
    std::chrono::nanoseconds Reserve(std::string_view key, const RateLimit& limit, TimePoint now);

    // Number of buckets kept (for tests).
    std::size_t size() const { return buckets_.size(); }

  private:
    struct Bucket {
        double tokens = 0;  // negative while calls wait for future tokens
        TimePoint updated;
    };
    std::map<std::string, Bucket, std::less<>> buckets_;
};

}  // namespace gc::outbound
