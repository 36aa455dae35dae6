// SQL for custom integrations and their actions. Every query names the workspace itself; on
// PostgreSQL row level security checks it a second time. Throws DbError.
#pragma once

#include <optional>

#include "store/database.hpp"
#include "store/integration_records.hpp"

namespace gc::store {

// Inserts the integration and its actions (positions in vector order).
void InsertIntegration(Tx& tx, const IntegrationRecord& rec);
// Replaces the integration's fields and its whole action list; false if not in the workspace.
bool UpdateIntegration(Tx& tx, const IntegrationRecord& rec);
// Deletes it with its actions and credentials (ON DELETE CASCADE); false if absent.
bool DeleteIntegration(Tx& tx, const std::string& workspace_id, const std::string& id);
// With actions, in their order.
std::optional<IntegrationRecord> FindIntegration(Tx& tx, const std::string& workspace_id,
                                                 const std::string& id);
// True when another integration of the workspace has this name.
bool IntegrationNameTaken(Tx& tx, const std::string& workspace_id, const std::string& name,
                          const std::string& except_id);
// Newest first, with actions; at most filter.limit items. `has_more` says a next page exists.
std::vector<IntegrationRecord> ListIntegrations(Tx& tx, const std::string& workspace_id,
                                                const IntegrationFilter& filter, bool& has_more);

}  // namespace gc::store
