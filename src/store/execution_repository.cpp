#include "store/execution_repository.hpp"

namespace gc::store {
namespace {

constexpr std::string_view kInsert =
    "INSERT INTO executions (id, workspace_id, user_id, integration_id, integration_name,"
    " action_id, kind, method, url, status, status_code, attempts, duration_ms, error_code,"
    " error_message, created_at) VALUES ($1, $2, $3,"
    // An integration deleted while its call was in flight: the record keeps its name, not a
    // dangling id (which the foreign key would refuse, losing the record).
    " (SELECT id FROM custom_integrations WHERE id = $4), $5, $6, $7, $8, $9, $10, $11, $12, $13,"
    " $14, $15, $16)";
constexpr std::string_view kColumns =
    "SELECT id, workspace_id, user_id, integration_id, integration_name, action_id, kind, method,"
    " url, status, status_code, attempts, duration_ms, error_code, error_message, created_at"
    " FROM executions";

constexpr std::string_view kBeginRetention =
    "SELECT set_config('app.maintenance', 'retention', true)";
constexpr std::string_view kWorkspaceIds = "SELECT id FROM workspaces ORDER BY id";
// Both deletes walk the workspace's list index from its oldest end, limit rows at a time, so one
// transaction holds the write lock (SQLite) or its row locks (PostgreSQL) only briefly.
constexpr std::string_view kDeleteBefore =
    "DELETE FROM executions WHERE id IN (SELECT id FROM executions"
    " WHERE workspace_id = $1 AND created_at < $2 ORDER BY created_at, id LIMIT $3)";
// The newest record past the ones kept: it and everything older goes.
constexpr std::string_view kFirstBeyondNewest =
    "SELECT created_at, id FROM executions WHERE workspace_id = $1"
    " ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET $2";
constexpr std::string_view kDeleteUpTo =
    "DELETE FROM executions WHERE id IN (SELECT id FROM executions WHERE workspace_id = $1"
    " AND (created_at < $2 OR (created_at = $2 AND id <= $3)) ORDER BY created_at, id LIMIT $4)";

Param OrNull(const std::string& s) { return s.empty() ? Param(nullptr) : Param(s); }

ExecutionRecord FromRow(const Row& r) {
    ExecutionRecord e;
    e.id = r.Text(0);
    e.workspace_id = r.Text(1);
    e.user_id = r.Text(2);
    e.integration_id = r.Text(3);
    e.integration_name = r.Text(4);
    e.action_id = r.Text(5);
    e.kind = r.Text(6);
    e.method = r.Text(7);
    e.url = r.Text(8);
    e.status = r.Text(9);
    if (!r.IsNull(10)) {
        e.status_code = int(r.Int(10));
    }
    e.attempts = int(r.Int(11));
    e.duration_ms = int(r.Int(12));
    e.error_code = r.Text(13);
    e.error_message = r.Text(14);
    e.created_at = r.Time(15);
    return e;
}

}  // namespace

void InsertExecution(Tx& tx, const ExecutionRecord& e) {
    tx.Exec(kInsert, {e.id, e.workspace_id, OrNull(e.user_id), OrNull(e.integration_id),
                      e.integration_name, OrNull(e.action_id), e.kind, e.method, e.url, e.status,
                      e.status_code ? Param(std::int64_t(*e.status_code)) : Param(nullptr),
                      std::int64_t(e.attempts), std::int64_t(e.duration_ms), OrNull(e.error_code),
                      OrNull(e.error_message), e.created_at});
}

std::optional<ExecutionRecord> FindExecution(Tx& tx, const std::string& workspace_id,
                                             const std::string& id) {
    auto rows = tx.Query(std::string(kColumns) + " WHERE workspace_id = $1 AND id = $2",
                         {workspace_id, id});
    if (rows.empty()) {
        return std::nullopt;
    }
    return FromRow(rows[0]);
}

SqlStatement ListExecutionsStatement(const std::string& workspace_id,
                                     const ExecutionFilter& filter) {
    SqlStatement st{std::string(kColumns) + " WHERE workspace_id = $1", {workspace_id}};
    auto next = [&st](Param p) {
        st.params.push_back(std::move(p));
        std::string placeholder = "$";
        placeholder += std::to_string(st.params.size());
        return placeholder;
    };
    if (!filter.integration_id.empty()) {
        st.sql += " AND integration_id = " + next(filter.integration_id);
    }
    if (!filter.status.empty()) {
        st.sql += " AND status = " + next(filter.status);
    }
    if (filter.after) {
        const std::string at = next(filter.after->created_at);
        const std::string id = next(filter.after->id);
        st.sql += " AND (created_at < " + at + " OR (created_at = " + at + " AND id < " + id + "))";
    }
    st.sql += " ORDER BY created_at DESC, id DESC LIMIT " + std::to_string(filter.limit + 1);
    return st;
}

std::vector<ExecutionRecord> ListExecutions(Tx& tx, const std::string& workspace_id,
                                            const ExecutionFilter& filter, bool& has_more) {
    const SqlStatement st = ListExecutionsStatement(workspace_id, filter);
    std::vector<ExecutionRecord> out;
    for (const Row& r : tx.Query(st.sql, st.params)) {
        out.push_back(FromRow(r));
    }
    has_more = int(out.size()) > filter.limit;
    if (has_more) {
        out.pop_back();
    }
    return out;
}

void BeginExecutionRetention(Tx& tx) {
    if (tx.backend() == Backend::kPostgres) {
        tx.Query(kBeginRetention);
    }
}

std::vector<std::string> ListWorkspaceIds(Tx& tx) {
    std::vector<std::string> ids;
    for (const Row& r : tx.Query(kWorkspaceIds)) {
        ids.push_back(r.Text(0));
    }
    return ids;
}

std::int64_t DeleteExecutionsBefore(Tx& tx, const std::string& workspace_id,
                                    const std::string& cutoff, int limit) {
    return tx.Exec(kDeleteBefore, {workspace_id, cutoff, std::int64_t(limit)});
}

std::optional<ListPosition> FindFirstBeyondNewest(Tx& tx, const std::string& workspace_id,
                                                  std::int64_t keep) {
    const Rows first = tx.Query(kFirstBeyondNewest, {workspace_id, keep});
    if (first.empty()) {
        return std::nullopt;
    }
    // Raw column text, not Row::Time: PostgreSQL compares it back as the timestamptz it printed.
    return ListPosition{first[0].Text(0), first[0].Text(1)};
}

std::int64_t DeleteExecutionsUpTo(Tx& tx, const std::string& workspace_id, const ListPosition& last,
                                  int limit) {
    return tx.Exec(kDeleteUpTo, {workspace_id, last.created_at, last.id, std::int64_t(limit)});
}

}  // namespace gc::store
