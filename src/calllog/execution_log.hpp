// The call log: every call made through /test or /api/execute, as stored and listed.
#pragma once

#include <boost/json/object.hpp>

#include "calllog/execution_writer.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/scope.hpp"
#include "store/database.hpp"
#include "store/execution_records.hpp"

namespace gc::calllog {

struct ExecutionQuery {
    std::string integration_id;
    std::string status;
    std::string cursor;
    std::string limit;
};

struct ExecutionPage {
    std::vector<store::ExecutionRecord> items;
    std::string next_cursor;
};

// Thread-safe. List and Get block on the database (worker threads only); Record does not.
class ExecutionLog {
  public:
    explicit ExecutionLog(store::Database& db) : db_(db), writer_(db) {}

    // Stores a finished call (group-committed, see ExecutionWriter): written runs on the writer's
    // thread once the record is committed, so a caller answered after it finds the record
    // listed. The record must already be redacted (no credential values) and carry its
    // workspace.
    void Record(store::ExecutionRecord rec, ExecutionWriter::Written written);
    core::Result<ExecutionPage> List(const core::Scope& scope, const ExecutionQuery& query);
    core::Result<store::ExecutionRecord> Get(const core::Scope& scope, const std::string& id);

  private:
    store::Database& db_;
    ExecutionWriter writer_;
};

boost::json::object ExecutionToJson(const store::ExecutionRecord& rec);

}  // namespace gc::calllog
