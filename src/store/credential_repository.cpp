// SQL for custom_integration_credentials, the same text on SQLite and PostgreSQL ($n placeholders,
// timestamps passed as RFC 3339 text).
#include "store/credential_repository.hpp"

namespace gc::store {
namespace {

constexpr std::string_view kSelectColumns =
    "SELECT id, workspace_id, user_id, integration_id, credential_type, encrypted_value, key_id,"
    " mask, status, invalid_reason, expires_at, metadata, version, created_at, updated_at"
    " FROM custom_integration_credentials";
constexpr std::string_view kSelectAuthType =
    "SELECT auth_type FROM custom_integrations WHERE workspace_id = $1 AND id = $2";
constexpr std::string_view kInsert =
    "INSERT INTO custom_integration_credentials (id, workspace_id, user_id, integration_id,"
    " credential_type, encrypted_value, key_id, mask, status, invalid_reason, expires_at,"
    " metadata, version, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)";
constexpr std::string_view kUpdate =
    "UPDATE custom_integration_credentials SET user_id = $3, credential_type = $4,"
    " encrypted_value = $5, key_id = $6, mask = $7, status = $8, invalid_reason = $9,"
    " expires_at = $10, metadata = $11, version = $12, updated_at = $13, lease_owner = NULL,"
    " lease_until = NULL WHERE workspace_id = $1 AND id = $2 AND version = $14";
constexpr std::string_view kDelete =
    "DELETE FROM custom_integration_credentials WHERE workspace_id = $1 AND integration_id = $2";
constexpr std::string_view kMarkInvalid =
    "UPDATE custom_integration_credentials SET status = 'invalid', invalid_reason = $3,"
    " updated_at = $4, version = version + 1 WHERE workspace_id = $1 AND integration_id = $2";

constexpr std::string_view kBeginMaintenance =
    "SELECT set_config('app.maintenance', 'vault', true)";
constexpr std::string_view kSqliteTableExists =
    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'custom_integration_credentials'";
constexpr std::string_view kPostgresTableExists =
    "SELECT 1 WHERE to_regclass('custom_integration_credentials') IS NOT NULL";
constexpr std::string_view kCountByKey =
    "SELECT key_id, COUNT(*) FROM custom_integration_credentials GROUP BY key_id ORDER BY key_id";
constexpr std::string_view kSealedColumns =
    "SELECT id, workspace_id, key_id, encrypted_value, version FROM custom_integration_credentials";
constexpr std::string_view kRewrap =
    "UPDATE custom_integration_credentials SET key_id = $3, encrypted_value = $4,"
    " version = version + 1 WHERE workspace_id = $1 AND id = $2 AND version = $5";

CredentialRecord FromRow(const Row& r) {
    CredentialRecord rec;
    rec.id = r.Text(0);
    rec.workspace_id = r.Text(1);
    rec.user_id = r.Text(2);
    rec.integration_id = r.Text(3);
    rec.credential_type = r.Text(4);
    rec.encrypted_value = r.Text(5);
    rec.key_id = r.Text(6);
    rec.mask = r.Text(7);
    rec.status = r.Text(8);
    rec.invalid_reason = r.OptText(9);
    if (!r.IsNull(10)) {
        rec.expires_at = r.Time(10);
    }
    rec.metadata_json = r.Text(11);
    rec.version = r.Int(12);
    rec.created_at = r.Time(13);
    rec.updated_at = r.Time(14);
    return rec;
}

SealedRow SealedFromRow(const Row& r) {
    return SealedRow{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4)};
}

Param OptionalParam(const std::optional<std::string>& v) { return v ? Param(*v) : Param(nullptr); }

Param UserParam(const std::string& user_id) {
    return user_id.empty() ? Param(nullptr) : Param(user_id);
}

}  // namespace

std::optional<std::string> FindIntegrationAuthType(Tx& tx, const std::string& workspace_id,
                                                   const std::string& integration_id) {
    auto rows = tx.Query(kSelectAuthType, {workspace_id, integration_id});
    if (rows.empty()) {
        return std::nullopt;
    }
    return rows[0].Text(0);
}

