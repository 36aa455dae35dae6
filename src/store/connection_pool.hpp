// A fixed set of connections handed out one at a time; used by both backends.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace gc::store {

// Thread-safe. Acquire blocks up to `wait` for a free connection and returns nullptr on timeout.
template <class Conn>
class ConnectionPool {
  public:
    void Add(std::unique_ptr<Conn> c) {
        std::lock_guard lock(mu_);
        free_.push_back(std::move(c));
        cv_.notify_one();
    }

    std::unique_ptr<Conn> Acquire(std::chrono::milliseconds wait) {
        std::unique_lock lock(mu_);
        if (!cv_.wait_for(lock, wait, [&] { return !free_.empty(); })) {
            return nullptr;
        }
        auto c = std::move(free_.back());
        free_.pop_back();
        return c;
    }

    void Release(std::unique_ptr<Conn> c) { Add(std::move(c)); }

  private:
    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<std::unique_ptr<Conn>> free_;  // guarded by mu_
};

// Returns the connection to the pool when it goes out of scope.
template <class Conn>
class PooledConnection {
  public:
    PooledConnection(ConnectionPool<Conn>& pool, std::unique_ptr<Conn> c)
        : pool_(pool), conn_(std::move(c)) {}
    ~PooledConnection() {
        if (conn_) {
            pool_.Release(std::move(conn_));
        }
    }
    PooledConnection(const PooledConnection&) = delete;
    PooledConnection& operator=(const PooledConnection&) = delete;
    Conn* operator->() { return conn_.get(); }
    Conn& operator*() { return *conn_; }

  private:
    ConnectionPool<Conn>& pool_;
    std::unique_ptr<Conn> conn_;
};

}  // namespace gc::store
