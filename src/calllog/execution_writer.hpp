// Group commit for the call log: one thread writes every execution record queued since its last
// commit in one transaction per workspace, then reports each record's outcome. Under load a
// commit (and on SQLite its WAL append, on PostgreSQL its round trips and flush) serves many
// calls instead of one.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "store/database.hpp"
#include "store/execution_records.hpp"

namespace gc::calllog {

class ExecutionWriter {
  public:
    using Written = std::function<void(core::Result<void>)>;

    // max_batch bounds the records of one commit (and so a commit's latency).
    explicit ExecutionWriter(store::Database& db, std::size_t max_batch = 256);
    // Writes everything still queued, then stops.
    ~ExecutionWriter();
    ExecutionWriter(const ExecutionWriter&) = delete;
    ExecutionWriter& operator=(const ExecutionWriter&) = delete;

    // Queues rec; never blocks on the database. written runs once, on the writer's thread,
    // after rec's transaction committed (or failed): keep it short, hand heavy work elsewhere.
    // A record whose group fails is retried alone, so one bad record fails only itself.
    void Write(store::ExecutionRecord rec, Written written);

    // Records committed so far, and commits made (for tests and the benchmark).
    std::size_t records_written() const;
    std::size_t commits() const;

  private:
    struct Pending {
        store::ExecutionRecord rec;
        Written written;
    };

    void Run();
    void WriteBatch(std::vector<Pending>& batch);
    core::Result<void> Insert(const std::vector<Pending*>& group);

    store::Database& db_;
    const std::size_t max_batch_;
    mutable std::mutex mu_;
    std::condition_variable wake_;
    std::deque<Pending> queue_;
    bool stopping_ = false;
    std::size_t records_written_ = 0;
    std::size_t commits_ = 0;
    std::thread thread_;  // last: started once the members above exist
};

}  // namespace gc::calllog
