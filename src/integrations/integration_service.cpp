#include "integrations/integration_service.hpp"

#include "core/random.hpp"
#include "integrations/integration_input.hpp"
#include "store/integration_repository.hpp"
#include "store/pagination.hpp"

namespace gc::integrations {
namespace {

using core::Error;
using core::ErrorCode;

store::TxContext Context(const core::Scope& scope, bool read_only = false) {
    return {.workspace_id = scope.workspace_id, .user_id = scope.user_id, .read_only = read_only};
}

Error NameTaken(const std::string& name) {
    Error e = Error::Make(ErrorCode::kConflict,
                          "an integration named '" + name + "' already exists in this workspace");
    e.details.push_back({"name", "is already used by another integration"});
    return e;
}

Error ReadOnly() {
    return Error::Make(ErrorCode::kForbidden, "your role in this workspace cannot change it");
}

}  // namespace

core::Result<store::IntegrationPage> IntegrationService::List(const core::Scope& scope,
                                                              const ListQuery& query) {
    std::vector<core::FieldProblem> problems;
    const store::PageRequest page_request =
        store::ParsePageRequest(query.cursor, query.limit, problems);
    store::IntegrationFilter filter;
    filter.after = page_request.after;
    filter.limit = page_request.limit;
    if (query.name.size() > 200) {
        problems.push_back({"name", "must be at most 200 characters"});
    }
    if (!problems.empty()) {
        return Error::Validation(std::move(problems));
    }
    filter.name_contains = query.name;
    store::IntegrationPage page;
    bool has_more = false;
    auto r = db_.Transact(Context(scope, true), [&](store::Tx& tx) {
        page.items = store::ListIntegrations(tx, scope.workspace_id, filter, has_more);
    });
    if (!r) {
        return r.error();
    }
    if (has_more && !page.items.empty()) {
        page.next_cursor = store::EncodeCursor(page.items.back().created_at, page.items.back().id);
    }
    return page;
}

core::Result<store::IntegrationRecord> IntegrationService::Get(const core::Scope& scope,
                                                               const std::string& id) {
    if (!core::IsUuid(id)) {
        return Error::NotFound("integration");
    }
    std::optional<store::IntegrationRecord> rec;
    auto r = db_.Transact(Context(scope, true), [&](store::Tx& tx) {
        rec = store::FindIntegration(tx, scope.workspace_id, id);
    });
    if (!r) {
        return r.error();
    }
    if (!rec) {
        return Error::NotFound("integration");
    }
    return *rec;
}

core::Result<std::shared_ptr<const store::IntegrationRecord>> IntegrationService::GetForCall(
    const core::Scope& scope, const std::string& id) {
    const std::string key = CacheKey(scope, id);
    const auto now = std::chrono::steady_clock::now();
    if (auto cached = call_cache_.Get(key, now)) {
        return cached;
    }
    const auto generation = call_cache_.Generation();
    auto rec = Get(scope, id);
    if (!rec) {
        return rec.error();
    }
    auto shared = std::make_shared<const store::IntegrationRecord>(std::move(*rec));
    call_cache_.Put(key, shared, generation, now);
    return shared;
}

core::Result<store::IntegrationRecord> IntegrationService::Create(const core::Scope& scope,
                                                                  const boost::json::value& body) {
    if (!scope.CanWrite()) {
        return ReadOnly();
    }
    auto parsed = ParseIntegrationInput(body);
    if (!parsed) {
        return parsed.error();
    }
    store::IntegrationRecord rec = std::move(*parsed);
    rec.id = core::NewUuid();
    rec.workspace_id = scope.workspace_id;
    rec.created_by = scope.user_id;
    rec.created_at = rec.updated_at = core::FormatTimestamp(clock_.Now());
    auto r = db_.Transact(Context(scope), [&](store::Tx& tx) {
        if (store::IntegrationNameTaken(tx, scope.workspace_id, rec.name, "")) {
            throw core::ErrorException(NameTaken(rec.name));
        }
        store::InsertIntegration(tx, rec);
    });
    if (!r) {
        // Two creates racing past the check meet the unique index instead.
        if (r.error().code == ErrorCode::kConflict && r.error().details.empty()) {
            return NameTaken(rec.name);
        }
        return r.error();
    }
    return rec;
}

core::Result<store::IntegrationRecord> IntegrationService::Update(const core::Scope& scope,
                                                                  const std::string& id,
                                                                  const boost::json::value& body) {
    if (!core::IsUuid(id)) {
        return Error::NotFound("integration");
    }
    if (!scope.CanWrite()) {
        return ReadOnly();
    }
    auto parsed = ParseIntegrationInput(body);
    if (!parsed) {
        return parsed.error();
    }
    store::IntegrationRecord rec = std::move(*parsed);
    rec.id = id;
    rec.workspace_id = scope.workspace_id;
    rec.updated_at = core::FormatTimestamp(clock_.Now());
    auto r = db_.Transact(Context(scope), [&](store::Tx& tx) {
        auto existing = store::FindIntegration(tx, scope.workspace_id, id);
        if (!existing) {
            throw core::ErrorException(Error::NotFound("integration"));
        }
        if (store::IntegrationNameTaken(tx, scope.workspace_id, rec.name, id)) {
            throw core::ErrorException(NameTaken(rec.name));
        }
        rec.created_at = existing->created_at;
        rec.created_by = existing->created_by;
        store::UpdateIntegration(tx, rec);
    });
    call_cache_.Erase(CacheKey(scope, id));
    if (!r) {
        if (r.error().code == ErrorCode::kConflict && r.error().details.empty()) {
            return NameTaken(rec.name);
        }
        return r.error();
    }
    return rec;
}

core::Result<void> IntegrationService::Delete(const core::Scope& scope, const std::string& id) {
    if (!core::IsUuid(id)) {
        return Error::NotFound("integration");
    }
    if (!scope.CanWrite()) {
        return ReadOnly();
    }
    bool deleted = false;
    auto r = db_.Transact(Context(scope), [&](store::Tx& tx) {
        deleted = store::DeleteIntegration(tx, scope.workspace_id, id);
    });
    call_cache_.Erase(CacheKey(scope, id));
    if (!r) {
        return r.error();
    }
    if (!deleted) {
        return Error::NotFound("integration");
    }
    return {};
}

}  // namespace gc::integrations
