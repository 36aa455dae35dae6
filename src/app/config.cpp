#include "app/config.hpp"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "outbound/egress_guard.hpp"
#include "store/database.hpp"
#include "vault/keyring.hpp"

extern char** environ;

namespace gc::app {
namespace {

core::Error Bad(const std::string& variable, const std::string& expected) {
    return core::Error::Make(core::ErrorCode::kValidation, variable + ": " + expected);
}

bool ParseInt(const std::string& text, int min, int max, int& out) {
    int v = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || ptr != text.data() + text.size() || v < min || v > max) {
        return false;
    }
    out = v;
    return true;
}

std::string Trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) {
        return {};
    }
    return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

std::string DefaultWebDir() {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::exists("web/dist/index.html", ec)) {
        return "web/dist";
    }
    // Next to the binary: build/connector -> web/dist at the source root.
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const fs::path candidate = exe.parent_path().parent_path() / "web" / "dist";
        if (fs::exists(candidate / "index.html", ec)) {
            return candidate.string();
        }
    }
    return {};
}

}  // namespace

bool Config::UsesPostgres() const { return store::IsPostgresUrl(database_url); }

Environment ParseDotEnv(const std::string& text) {
    Environment env;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        line = Trim(line);
        if (line.empty() || line[0] == '#') {
            continue;
        }
        if (line.starts_with("export ")) {
            line = Trim(line.substr(7));
        }
        const auto eq = line.find('=');
        if (eq == std::string::npos) {
            continue;
        }
        std::string key = Trim(line.substr(0, eq));
        std::string value = Trim(line.substr(eq + 1));
        if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
            value.back() == value.front()) {
            value = value.substr(1, value.size() - 2);
        }
        env[key] = value;
    }
    return env;
}

Environment ReadEnvironment() {
    Environment env;
    const char* file = std::getenv("CONNECTOR_ENV_FILE");
    std::ifstream in(file ? file : ".env");
    if (in) {
        std::ostringstream ss;
        ss << in.rdbuf();
        env = ParseDotEnv(ss.str());
    }
    for (char** e = environ; *e; ++e) {
        std::string kv(*e);
        const auto eq = kv.find('=');
        if (eq != std::string::npos && kv.starts_with("CONNECTOR_")) {
            env[kv.substr(0, eq)] = kv.substr(eq + 1);
        }
    }
    return env;
}

