// SQL for the credential vault's rows: one sealed credential per integration and workspace, plus
// the cross-workspace maintenance queries that key rotation and the start-up key check run.
// Every tenant query names the workspace itself; PostgreSQL row level security checks it again.
// Throws DbError.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace gc::store {

// A row of custom_integration_credentials. encrypted_value is a Fernet token sealed to
// (workspace_id, id); no other column holds any part of a secret. metadata_json holds non-secret
// facts (scopes, whether a refresh token is sealed). version grows by one on every write
// (compare-and-swap).
struct CredentialRecord {
    std::string id;
    std::string workspace_id;
    std::string user_id;  // who stored it; "" when unknown
    std::string integration_id;
    std::string credential_type;
    std::string encrypted_value;
    std::string key_id;
    std::string mask;
    std::string status = "valid";  // stored status: "valid" or "invalid"
    std::optional<std::string> invalid_reason;
    std::optional<std::string> expires_at;  // RFC 3339
    std::string metadata_json = "{}";
    std::int64_t version = 1;
    std::string created_at;
    std::string updated_at;
};

// The integration's auth_type, or nullopt when it is not in the workspace.
std::optional<std::string> FindIntegrationAuthType(Tx& tx, const std::string& workspace_id,
                                                   const std::string& integration_id);

// The integration's credential, or nullopt when none is stored.
std::optional<CredentialRecord> FindCredential(Tx& tx, const std::string& workspace_id,
                                               const std::string& integration_id);

// The credentials of these integrations (absent ones are skipped), in no particular order.
std::vector<CredentialRecord> FindCredentials(Tx& tx, const std::string& workspace_id,
                                              const std::vector<std::string>& integration_ids);

// Inserts rec as it is (version included). A second credential for the same integration violates
// the unique index (DbError kUniqueViolation).
void InsertCredential(Tx& tx, const CredentialRecord& rec);

// Overwrites every field of the row rec.id in rec.workspace_id except id, integration_id and
// created_at, sets version to rec.version, and clears any refresh lease, but only while the row's
// version is still expected_version. False when the row is gone or was changed meanwhile.
bool UpdateCredential(Tx& tx, const CredentialRecord& rec, std::int64_t expected_version);

// Deletes the integration's credential; false when there was none.
bool DeleteCredential(Tx& tx, const std::string& workspace_id, const std::string& integration_id);

// Sets status 'invalid' with the reason and bumps version; false when there is no credential.
bool MarkCredentialInvalid(Tx& tx, const std::string& workspace_id,
                           const std::string& integration_id, const std::string& reason,
                           const std::string& updated_at);

// --- Maintenance: every workspace. Call BeginVaultMaintenance first in the transaction. ---

// On PostgreSQL, enables the vault_maintenance policy for this transaction (it only applies to
// the role that ran the migrations); on SQLite, does nothing.
void BeginVaultMaintenance(Tx& tx);

// False when the credentials table does not exist yet (a database never migrated).
bool CredentialTableExists(Tx& tx);

struct KeyCount {
    std::string key_id;
    std::int64_t count = 0;
};

// How many credentials each key id seals, ordered by key id.
std::vector<KeyCount> CountCredentialsByKey(Tx& tx);

// What rotation and the key check need of a row: no metadata, no mask.
struct SealedRow {
    std::string id;
    std::string workspace_id;
    std::string key_id;
    std::string encrypted_value;
    std::int64_t version = 0;
};

// Up to limit credentials sealed with key_id (the smallest ids).
std::vector<SealedRow> SampleCredentialsForKey(Tx& tx, const std::string& key_id, int limit);

// Up to limit credentials whose key is not key_id and whose id is greater than after_id (the
// nil UUID to start), in id order.
std::vector<SealedRow> ListCredentialsNotOnKey(Tx& tx, const std::string& key_id,
                                               const std::string& after_id, int limit);

// Replaces the row's ciphertext and key id and bumps its version, only while its version is
// still expected_version; updated_at is left alone (the secret did not change). False when the
// row is gone or was changed meanwhile.
bool RewrapCredential(Tx& tx, const SealedRow& row, const std::string& key_id,
                      const std::string& encrypted_value);

// The nil UUID: ListCredentialsNotOnKey's starting point.
inline constexpr const char* kNilUuid = "00000000-0000-0000-0000-000000000000";

}  // namespace gc::store
