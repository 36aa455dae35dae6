// A mutex that admits its waiters in the order they arrived (a ticket lock). std::mutex makes no
// such promise: a thread that unlocks and locks again at once usually wins against the waiter it
// just woke, and a writer that loops (the call log's retention sweep) can keep the others out for
// seconds. Meets the Lockable requirements, so std::unique_lock works with it.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace gc::store {

class FifoMutex {
  public:
    void lock() {
        std::unique_lock guard(mu_);
        const std::uint64_t ticket = next_ticket_++;
        turn_changed_.wait(guard, [&] { return serving_ == ticket; });
    }
    bool try_lock() {
        std::lock_guard guard(mu_);
        if (serving_ != next_ticket_) {
            return false;
        }
        ++next_ticket_;
        return true;
    }
    void unlock() {
        {
            std::lock_guard guard(mu_);
            ++serving_;
        }
        turn_changed_.notify_all();
    }

  private:
    std::mutex mu_;
    std::condition_variable turn_changed_;
    std::uint64_t next_ticket_ = 0;
    std::uint64_t serving_ = 0;
};

}  // namespace gc::store
