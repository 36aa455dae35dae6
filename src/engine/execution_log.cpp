#include "engine/execution_log.hpp"

#include <charconv>

#include "core/base64.hpp"
#include "core/random.hpp"
#include "store/execution_repository.hpp"

namespace gc::engine {
namespace {

using core::Error;

std::optional<store::ListPosition> DecodeCursor(const std::string& cursor) {
    auto raw = core::Base64UrlDecode(cursor);
    if (!raw) {
        return std::nullopt;
    }
    const auto bar = raw->find('|');
    if (bar == std::string::npos) {
        return std::nullopt;
    }
    store::ListPosition pos{raw->substr(0, bar), raw->substr(bar + 1)};
    core::TimePoint t;
    if (!core::ParseTimestamp(pos.created_at, t) || !core::IsUuid(pos.id)) {
        return std::nullopt;
    }
    pos.created_at = core::FormatTimestamp(t);
    return pos;
}

}  // namespace

core::Result<void> ExecutionLog::Record(const core::Scope& scope, const store::ExecutionRecord& rec) {
    return db_.Transact({.workspace_id = scope.workspace_id, .user_id = scope.user_id},
                        [&](store::Tx& tx) { store::InsertExecution(tx, rec); });
}

core::Result<ExecutionPage> ExecutionLog::List(const core::Scope& scope, const ExecutionQuery& q) {
    store::ExecutionFilter filter;
    std::vector<core::FieldProblem> problems;
    if (!q.limit.empty()) {
        int limit = 0;
        auto [ptr, ec] = std::from_chars(q.limit.data(), q.limit.data() + q.limit.size(), limit);
        if (ec != std::errc() || ptr != q.limit.data() + q.limit.size() || limit < 1 || limit > 200) {
            problems.push_back({"limit", "must be an integer from 1 to 200"});
        } else {
            filter.limit = limit;
        }
    }
    if (!q.cursor.empty()) {
        filter.after = DecodeCursor(q.cursor);
        if (!filter.after) {
            problems.push_back({"cursor", "is not a cursor this server gave out"});
        }
    }
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
    auto r = db_.Transact({.workspace_id = scope.workspace_id, .user_id = scope.user_id, .read_only = true},
                          [&](store::Tx& tx) {
                              page.items = store::ListExecutions(tx, scope.workspace_id, filter, has_more);
                          });
    if (!r) {
        return r.error();
    }
    if (has_more && !page.items.empty()) {
        page.next_cursor =
            core::Base64UrlEncodeNoPad(page.items.back().created_at + "|" + page.items.back().id);
    }
    return page;
}

core::Result<store::ExecutionRecord> ExecutionLog::Get(const core::Scope& scope, const std::string& id) {
    if (!core::IsUuid(id)) {
        return Error::NotFound("execution");
    }
    std::optional<store::ExecutionRecord> rec;
    auto r = db_.Transact({.workspace_id = scope.workspace_id, .user_id = scope.user_id, .read_only = true},
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
    o["status_code"] = e.status_code ? boost::json::value(*e.status_code) : boost::json::value(nullptr);
    return o;
}

}  // namespace gc::engine
