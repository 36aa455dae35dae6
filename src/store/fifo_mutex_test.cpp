// FifoMutex admits waiters in arrival order: a thread that unlocks and locks again at once goes
// behind the thread already waiting (with std::mutex it usually gets back in first).
#include "store/fifo_mutex.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace gc::store {
namespace {

using namespace std::chrono_literals;

TEST(FifoMutex, AHolderThatUnlocksAndLocksAgainQueuesBehindTheWaiter) {
    FifoMutex mu;
    std::atomic<bool> waiter_had_it{false};
    mu.lock();
    std::thread waiter([&] {
        std::lock_guard guard(mu);
        waiter_had_it = true;
    });
    std::this_thread::sleep_for(50ms);  // the waiter is queued
    mu.unlock();
    mu.lock();  // std::mutex: usually back in before the woken waiter runs
    EXPECT_TRUE(waiter_had_it.load());
    EXPECT_FALSE(mu.try_lock());
    mu.unlock();
    waiter.join();
}

TEST(FifoMutex, WaitersGetTheLockInTheOrderTheyAsked) {
    FifoMutex mu;
    std::vector<int> order;
    std::vector<std::thread> waiters;
    mu.lock();
    for (int i = 0; i < 5; ++i) {
        waiters.emplace_back([&, i] {
            std::lock_guard guard(mu);
            order.push_back(i);
        });
        std::this_thread::sleep_for(20ms);  // thread i is queued before thread i + 1 starts
    }
    mu.unlock();
    for (auto& t : waiters) {
        t.join();
    }
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(FifoMutex, TryLockFailsWhileHeldOrAwaitedAndSucceedsWhenFree) {
    FifoMutex mu;
    EXPECT_TRUE(mu.try_lock());
    EXPECT_FALSE(mu.try_lock());
    mu.unlock();
    EXPECT_TRUE(mu.try_lock());
    mu.unlock();
}

}  // namespace
}  // namespace gc::store
