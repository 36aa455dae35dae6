// A Resolver for tests: answers from a table and counts lookups, so a test can prove that no
// DNS query was made for a numeric host. Never touches the network.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "outbound/resolver.hpp"

namespace gc::outbound {

// Thread-safe. Hosts are matched exactly (callers pass the normalized, lower-case host).
class FakeResolver final : public Resolver {
  public:
    // Makes `host` resolve to `addresses` (which may be empty to simulate an empty answer).
    void Add(std::string host, std::vector<IpAddress> addresses) {
        std::lock_guard lock(mu_);
        table_[std::move(host)] = std::move(addresses);
    }

    // Returns the table entry, or kUpstreamUnreachable for a host not in the table (or with an
    // empty answer, as SystemResolver does).
    core::Result<std::vector<IpAddress>> Resolve(std::string_view host,
                                                 std::uint16_t /*port*/) override {
        ++calls_;
        if (delay_.count() > 0) {
            std::this_thread::sleep_for(delay_);
        }
        std::lock_guard lock(mu_);
        auto it = table_.find(std::string(host));
        if (it == table_.end() || it->second.empty()) {
            return core::Error::Make(core::ErrorCode::kUpstreamUnreachable,
                                     "could not resolve host " + std::string(host));
        }
        return it->second;
    }

    // How many times Resolve was called.
    int calls() const { return calls_.load(); }
    // Each lookup takes this long (a slow DNS server). Set before the lookups start.
    void SetDelay(std::chrono::milliseconds delay) { delay_ = delay; }

  private:
    std::mutex mu_;
    std::map<std::string, std::vector<IpAddress>> table_;  // guarded by mu_
    std::atomic<int> calls_{0};
    std::chrono::milliseconds delay_{0};
};

}  // namespace gc::outbound
