// SQL for the call log. Throws DbError.
#pragma once

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

}  // namespace gc::store
