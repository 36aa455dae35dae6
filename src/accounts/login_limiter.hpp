// In-process limits on sign-in attempts, per account and per client address.
#pragma once

#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.hpp"

namespace gc::accounts {

struct LoginLimits {
    int failures_per_account = 5;   // failed attempts for one email within `window`
    int attempts_per_address = 30;  // all attempts from one client address within `window`
    std::chrono::seconds window{300};
};

// Thread-safe. Counts live in this process: with several nodes each node limits on its own
// (the limit an attacker gets is multiplied by the node count; see docs/ARCHITECTURE.md).
class LoginLimiter {
  public:
    LoginLimiter(const core::Clock& clock, LoginLimits limits) : clock_(clock), limits_(limits) {}

    // Records an attempt from address for email. Returns 0 when it may go ahead, otherwise the
    // seconds until it may be tried again.
    int Admit(const std::string& email, const std::string& address);
    void RecordFailure(const std::string& email);
    void RecordSuccess(const std::string& email);

  private:
    int RetryAfter(std::deque<core::TimePoint>& events, int max, core::TimePoint now);

    const core::Clock& clock_;
    LoginLimits limits_;
    std::mutex mu_;
    std::unordered_map<std::string, std::deque<core::TimePoint>> failures_;  // guarded by mu_
    std::unordered_map<std::string, std::deque<core::TimePoint>> attempts_;  // guarded by mu_
};

}  // namespace gc::accounts
