#include "app/app.hpp"

#include <filesystem>
#include <iostream>

#include "accounts/account_service.hpp"
#include "api/routes.hpp"
#include "api/services.hpp"
#include "api/session_authenticator.hpp"
#include "app/embedded_openapi.hpp"
#include "core/log.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "integrations/integration_service.hpp"
#include "store/migrations.hpp"
#include "vault/fernet.hpp"

namespace gc::app {
namespace {

void ConfigureLogging(const Config& config) {
    const std::string& l = config.log_level;
    core::SetLogLevel(l == "debug"  ? core::LogLevel::kDebug
                      : l == "warn" ? core::LogLevel::kWarn
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

accounts::AccountSettings AccountSettingsFrom(const Config& config) {
    accounts::AccountSettings s;
    s.session_lifetime = std::chrono::hours(config.session_hours);
    s.login_limits.failures_per_account = config.login_max_failures_per_account;
    s.login_limits.attempts_per_address = config.login_max_attempts_per_address;
    return s;
}

}  // namespace

int RunServe(const Config& config) {
    ConfigureLogging(config);
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
    core::SystemClock clock;
    accounts::AccountService accounts(**db, clock, AccountSettingsFrom(config));
    integrations::IntegrationService integrations(**db, clock);
    api::Services services{accounts, integrations, **db, kOpenApiYaml};

    api::SessionAuthenticator authenticator(accounts);
    http::Router router(authenticator);
    api::RegisterAllRoutes(router, services);
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

int RunKeygen() {
    std::cout << vault::FernetKey::Generate().ToBase64() << "\n";
    return 0;
}

}  // namespace gc::app
