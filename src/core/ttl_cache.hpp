// A small thread-safe cache of immutable values that expire after a fixed time, for reads the
// request path makes on every call (an API token's principal, an integration's definition).
//
// Invalidation in this process is exact: Erase and Clear also stop a read that was in flight
// when they ran from storing what it read (its generation is stale). Other processes sharing
// the database are not told: there an entry lives at most `ttl`.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace gc::core {

template <class Value>
class TtlCache {
  public:
    using Clock = std::chrono::steady_clock;

    // max_entries bounds memory: a Put that finds the cache full empties it first.
    TtlCache(Clock::duration ttl, std::size_t max_entries) : ttl_(ttl), max_(max_entries) {}

    // The value for key if it was stored less than ttl before now.
    std::shared_ptr<const Value> Get(const std::string& key, Clock::time_point now) const {
        std::lock_guard lock(mu_);
        auto it = entries_.find(key);
        if (it == entries_.end() || now - it->second.stored >= ttl_) {
            return nullptr;
        }
        return it->second.value;
    }

    // Read before loading a value from the database; pass it to Put.
    std::uint64_t Generation() const {
        std::lock_guard lock(mu_);
        return generation_;
    }

    // Stores value unless an Erase or Clear ran since `generation` was read.
    void Put(const std::string& key, std::shared_ptr<const Value> value, std::uint64_t generation,
             Clock::time_point now) {
        std::lock_guard lock(mu_);
        if (generation != generation_ || ttl_ <= Clock::duration::zero()) {
            return;
        }
        if (entries_.size() >= max_ && !entries_.contains(key)) {
            entries_.clear();
        }
        entries_[key] = Entry{std::move(value), now};
    }

    void Erase(const std::string& key) {
        std::lock_guard lock(mu_);
        ++generation_;
        entries_.erase(key);
    }

    void Clear() {
        std::lock_guard lock(mu_);
        ++generation_;
        entries_.clear();
    }

    std::size_t size() const {
        std::lock_guard lock(mu_);
        return entries_.size();
    }

  private:
    struct Entry {
        std::shared_ptr<const Value> value;
        Clock::time_point stored;
    };

    const Clock::duration ttl_;
    const std::size_t max_;
    mutable std::mutex mu_;
    std::unordered_map<std::string, Entry> entries_;
    std::uint64_t generation_ = 0;
};

}  // namespace gc::core
