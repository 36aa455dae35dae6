// Custom integrations: the rules for listing, reading, creating, replacing and deleting them in
// the caller's workspace.
#pragma once

#include <boost/json/value.hpp>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/scope.hpp"
#include "store/database.hpp"
#include "store/integration_records.hpp"

namespace gc::integrations {

struct ListQuery {
    std::string name;    // substring of name or display_name; empty: all
    std::string cursor;  // from a previous page's next_cursor; empty: first page
    std::string limit;   // as given in the query string; empty: 50
};

// Thread-safe; blocks on the database (call from worker threads). Another workspace's id
// answers kNotFound, exactly like an id that does not exist.
class IntegrationService {
  public:
    IntegrationService(store::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

    core::Result<store::IntegrationPage> List(const core::Scope& scope, const ListQuery& query);
    core::Result<store::IntegrationRecord> Get(const core::Scope& scope, const std::string& id);
    // kValidation with every field problem; kConflict when the name is taken in the workspace.
    core::Result<store::IntegrationRecord> Create(const core::Scope& scope,
                                                  const boost::json::value& body);
    // Replaces every field and the whole action list, in one transaction.
    core::Result<store::IntegrationRecord> Update(const core::Scope& scope, const std::string& id,
                                                  const boost::json::value& body);
    // Deletes it with its actions and credentials.
    core::Result<void> Delete(const core::Scope& scope, const std::string& id);

  private:
    store::Database& db_;
    const core::Clock& clock_;
};

}  // namespace gc::integrations
