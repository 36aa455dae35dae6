// Custom integrations: the rules for listing, reading, creating, replacing and deleting them in
// the caller's workspace.
#pragma once

#include <boost/json/value.hpp>
#include <chrono>
#include <memory>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/scope.hpp"
#include "core/ttl_cache.hpp"
#include "store/database.hpp"
#include "store/integration_records.hpp"

namespace gc::integrations {

struct ListQuery {
    std::string name;    // substring of name or display_name; empty: all
    std::string cursor;  // from a previous page's next_cursor; empty: first page
    std::string limit;   // as given in the query string; empty: 50
};

// How long GetForCall may serve an integration without reading it again. Changes made through
// this process are seen at once; those made by another process on the same database (another
// node on PostgreSQL) within this time.
inline constexpr std::chrono::seconds kCallCacheTtl{5};

// Thread-safe; blocks on the database (call from worker threads). Another workspace's id
// answers kNotFound, exactly like an id that does not exist.
class IntegrationService {
  public:
    IntegrationService(store::Database& db, const core::Clock& clock,
                       std::chrono::steady_clock::duration call_cache_ttl = kCallCacheTtl)
        : db_(db), clock_(clock), call_cache_(call_cache_ttl, kCallCacheEntries) {}

    core::Result<store::IntegrationPage> List(const core::Scope& scope, const ListQuery& query);
    core::Result<store::IntegrationRecord> Get(const core::Scope& scope, const std::string& id);
    // Get for the calling path (every /test and /api/execute): served from a cache that Update
    // and Delete in this process clear, so a call does not read the database each time.
    core::Result<std::shared_ptr<const store::IntegrationRecord>> GetForCall(
        const core::Scope& scope, const std::string& id);
    // kValidation with every field problem; kConflict when the name is taken in the workspace.
    core::Result<store::IntegrationRecord> Create(const core::Scope& scope,
                                                  const boost::json::value& body);
    // Replaces every field and the whole action list, in one transaction.
    core::Result<store::IntegrationRecord> Update(const core::Scope& scope, const std::string& id,
                                                  const boost::json::value& body);
    // Deletes it with its actions and credentials.
    core::Result<void> Delete(const core::Scope& scope, const std::string& id);

  private:
    static constexpr std::size_t kCallCacheEntries = 10000;
    static std::string CacheKey(const core::Scope& scope, const std::string& id) {
        return scope.workspace_id + "/" + id;
    }

    store::Database& db_;
    const core::Clock& clock_;
    core::TtlCache<store::IntegrationRecord> call_cache_;
};

}  // namespace gc::integrations
