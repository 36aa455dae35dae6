#include "calllog/execution_retention.hpp"

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/log.hpp"
#include "core/thread_name.hpp"
#include "store/execution_repository.hpp"

namespace gc::calllog {
namespace {

// Deletes batch after batch with delete_batch until one comes back short. After each full batch
// it rests as long as the batch took (at most 100 ms), so a long backlog takes at most about half
// of the database's write time and the call log's own commits keep their turn.
core::Result<std::int64_t> DeleteInBatches(
    store::Database& db, int batch_size, RetentionReport& report, const std::stop_token& stop,
    const std::function<std::int64_t(store::Tx&)>& delete_batch) {
    std::int64_t deleted = 0;
    std::int64_t last = batch_size;
    while (last == batch_size && !stop.stop_requested()) {
        const auto started = std::chrono::steady_clock::now();
        auto r = db.Transact({}, [&](store::Tx& tx) {
            store::BeginExecutionRetention(tx);
            last = delete_batch(tx);
        });
        if (!r) {
            return r.error();
        }
        ++report.delete_transactions;
        deleted += last;
        if (last == batch_size) {
            std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
                std::chrono::steady_clock::now() - started, std::chrono::milliseconds(100)));
        }
    }
    return deleted;
}

}  // namespace

core::Result<RetentionReport> SweepExecutions(store::Database& db, const RetentionPolicy& policy,
                                              core::TimePoint now, const std::stop_token& stop) {
    RetentionReport report;
    if (policy.KeepsEverything()) {
        return report;
    }
    const int batch = std::max(1, policy.batch_size);
    std::vector<std::string> workspaces;
    auto listed = db.Transact({.read_only = true}, [&](store::Tx& tx) {
        store::BeginExecutionRetention(tx);
        workspaces = store::ListWorkspaceIds(tx);
    });
    if (!listed) {
        return listed.error();
    }
    const std::string cutoff = core::FormatTimestamp(now - policy.max_age);
    for (const std::string& ws : workspaces) {
        if (stop.stop_requested()) {
            break;
        }
        ++report.workspaces;
        if (policy.max_age.count() > 0) {
            auto n = DeleteInBatches(db, batch, report, stop, [&](store::Tx& tx) {
                return store::DeleteExecutionsBefore(tx, ws, cutoff, batch);
            });
            if (!n) {
                return n.error();
            }
            report.deleted_by_age += *n;
        }
        if (policy.max_per_workspace > 0) {
            // The boundary is found once (a walk over the records kept); the deletes then take
            // the oldest up to it, batch by batch. Records added meanwhile are newer than it.
            std::optional<store::ListPosition> last;
            auto found = db.Transact({.read_only = true}, [&](store::Tx& tx) {
                store::BeginExecutionRetention(tx);
                last = store::FindFirstBeyondNewest(tx, ws, policy.max_per_workspace);
            });
            if (!found) {
                return found.error();
            }
            if (!last) {
                continue;
            }
            auto n = DeleteInBatches(db, batch, report, stop, [&](store::Tx& tx) {
                return store::DeleteExecutionsUpTo(tx, ws, *last, batch);
            });
            if (!n) {
                return n.error();
            }
            report.deleted_by_count += *n;
        }
    }
    return report;
}

ExecutionRetention::ExecutionRetention(store::Database& db, RetentionPolicy policy,
                                       const core::Clock& clock, std::chrono::seconds interval)
    : db_(db),
      policy_(policy),
      clock_(clock),
      interval_(std::max(interval, std::chrono::seconds(1))),
      thread_([this](const std::stop_token& stop) { Run(stop); }) {}

ExecutionRetention::~ExecutionRetention() {
    thread_.request_stop();  // wakes the wait below at once
    thread_.join();
}

void ExecutionRetention::Run(const std::stop_token& stop) {
    core::NameThisThread("gc-retention");
    while (!stop.stop_requested()) {
        auto swept = SweepExecutions(db_, policy_, clock_.Now(), stop);
        if (!swept) {
            core::LogWarn("call log retention: sweep failed; tried again at the next interval",
                          {{"error", swept.error().internal.empty() ? swept.error().message
                                                                    : swept.error().internal}});
        } else if (swept->deleted_by_age + swept->deleted_by_count > 0) {
            core::LogInfo("call log retention: records deleted",
                          {{"by_age", swept->deleted_by_age},
                           {"by_count", swept->deleted_by_count},
                           {"workspaces", swept->workspaces}});
        }
        std::unique_lock lock(mu_);
        wake_.wait_for(lock, stop, interval_, [] { return false; });
    }
}

}  // namespace gc::calllog
