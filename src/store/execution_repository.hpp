// SQL for the call log. Throws DbError.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "store/execution_records.hpp"

namespace gc::store {

void InsertExecution(Tx& tx, const ExecutionRecord& rec);
std::optional<ExecutionRecord> FindExecution(Tx& tx, const std::string& workspace_id,
                                             const std::string& id);
// The statement ListExecutions runs (filter.limit + 1 rows, to tell whether more follow).
struct SqlStatement {
    std::string sql;
    std::vector<Param> params;
};
SqlStatement ListExecutionsStatement(const std::string& workspace_id,
                                     const ExecutionFilter& filter);
// Newest first; at most filter.limit; has_more says a next page exists.
std::vector<ExecutionRecord> ListExecutions(Tx& tx, const std::string& workspace_id,
                                            const ExecutionFilter& filter, bool& has_more);

// Retention (calllog::SweepExecutions). On PostgreSQL the transaction must run as the owner role
// and call BeginExecutionRetention first: only then are every workspace and its call records
// visible (migration 006). A no-op on SQLite.
void BeginExecutionRetention(Tx& tx);
// Every workspace's id, in id order.
std::vector<std::string> ListWorkspaceIds(Tx& tx);
// Deletes at most limit of the workspace's oldest records created before cutoff (RFC 3339);
// returns how many it deleted.
std::int64_t DeleteExecutionsBefore(Tx& tx, const std::string& workspace_id,
                                    const std::string& cutoff, int limit);
// The newest of the workspace's records beyond its newest keep (it and every older one are
// past a cap of keep), as the backend prints it; nullopt when it has keep or fewer.
std::optional<ListPosition> FindFirstBeyondNewest(Tx& tx, const std::string& workspace_id,
                                                  std::int64_t keep);
// Deletes at most limit of the workspace's oldest records at or before last; returns how many.
std::int64_t DeleteExecutionsUpTo(Tx& tx, const std::string& workspace_id, const ListPosition& last,
                                  int limit);

}  // namespace gc::store
