#include "accounts/login_limiter.hpp"

namespace gc::accounts {

int LoginLimiter::RetryAfter(std::deque<core::TimePoint>& events, int max, core::TimePoint now) {
    while (!events.empty() && events.front() + limits_.window <= now) {
        events.pop_front();
    }
    if (int(events.size()) < max) {
        return 0;
    }
    const auto wait =
        std::chrono::ceil<std::chrono::seconds>(events.front() + limits_.window - now);
    return std::max(1, int(wait.count()));
}

int LoginLimiter::Admit(const std::string& email, const std::string& address) {
    const auto now = clock_.Now();
    std::lock_guard lock(mu_);
    // Bound memory: forget everything when an attacker sprays many distinct keys.
    if (attempts_.size() > 100000 || failures_.size() > 100000) {
        attempts_.clear();
        failures_.clear();
    }
    auto& by_address = attempts_[address];
    if (int wait = RetryAfter(by_address, limits_.attempts_per_address, now); wait > 0) {
        return wait;
    }
    if (int wait = RetryAfter(failures_[email], limits_.failures_per_account, now); wait > 0) {
        return wait;
    }
    by_address.push_back(now);
    return 0;
}

void LoginLimiter::RecordFailure(const std::string& email) {
    const auto now = clock_.Now();
    std::lock_guard lock(mu_);
    failures_[email].push_back(now);
}

void LoginLimiter::RecordSuccess(const std::string& email) {
    std::lock_guard lock(mu_);
    failures_.erase(email);
}

}  // namespace gc::accounts
