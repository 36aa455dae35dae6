// SQL for oauth_states and the credential refresh lease, the same text on SQLite and PostgreSQL
// ($n placeholders, timestamps passed as RFC 3339 text, which SQLite compares as text).
#include "store/oauth_repository.hpp"

namespace gc::store {
namespace {

constexpr std::string_view kStateColumns =
    "id, workspace_id, user_id, integration_id, state_hash, code_verifier, key_id, redirect_uri,"
    " created_at, expires_at, used_at";
constexpr std::string_view kInsertState =
    "INSERT INTO oauth_states (id, workspace_id, user_id, integration_id, state_hash,"
    " code_verifier, key_id, redirect_uri, created_at, expires_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
constexpr std::string_view kConsumeState =
    "UPDATE oauth_states SET used_at = $4 WHERE workspace_id = $1 AND user_id = $2"
    " AND state_hash = $3 AND used_at IS NULL AND expires_at > $4 RETURNING ";
constexpr std::string_view kFindState =
    " FROM oauth_states WHERE workspace_id = $1 AND state_hash = $2";
constexpr std::string_view kDeleteExpired =
    "DELETE FROM oauth_states WHERE workspace_id = $1 AND expires_at < $2";
constexpr std::string_view kTakeLease =
    "UPDATE custom_integration_credentials SET lease_owner = $3, lease_until = $5"
    " WHERE workspace_id = $1 AND id = $2 AND (lease_until IS NULL OR lease_until <= $4)";
constexpr std::string_view kReleaseLease =
    "UPDATE custom_integration_credentials SET lease_owner = NULL, lease_until = NULL"
    " WHERE workspace_id = $1 AND id = $2 AND lease_owner = $3";

OAuthStateRecord StateFromRow(const Row& r) {
    OAuthStateRecord rec;
    rec.id = r.Text(0);
    rec.workspace_id = r.Text(1);
    rec.user_id = r.Text(2);
    rec.integration_id = r.Text(3);
    rec.state_hash = r.Text(4);
    rec.code_verifier = r.OptText(5);
    rec.key_id = r.OptText(6);
    rec.redirect_uri = r.Text(7);
    rec.created_at = r.Time(8);
    rec.expires_at = r.Time(9);
    if (!r.IsNull(10)) {
        rec.used_at = r.Time(10);
    }
    return rec;
}

Param OptionalParam(const std::optional<std::string>& v) { return v ? Param(*v) : Param(nullptr); }

}  // namespace

void InsertOAuthState(Tx& tx, const OAuthStateRecord& rec) {
    tx.Exec(kInsertState,
            {rec.id, rec.workspace_id, rec.user_id, rec.integration_id, rec.state_hash,
             OptionalParam(rec.code_verifier), OptionalParam(rec.key_id), rec.redirect_uri,
             rec.created_at, rec.expires_at});
}

std::optional<OAuthStateRecord> ConsumeOAuthState(Tx& tx, const std::string& workspace_id,
                                                  const std::string& user_id,
                                                  const std::string& state_hash,
                                                  const std::string& now) {
    auto rows = tx.Query(std::string(kConsumeState) + std::string(kStateColumns),
                         {workspace_id, user_id, state_hash, now});
    if (rows.empty()) {
        return std::nullopt;
    }
    return StateFromRow(rows[0]);
}

std::optional<OAuthStateRecord> FindOAuthState(Tx& tx, const std::string& workspace_id,
                                               const std::string& state_hash) {
    auto rows = tx.Query("SELECT " + std::string(kStateColumns) + std::string(kFindState),
                         {workspace_id, state_hash});
    if (rows.empty()) {
        return std::nullopt;
    }
    return StateFromRow(rows[0]);
}

std::int64_t DeleteExpiredOAuthStates(Tx& tx, const std::string& workspace_id,
                                      const std::string& before) {
    return tx.Exec(kDeleteExpired, {workspace_id, before});
}

bool TakeCredentialRefreshLease(Tx& tx, const std::string& workspace_id,
                                const std::string& credential_id, const std::string& owner,
                                const std::string& now, const std::string& until) {
    return tx.Exec(kTakeLease, {workspace_id, credential_id, owner, now, until}) > 0;
}

bool ReleaseCredentialRefreshLease(Tx& tx, const std::string& workspace_id,
                                   const std::string& credential_id, const std::string& owner) {
    return tx.Exec(kReleaseLease, {workspace_id, credential_id, owner}) > 0;
}

}  // namespace gc::store
