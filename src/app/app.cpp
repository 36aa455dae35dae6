#include "app/app.hpp"

#include <chrono>
#include <filesystem>
#include <iostream>
#include <optional>

#include "accounts/account_service.hpp"
#include "api/routes.hpp"
#include "app/service_graph.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "calllog/execution_retention.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "store/migrations.hpp"
#include "vault/fernet.hpp"
#include "vault/key_rotation.hpp"
#include "vault/key_setup.hpp"

namespace gc::app {
namespace {

void ConfigureLogging(const Config& config) {
    const std::string& l = config.log_level;
    core::SetLogLevel(l == "debug"   ? core::LogLevel::kDebug
                      : l == "warn"  ? core::LogLevel::kWarn
                      : l == "error" ? core::LogLevel::kError
                                     : core::LogLevel::kInfo);
}

void Fail(const std::string& message, const core::Error& e) {
    std::cerr << "connector: " << message << ": " << e.message << "\n";
    if (!e.internal.empty()) {
        core::LogError(message, {{"detail", e.internal}});
    }
}

// Opens the database the server uses. For SQLite, creates the data directory (mode 0700).
core::Result<std::unique_ptr<store::Database>> OpenAppDatabase(const Config& config) {
    if (!config.UsesPostgres()) {
        std::error_code ec;
        std::filesystem::create_directories(config.data_dir, ec);
        if (ec) {
            return core::Error::Make(core::ErrorCode::kUnavailable,
                                     "cannot create CONNECTOR_DATA_DIR " + config.data_dir);
        }
        std::filesystem::permissions(config.data_dir, std::filesystem::perms::owner_all,
                                     std::filesystem::perm_options::replace, ec);
    }
    return store::OpenDatabase({.url = config.database_url,
                                .sqlite_path = config.SqlitePath(),
                                .pool_size = config.database_pool_size});
}

// Migrations run on their own connection: as the owner role on PostgreSQL.
core::Result<store::MigrationReport> ApplyMigrations(const Config& config) {
    if (!config.UsesPostgres()) {
        auto db = OpenAppDatabase(config);
        if (!db) {
            return db.error();
        }
        return store::Migrate(**db);
    }
    const std::string owner_url =
        config.migration_database_url.empty() ? config.database_url : config.migration_database_url;
    auto db = store::OpenDatabase({.url = owner_url, .pool_size = 1});
    if (!db) {
        return db.error();
    }
    return store::Migrate(**db, store::RoleFromPostgresUrl(config.database_url));
}

// The database as vault maintenance needs it, reaching every workspace's credentials: the owner
// role on PostgreSQL (see store::BeginVaultMaintenance), the same file on SQLite.
core::Result<std::unique_ptr<store::Database>> OpenMaintenanceDatabase(const Config& config) {
    if (!config.UsesPostgres()) {
        Config single = config;
        single.database_pool_size = 1;
        return OpenAppDatabase(single);
    }
    const std::string owner_url =
        config.migration_database_url.empty() ? config.database_url : config.migration_database_url;
    return store::OpenDatabase({.url = owner_url, .pool_size = 1});
}

// The keyring from CONNECTOR_ENCRYPTION_KEYS or the key file, checked against the stored
// credentials (vault::SetUpKeyring); only serve may create the key file.
core::Result<vault::KeySetup> SetUpKeys(const Config& config, bool create_key_file) {
    auto db = OpenMaintenanceDatabase(config);
    if (!db) {
        return db.error();
    }
    return vault::SetUpKeyring({.encryption_keys = config.encryption_keys,
                                .data_dir = config.data_dir,
                                .create_key_file = create_key_file},
                               **db);
}

calllog::RetentionPolicy RetentionPolicyFrom(const Config& config) {
    return {.max_age = std::chrono::hours(24) * config.executions_max_age_days,
            .max_per_workspace = config.executions_max_per_workspace};
}

}  // namespace

int RunServe(const Config& config) {
    ConfigureLogging(config);
    // Before anything is written: keys that open none of the stored credentials stop here.
    auto keys = SetUpKeys(config, true);
    if (!keys) {
        Fail("refusing to start", keys.error());
        return 1;
    }
    core::LogInfo("encryption keys",
                  {{"source", keys->source}, {"primary_key_id", keys->keyring.Primary().id}});
    auto migrated = ApplyMigrations(config);
    if (!migrated) {
        Fail("cannot migrate the database", migrated.error());
        return 1;
    }
    for (const auto& name : migrated->applied) {
        core::LogInfo("migration applied", {{"name", name}});
    }
    auto db = OpenAppDatabase(config);
    if (!db) {
        Fail("cannot open the database", db.error());
        return 1;
    }
    Config effective = config;
    effective.encryption_keys = keys->keyring.Serialize();
    ServiceGraph graph(**db, effective);
    // Retention reaches every workspace: the owner role on PostgreSQL, the server's own file on
    // SQLite.
    std::unique_ptr<store::Database> owner_db;
    if (config.UsesPostgres()) {
        auto opened = OpenMaintenanceDatabase(config);
        if (!opened) {
            Fail("cannot open the database for call log retention", opened.error());
            return 1;
        }
        owner_db = std::move(*opened);
    }
    core::SystemClock clock;
    std::optional<calllog::ExecutionRetention> retention;
    if (const auto policy = RetentionPolicyFrom(config); !policy.KeepsEverything()) {
        retention.emplace(owner_db ? *owner_db : **db, policy, clock,
                          std::chrono::seconds(config.executions_sweep_seconds));
    }
    http::Router router(graph.authenticator());
    api::RegisterAllRoutes(router, graph.services());
    http::StaticFiles ui(config.web_dir);
    router.SetFallback([&ui](http::Request& req) { return ui.Serve(req); });

    core::LogInfo("starting", {{"database", config.UsesPostgres() ? "postgresql" : "sqlite"},
                               {"schema_version", migrated->current_version},
                               {"web_dir", config.web_dir}});
    http::Server server({.host = config.listen_host,
                         .port = config.listen_port,
                         .worker_threads = config.database_pool_size,
                         .port_file = config.port_file},
                        router);
    return server.Run();
}

int RunMigrate(const Config& config) {
    ConfigureLogging(config);
    auto migrated = ApplyMigrations(config);
    if (!migrated) {
        Fail("migration failed", migrated.error());
        return 1;
    }
    for (const auto& name : migrated->applied) {
        std::cout << "applied " << name << "\n";
    }
    std::cout << "schema version " << migrated->current_version << "\n";
    return 0;
}

int RunUsersAdd(const Config& config, const std::string& email, const std::string& name,
                const std::string& password_input) {
    ConfigureLogging(config);
    auto migrated = ApplyMigrations(config);
    if (!migrated) {
        Fail("cannot migrate the database", migrated.error());
        return 1;
    }
    auto db = OpenAppDatabase(config);
    if (!db) {
        Fail("cannot open the database", db.error());
        return 1;
    }
    core::SystemClock clock;
    accounts::AccountService accounts(**db, clock, AccountSettingsFrom(config));
    auto user = accounts.AddUser(email, name, core::Secret(password_input));
    if (!user) {
        auto e = user.error();
        for (const auto& d : e.details) {
            e.message += "; " + d.field + " " + d.problem;
        }
        Fail("cannot add the user", e);
        return 1;
    }
    std::cout << "added user " << user->email << " (" << user->id << ")\n";
    return 0;
}

int RunTokensCreate(const Config& config, const std::string& email, const std::string& name) {
    ConfigureLogging(config);
    auto db = OpenAppDatabase(config);
    if (!db) {
        Fail("cannot open the database", db.error());
        return 1;
    }
    core::SystemClock clock;
    accounts::AccountService accounts(**db, clock, AccountSettingsFrom(config));
    auto token = accounts.CreateTokenForEmail(email, name);
    if (!token) {
        Fail("cannot create the token", token.error());
        return 1;
    }
    std::cout << token->plaintext.Reveal() << "\n";
    return 0;
}

int RunRotateKey(const Config& config, int batch_size, int pause_ms) {
    ConfigureLogging(config);
    auto migrated = ApplyMigrations(config);
    if (!migrated) {
        Fail("cannot migrate the database", migrated.error());
        return 1;
    }
    auto keys = SetUpKeys(config, false);
    if (!keys) {
        Fail("cannot rotate", keys.error());
        return 1;
    }
    auto db = OpenMaintenanceDatabase(config);
    if (!db) {
        Fail("cannot open the database", db.error());
        return 1;
    }
    const std::string primary = keys->keyring.Primary().id;
    std::cout << "re-encrypting credentials to key " << primary << " in batches of " << batch_size
              << std::endl;
    // Each line is flushed once its batch has committed: a killed run shows what it finished.
    auto report = vault::RotateCredentials(
        **db, keys->keyring,
        {.batch_size = batch_size, .pause = std::chrono::milliseconds(pause_ms)},
        [](const vault::RotationBatch& b) {
            std::cout << "batch " << b.number << " committed: re-encrypted " << b.rotated
                      << ", skipped " << b.skipped << ", changed meanwhile " << b.changed
                      << std::endl;
        });
    if (!report) {
        Fail("rotation stopped (committed batches stay; run it again)", report.error());
        return 1;
    }
    std::cout << "re-encrypted " << report->rotated << " credentials in " << report->batches
              << " batches\n";
    std::cout << "credentials per key id:\n";
    bool left_behind = false;
    for (const auto& kc : report->remaining) {
        std::cout << "  " << kc.key_id << ": " << kc.count
                  << (kc.key_id == primary ? " (primary)" : "") << "\n";
        left_behind = left_behind || kc.key_id != primary;
    }
    if (report->remaining.empty()) {
        std::cout << "  (no credentials stored)\n";
    }
    if (left_behind) {
        std::cout << "some credentials are still on other keys (skipped: no configured key opens "
                     "them, or changed meanwhile: run again); keep their keys configured\n";
        return 1;
    }
    std::cout << "every credential is on key " << primary
              << ": the other keys may now be removed from CONNECTOR_ENCRYPTION_KEYS" << std::endl;
    return 0;
}

int RunKeygen() {
    std::cout << vault::FernetKey::Generate().ToBase64() << "\n";
    return 0;
}

}  // namespace gc::app
