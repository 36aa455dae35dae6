// Retention for the call log: records older than a maximum age, and a workspace's records beyond
// its newest N, are deleted, so the log's disk use is bounded (n8n prunes its execution data the
// same two ways). The sweep walks one workspace at a time in short transactions, so calls being
// logged meanwhile wait at most one batch.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <stop_token>
#include <thread>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "store/database.hpp"

namespace gc::calllog {

struct RetentionPolicy {
    std::chrono::hours max_age{0};       // 0: records are kept whatever their age
    std::int64_t max_per_workspace = 0;  // 0: no cap on a workspace's count
    int batch_size = 250;                // records deleted per transaction

    bool KeepsEverything() const { return max_age.count() == 0 && max_per_workspace == 0; }
};

struct RetentionReport {
    std::int64_t deleted_by_age = 0;
    std::int64_t deleted_by_count = 0;
    int workspaces = 0;
    int delete_transactions = 0;
};

// One sweep at time now. db must reach every workspace: on PostgreSQL the owner role (see
// store::BeginExecutionRetention), on SQLite the server's own database. A stop request ends the
// sweep after the batch in progress.
core::Result<RetentionReport> SweepExecutions(store::Database& db, const RetentionPolicy& policy,
                                              core::TimePoint now,
                                              const std::stop_token& stop = {});

// Runs SweepExecutions on its own thread: once at start, then every interval, until destroyed
// (which stops it within one batch). A sweep that fails is logged and tried again next time.
class ExecutionRetention {
  public:
    ExecutionRetention(store::Database& db, RetentionPolicy policy, const core::Clock& clock,
                       std::chrono::seconds interval);
    ~ExecutionRetention();
    ExecutionRetention(const ExecutionRetention&) = delete;
    ExecutionRetention& operator=(const ExecutionRetention&) = delete;

  private:
    void Run(const std::stop_token& stop);

    store::Database& db_;
    const RetentionPolicy policy_;
    const core::Clock& clock_;
    const std::chrono::seconds interval_;
    std::mutex mu_;
    std::condition_variable_any wake_;
    std::jthread thread_;  // last: started once the members above exist
};

}  // namespace gc::calllog
