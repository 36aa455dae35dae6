#include "store/migrations.hpp"

#include <boost/url/parse.hpp>
#include <limits>

#include "core/clock.hpp"

namespace gc::store {
namespace {

constexpr const char* kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)";
constexpr std::string_view kSelectApplied = "SELECT 1 FROM schema_migrations WHERE version = $1";
constexpr std::string_view kInsertApplied =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)";
constexpr std::string_view kSelectVersion =
    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
// One number for every connector process: migrations on PostgreSQL run one process at a time.
constexpr std::string_view kLockMigrations = "SELECT pg_advisory_xact_lock(748213901)";

std::string QuoteIdent(const std::string& id) {
    std::string out = "\"";
    for (char c : id) {
        out += c;
        if (c == '"') {
            out += '"';
        }
    }
    return out + "\"";
}

}  // namespace

core::Result<MigrationReport> Migrate(Database& db, const std::string& app_role) {
    return MigrateTo(db, std::numeric_limits<int>::max(), app_role);
}

core::Result<MigrationReport> MigrateTo(Database& db, int target_version,
                                        const std::string& app_role) {
    const bool pg = db.backend() == Backend::kPostgres;
    const auto& migrations = pg ? Embedded_pg() : Embedded_sqlite();
    MigrationReport report;

    auto created = db.Transact({}, [&](Tx& tx) {
        if (pg) {
            tx.Query(kLockMigrations);
        }
        tx.ExecScript(kCreateMigrationsTable);
    });
    if (!created) {
        return created.error();
    }
    for (const auto& m : migrations) {
        if (m.version > target_version) {
            break;
        }
        auto r = db.Transact({}, [&](Tx& tx) {
            if (pg) {
                tx.Query(kLockMigrations);
            }
            if (!tx.Query(kSelectApplied, {std::int64_t(m.version)}).empty()) {
                return;
            }
            tx.ExecScript(m.sql);
            tx.Exec(kInsertApplied, {std::int64_t(m.version), std::string(m.name),
                                     core::FormatTimestamp(std::chrono::system_clock::now())});
            report.applied.emplace_back(m.name);
        });
        if (!r) {
            auto e = r.error();
            e.message = std::string("migration ") + m.name + " failed";
            return e;
        }
    }
    auto r = db.Transact({}, [&](Tx& tx) {
        report.current_version = int(tx.Query(kSelectVersion).at(0).Int(0));
        if (pg && !app_role.empty()) {
            const std::string role = QuoteIdent(app_role);
            tx.ExecScript(
                "GRANT USAGE ON SCHEMA public TO " + role +
                "; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + role +
                "; REVOKE ALL ON schema_migrations FROM " + role +
                "; GRANT SELECT ON schema_migrations TO " + role);
        }
    });
    if (!r) {
        return r.error();
    }
    return report;
}

std::string RoleFromPostgresUrl(const std::string& url) {
    auto u = boost::urls::parse_uri(url);
    if (!u) {
        return {};
    }
    if (u->has_userinfo()) {
        return std::string(u->user());
    }
    for (auto param : u->params()) {
        if (param.key == "user") {
            return std::string(param.value);
        }
    }
    return {};
}

}  // namespace gc::store
