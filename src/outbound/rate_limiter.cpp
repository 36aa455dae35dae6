// Token buckets with reservation for outbound rate limits (see rate_limiter.hpp).
#include "outbound/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace gc::outbound {

std::chrono::nanoseconds RateLimiter::Reserve(std::string_view key, const RateLimit& limit,
                                              TimePoint now) {
    if (key.empty() || !(limit.requests_per_second > 0)) {
        return std::chrono::nanoseconds(0);
    }
    const double rate = limit.requests_per_second;
    const double burst = static_cast<double>(std::max(limit.burst, 1));
    auto it = buckets_.find(key);
    if (it == buckets_.end()) {
        it = buckets_.emplace(std::string(key), Bucket{burst, now}).first;
    }
    Bucket& bucket = it->second;
    if (now > bucket.updated) {
        const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
        bucket.tokens = std::min(burst, bucket.tokens + elapsed * rate);
        bucket.updated = now;
    }
    // A lowered burst applies at once, even to a bucket refilled under the old one.
    bucket.tokens = std::min(bucket.tokens, burst);
    bucket.tokens -= 1.0;
    if (bucket.tokens >= 0) {
        return std::chrono::nanoseconds(0);
    }
    // Rounded to the nearest nanosecond: floating-point dust must not add a tick.
    const double wait_seconds = -bucket.tokens / rate;
    return std::chrono::nanoseconds(std::llround(wait_seconds * 1e9));
}

}  // namespace gc::outbound