core::Result<Config> ParseConfig(const Environment& env) {
    Config c;
    auto get = [&env](const char* key) -> std::optional<std::string> {
        auto it = env.find(key);
        if (it == env.end() || it->second.empty()) {
            return std::nullopt;
        }
        return it->second;
    };

    if (auto v = get("CONNECTOR_LISTEN")) {
        const std::string& s = *v;
        std::string host;
        std::string port;
        if (s.starts_with("[")) {
            const auto close = s.find("]:");
            if (close == std::string::npos) {
                return Bad("CONNECTOR_LISTEN",
                           "expected host:port, e.g. 127.0.0.1:8080 or [::1]:8080");
            }
            host = s.substr(1, close - 1);
            port = s.substr(close + 2);
        } else {
            const auto colon = s.rfind(':');
            if (colon == std::string::npos || colon == 0) {
                return Bad("CONNECTOR_LISTEN", "expected host:port, e.g. 127.0.0.1:8080");
            }
            host = s.substr(0, colon);
            port = s.substr(colon + 1);
        }
        int p = 0;
        if (!ParseInt(port, 0, 65535, p)) {
            return Bad("CONNECTOR_LISTEN", "the port must be a number from 0 to 65535");
        }
        if (host == "localhost") {
            host = "127.0.0.1";
        }
        c.listen_host = host;
        c.listen_port = std::uint16_t(p);
    }
    if (auto v = get("CONNECTOR_DATA_DIR")) {
        c.data_dir = *v;
    }
    if (auto v = get("CONNECTOR_DATABASE_URL")) {
        if (!store::IsPostgresUrl(*v) && !v->starts_with("sqlite:")) {
            return Bad("CONNECTOR_DATABASE_URL",
                       "expected postgres://... or postgresql://... (or sqlite:<path>; unset for "
                       "SQLite in the data directory)");
        }
        c.database_url = *v;
    }
    if (auto v = get("CONNECTOR_DATABASE_MIGRATION_URL")) {
        if (!store::IsPostgresUrl(*v)) {
            return Bad("CONNECTOR_DATABASE_MIGRATION_URL",
                       "expected postgres://... or postgresql://...");
        }
        c.migration_database_url = *v;
    }
    if (auto v = get("CONNECTOR_DATABASE_POOL_SIZE")) {
        if (!ParseInt(*v, 1, 128, c.database_pool_size)) {
            return Bad("CONNECTOR_DATABASE_POOL_SIZE", "expected a number from 1 to 128");
        }
    }
    if (auto v = get("CONNECTOR_ENCRYPTION_KEYS")) {
        auto keys = vault::Keyring::Parse(*v);
        if (!keys) {
            return keys.error();  // its message names the variable
        }
        c.encryption_keys = *v;
    }
    if (auto v = get("CONNECTOR_EGRESS_ALLOW")) {
        if (auto policy = outbound::EgressPolicy::Parse(*v); !policy) {
            return policy.error();  // its message names the variable
        }
        c.egress_allow = *v;
    }
    if (auto v = get("CONNECTOR_DNS_CACHE_SECONDS")) {
        if (!ParseInt(*v, 0, 3600, c.dns_cache_seconds)) {
            return Bad("CONNECTOR_DNS_CACHE_SECONDS",
                       "expected a number of seconds from 0 to 3600");
        }
    }
    if (auto v = get("CONNECTOR_PUBLIC_URL")) {
        std::string url = *v;
        while (!url.empty() && url.back() == '/') {
            url.pop_back();
        }
        const bool scheme = url.starts_with("http://") || url.starts_with("https://");
        const std::size_t host_at = url.find("://") + 3;
        const bool plain = url.find_first_of("?# \t") == std::string::npos;
        if (!scheme || url.size() <= host_at || !plain) {
            return Bad("CONNECTOR_PUBLIC_URL",
                       "expected the server's public base URL, e.g. https://connector.example.com");
        }
        c.public_url = url;
    }
    if (auto v = get("CONNECTOR_WEB_DIR")) {
        c.web_dir = *v;
    } else {
        c.web_dir = DefaultWebDir();
    }
    if (auto v = get("CONNECTOR_PORT_FILE")) {
        c.port_file = *v;
    }
    if (auto v = get("CONNECTOR_LOG_LEVEL")) {
        if (*v != "debug" && *v != "info" && *v != "warn" && *v != "error") {
            return Bad("CONNECTOR_LOG_LEVEL", "expected debug, info, warn or error");
        }
        c.log_level = *v;
    }
    if (auto v = get("CONNECTOR_SESSION_HOURS")) {
        if (!ParseInt(*v, 1, 24 * 365, c.session_hours)) {
            return Bad("CONNECTOR_SESSION_HOURS", "expected a number of hours from 1 to 8760");
        }
    }
    if (auto v = get("CONNECTOR_LOGIN_MAX_FAILURES_PER_ACCOUNT")) {
        if (!ParseInt(*v, 1, 1000000, c.login_max_failures_per_account)) {
            return Bad("CONNECTOR_LOGIN_MAX_FAILURES_PER_ACCOUNT", "expected a positive number");
        }
    }
    if (auto v = get("CONNECTOR_LOGIN_MAX_ATTEMPTS_PER_ADDRESS")) {
        if (!ParseInt(*v, 1, 1000000, c.login_max_attempts_per_address)) {
            return Bad("CONNECTOR_LOGIN_MAX_ATTEMPTS_PER_ADDRESS", "expected a positive number");
        }
    }
    if (auto v = get("CONNECTOR_EXECUTIONS_MAX_AGE_DAYS")) {
        if (!ParseInt(*v, 0, 36500, c.executions_max_age_days)) {
            return Bad("CONNECTOR_EXECUTIONS_MAX_AGE_DAYS",
                       "expected a number of days from 0 (keep records of any age) to 36500");
        }
    }
    if (auto v = get("CONNECTOR_EXECUTIONS_MAX_PER_WORKSPACE")) {
        if (!ParseInt(*v, 0, 1000000000, c.executions_max_per_workspace)) {
            return Bad("CONNECTOR_EXECUTIONS_MAX_PER_WORKSPACE",
                       "expected a number of records from 0 (no limit) to 1000000000");
        }
    }
    if (auto v = get("CONNECTOR_EXECUTIONS_SWEEP_SECONDS")) {
        if (!ParseInt(*v, 1, 86400, c.executions_sweep_seconds)) {
            return Bad("CONNECTOR_EXECUTIONS_SWEEP_SECONDS",
                       "expected a number of seconds from 1 to 86400");
        }
    }
    return c;
}

}  // namespace gc::app
