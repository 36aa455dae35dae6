// The production backend: PostgreSQL through libpq, a pool of connections, tenant context per
// transaction for row level security.
#pragma once

#include <memory>
#include <string>

#include "store/database.hpp"

namespace gc::store {

// Connects pool_size connections to url (a libpq URI). Returns kUnavailable if any fails; the
// error's internal detail carries libpq's message with the password removed.
core::Result<std::unique_ptr<Database>> OpenPostgresDatabase(const std::string& url, int pool_size);

}  // namespace gc::store
