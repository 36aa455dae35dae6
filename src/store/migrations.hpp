// Versioned schema migrations for both backends, embedded in the binary from migrations/.
#pragma once

#include <string>
#include <vector>

#include "store/database.hpp"

namespace gc::store {

struct Migration {
    int version;
    const char* name;
    const char* sql;
};

const std::vector<Migration>& Embedded_sqlite();
const std::vector<Migration>& Embedded_pg();

struct MigrationReport {
    std::vector<std::string> applied;  // names applied by this run, in order
    int current_version = 0;
};

// Applies every pending migration of db's backend, each in its own transaction together with its
// row in schema_migrations, so each is applied exactly once even when several processes migrate
// at the same moment (PostgreSQL: an advisory lock; SQLite: BEGIN IMMEDIATE). On PostgreSQL, db
// must be connected as the owner role; app_role, when not empty, is granted SELECT, INSERT,
// UPDATE and DELETE on every table (no TRUNCATE, no ownership).
core::Result<MigrationReport> Migrate(Database& db, const std::string& app_role = {});
// Migrate, but only up to target_version (tests of an upgrade start from an older schema).
core::Result<MigrationReport> MigrateTo(Database& db, int target_version,
                                        const std::string& app_role = {});

// The PostgreSQL role name from a libpq URI ("postgresql://gc_app@/db?..." -> "gc_app"), or "".
std::string RoleFromPostgresUrl(const std::string& url);

}  // namespace gc::store
