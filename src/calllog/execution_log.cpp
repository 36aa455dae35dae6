#include "calllog/execution_log.hpp"

#include "core/random.hpp"
#include "store/execution_repository.hpp"
#include "store/pagination.hpp"

namespace gc::calllog {
namespace {

using core::Error;

}  // namespace

void ExecutionLog::Record(store::ExecutionRecord rec, ExecutionWriter::Written written) {
    writer_.Write(std::move(rec), std::move(written));
}

core::Result<ExecutionPage> ExecutionLog::List(const core::Scope& scope, const ExecutionQuery& q) {
    std::vector<core::FieldProblem> problems;
    const store::PageRequest page_request = store::ParsePageRequest(q.cursor, q.limit, problems);
    store::ExecutionFilter filter;
    filter.after = page_request.after;
    filter.limit = page_request.limit;
    if (!q.status.empty() && q.status != "success" && q.status != "error") {
        problems.push_back({"status", "must be success or error"});
    }
    if (!q.integration_id.empty() && !core::IsUuid(q.integration_id)) {
        problems.push_back({"integration_id", "must be an integration id"});
    }
    if (!problems.empty()) {
        return Error::Validation(std::move(problems));
    }
    filter.status = q.status;
    filter.integration_id = q.integration_id;
    ExecutionPage page;
    bool has_more = false;
    auto r = db_.Transact(
        {.workspace_id = scope.workspace_id, .user_id = scope.user_id, .read_only = true},
        [&](store::Tx& tx) {
            page.items = store::ListExecutions(tx, scope.workspace_id, filter, has_more);
        });
    if (!r) {
        return r.error();
    }
    if (has_more && !page.items.empty()) {
        page.next_cursor = store::EncodeCursor(page.items.back().created_at, page.items.back().id);
    }
    return page;
}

core::Result<store::ExecutionRecord> ExecutionLog::Get(const core::Scope& scope,
                                                       const std::string& id) {
    if (!core::IsUuid(id)) {
        return Error::NotFound("execution");
    }
    std::optional<store::ExecutionRecord> rec;
    auto r = db_.Transact(
        {.workspace_id = scope.workspace_id, .user_id = scope.user_id, .read_only = true},
        [&](store::Tx& tx) { rec = store::FindExecution(tx, scope.workspace_id, id); });
    if (!r) {
        return r.error();
    }
    if (!rec) {
        return Error::NotFound("execution");
    }
    return *rec;
}

boost::json::object ExecutionToJson(const store::ExecutionRecord& e) {
    auto or_null = [](const std::string& s) {
        return s.empty() ? boost::json::value(nullptr) : boost::json::value(s);
    };
    boost::json::object o{{"id", e.id},
                          {"integration_id", or_null(e.integration_id)},
                          {"integration_name", e.integration_name},
                          {"action_id", or_null(e.action_id)},
                          {"kind", e.kind},
                          {"method", e.method},
                          {"url", e.url},
                          {"status", e.status},
                          {"attempts", e.attempts},
                          {"duration_ms", e.duration_ms},
                          {"error_code", or_null(e.error_code)},
                          {"error_message", or_null(e.error_message)},
                          {"created_at", e.created_at}};
    o["status_code"] =
        e.status_code ? boost::json::value(*e.status_code) : boost::json::value(nullptr);
    return o;
}

}  // namespace gc::calllog