std::optional<CredentialRecord> FindCredential(Tx& tx, const std::string& workspace_id,
                                               const std::string& integration_id) {
    auto rows =
        tx.Query(std::string(kSelectColumns) + " WHERE workspace_id = $1 AND integration_id = $2",
                 {workspace_id, integration_id});
    if (rows.empty()) {
        return std::nullopt;
    }
    return FromRow(rows[0]);
}

std::vector<CredentialRecord> FindCredentials(Tx& tx, const std::string& workspace_id,
                                              const std::vector<std::string>& integration_ids) {
    std::vector<CredentialRecord> out;
    if (integration_ids.empty()) {
        return out;
    }
    std::string sql =
        std::string(kSelectColumns) + " WHERE workspace_id = $1 AND integration_id IN (";
    std::vector<Param> params{workspace_id};
    for (const auto& id : integration_ids) {
        params.emplace_back(id);
        sql += (params.size() == 2 ? "$" : ", $") + std::to_string(params.size());
    }
    sql += ")";
    for (const Row& r : tx.Query(sql, params)) {
        out.push_back(FromRow(r));
    }
    return out;
}

void InsertCredential(Tx& tx, const CredentialRecord& rec) {
    tx.Exec(kInsert, {rec.id, rec.workspace_id, UserParam(rec.user_id), rec.integration_id,
                      rec.credential_type, rec.encrypted_value, rec.key_id, rec.mask, rec.status,
                      OptionalParam(rec.invalid_reason), OptionalParam(rec.expires_at),
                      rec.metadata_json, rec.version, rec.created_at, rec.updated_at});
}

bool UpdateCredential(Tx& tx, const CredentialRecord& rec, std::int64_t expected_version) {
    return tx.Exec(kUpdate, {rec.workspace_id, rec.id, UserParam(rec.user_id), rec.credential_type,
                             rec.encrypted_value, rec.key_id, rec.mask, rec.status,
                             OptionalParam(rec.invalid_reason), OptionalParam(rec.expires_at),
                             rec.metadata_json, rec.version, rec.updated_at, expected_version}) > 0;
}

bool DeleteCredential(Tx& tx, const std::string& workspace_id, const std::string& integration_id) {
    return tx.Exec(kDelete, {workspace_id, integration_id}) > 0;
}

bool MarkCredentialInvalid(Tx& tx, const std::string& workspace_id,
                           const std::string& integration_id, const std::string& reason,
                           const std::string& updated_at) {
    return tx.Exec(kMarkInvalid, {workspace_id, integration_id, reason, updated_at}) > 0;
}

void BeginVaultMaintenance(Tx& tx) {
    if (tx.backend() == Backend::kPostgres) {
        tx.Query(kBeginMaintenance);
    }
}

bool CredentialTableExists(Tx& tx) {
    return !tx.Query(tx.backend() == Backend::kPostgres ? kPostgresTableExists : kSqliteTableExists)
                .empty();
}

std::vector<KeyCount> CountCredentialsByKey(Tx& tx) {
    std::vector<KeyCount> out;
    for (const Row& r : tx.Query(kCountByKey)) {
        out.push_back(KeyCount{r.Text(0), r.Int(1)});
    }
    return out;
}

std::vector<SealedRow> SampleCredentialsForKey(Tx& tx, const std::string& key_id, int limit) {
    std::vector<SealedRow> out;
    const auto rows = tx.Query(std::string(kSealedColumns) +
                                   " WHERE key_id = $1 ORDER BY id LIMIT " + std::to_string(limit),
                               {key_id});
    for (const Row& r : rows) {
        out.push_back(SealedFromRow(r));
    }
    return out;
}

std::vector<SealedRow> ListCredentialsNotOnKey(Tx& tx, const std::string& key_id,
                                               const std::string& after_id, int limit) {
    std::vector<SealedRow> out;
    const auto rows =
        tx.Query(std::string(kSealedColumns) +
                     " WHERE key_id <> $1 AND id > $2 ORDER BY id LIMIT " + std::to_string(limit),
                 {key_id, after_id});
    for (const Row& r : rows) {
        out.push_back(SealedFromRow(r));
    }
    return out;
}

bool RewrapCredential(Tx& tx, const SealedRow& row, const std::string& key_id,
                      const std::string& encrypted_value) {
    return tx.Exec(kRewrap, {row.workspace_id, row.id, key_id, encrypted_value, row.version}) > 0;
}

}  // namespace gc::store
