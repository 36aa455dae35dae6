// Configuration from the environment (and a .env file): every CONNECTOR_* variable, checked
// once at start-up. .env.example documents each.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "core/error.hpp"

namespace gc::app {

struct Config {
    std::string listen_host = "127.0.0.1";
    std::uint16_t listen_port = 8080;
    std::string data_dir = "./data";
    std::string database_url;            // "" (SQLite in data_dir) or postgres:// URL
    std::string migration_database_url;  // PostgreSQL owner role for migrations; "" = database_url
    int database_pool_size = 8;
    std::string encryption_keys;  // reserved for the vault; checked when set
    std::string egress_allow;  // CONNECTOR_EGRESS_ALLOW: destinations the egress guard lets through
    int dns_cache_seconds = 30;  // CONNECTOR_DNS_CACHE_SECONDS: how long a name's answer is reused
    std::string public_url;      // CONNECTOR_PUBLIC_URL: base URL browsers reach; "" = from Host
    std::string web_dir;         // the built UI; "" = none found
    std::string port_file;
    std::string log_level = "info";
    int session_hours = 24 * 7;
    int login_max_failures_per_account = 5;
    int login_max_attempts_per_address = 30;
    // Call-log retention (calllog::ExecutionRetention); 0 turns either bound off.
    int executions_max_age_days = 30;            // CONNECTOR_EXECUTIONS_MAX_AGE_DAYS
    int executions_max_per_workspace = 1000000;  // CONNECTOR_EXECUTIONS_MAX_PER_WORKSPACE
    int executions_sweep_seconds = 600;          // CONNECTOR_EXECUTIONS_SWEEP_SECONDS

    std::string SqlitePath() const { return data_dir + "/connector.db"; }
    bool UsesPostgres() const;
};

// Variables as a map, for tests; LoadConfig reads the process environment and .env.
using Environment = std::map<std::string, std::string>;

// Checks every variable. A bad value returns kValidation whose message names the variable and
// says what is expected (never echoing a key or password).
core::Result<Config> ParseConfig(const Environment& env);

// The process environment over the .env file in the working directory (or CONNECTOR_ENV_FILE):
// a variable set in the environment wins over the file.
Environment ReadEnvironment();

// Parses .env text: KEY=VALUE lines, # comments, optional single or double quotes, `export `.
Environment ParseDotEnv(const std::string& text);

}  // namespace gc::app
