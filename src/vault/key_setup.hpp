// Chooses the process's keyring (CONNECTOR_ENCRYPTION_KEYS, or the data directory's key file,
// created only while no credential exists) and checks that it opens the stored credentials.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "store/database.hpp"
#include "vault/keyring.hpp"

namespace gc::vault {

// The key file's name inside the data directory.
inline constexpr std::string_view kKeyFileName = "encryption.key";

struct KeySetupSettings {
    std::string encryption_keys;  // CONNECTOR_ENCRYPTION_KEYS as given; "" when unset
    std::string data_dir;         // CONNECTOR_DATA_DIR: where the key file lives
    bool create_key_file = true;  // false: never create one (e.g. rotate-key)
};

// Stored credentials sealed with one key id, and whether the keyring opens them (judged on one
// sample of that key id).
struct KeyUsage {
    std::string key_id;
    std::int64_t credentials = 0;
    bool opens = false;
};

struct KeySetup {
    Keyring keyring;
    std::string source;  // "CONNECTOR_ENCRYPTION_KEYS" or the key file's path
    bool created_key_file = false;
    std::vector<KeyUsage> usage;  // per key id found in the database, ordered by key id
};

// The key file's path for a data directory.
std::string KeyFilePath(const std::string& data_dir);

// What the stored credentials say about keyring: per key id, how many, and whether keyring opens
// one of them. maintenance_db must reach every workspace's credentials (on PostgreSQL: the role
// that ran the migrations; see store::BeginVaultMaintenance). A database whose credentials table
// does not exist yet has none. Errors: the database's (kUnavailable, kInternal).
core::Result<std::vector<KeyUsage>> InspectStoredKeys(store::Database& maintenance_db,
                                                      const Keyring& keyring);

// The keyring to use:
//  - settings.encryption_keys when set (kValidation naming CONNECTOR_ENCRYPTION_KEYS if bad);
//  - else the key file <data_dir>/encryption.key when it exists (kValidation naming the file if
//    it does not hold a keyring; a warning is logged if group or others may read it);
//  - else, only while no credential is stored and create_key_file is set, a new key written to
//    a new key file with mode 0600 (logged with its path, never its content);
//  - else kValidation: credentials exist but no key is configured.
// Then, when credentials exist and the keyring opens none of them, kValidation saying so,
// naming the key ids involved (never a key); some but not all opening is logged as a warning.
// On any error nothing was written. Not thread-safe with another call on the same data_dir in
// this process; two processes creating the key file at once end up using the same file.
core::Result<KeySetup> SetUpKeyring(const KeySetupSettings& settings,
                                    store::Database& maintenance_db);

}  // namespace gc::vault
