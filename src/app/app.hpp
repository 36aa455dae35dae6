// The program's commands: each builds what it needs from the Config, once, and runs.
#pragma once

#include <string>

#include "app/config.hpp"

namespace gc::app {

// Opens the database, applies pending migrations, and serves until SIGTERM/SIGINT. Returns the
// process exit code (0 after a clean shutdown).
int RunServe(const Config& config);
// Applies pending migrations and prints what it applied.
int RunMigrate(const Config& config);
// Adds a user (with a personal workspace); the password comes from password_input.
int RunUsersAdd(const Config& config, const std::string& email, const std::string& name,
                const std::string& password_input);
// Prints a new API token for the user, once.
int RunTokensCreate(const Config& config, const std::string& email, const std::string& name);
// Re-encrypts every credential to the primary key of CONNECTOR_ENCRYPTION_KEYS (or the key
// file) in batches of batch_size, sleeping pause_ms between batches; prints each committed batch
// and, at the end, how many credentials each key id holds. Safe to kill and run again. Exit code
// 0 when every credential is on the primary key, else 1.
int RunRotateKey(const Config& config, int batch_size, int pause_ms);
// Prints a new Fernet key (url-safe base64 of 32 random bytes).
int RunKeygen();

}  // namespace gc::app
