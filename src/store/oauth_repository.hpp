// SQL for OAuth2: the single-use `state` rows of the authorize flow, and the refresh lease on a
// credential row that lets one process (of several on one database) refresh a token.
// Every query names the workspace; PostgreSQL row level security checks it again. Throws DbError.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/database.hpp"

namespace gc::store {

// A row of oauth_states. state_hash is the lower-case hex SHA-256 of the state sent to the
// provider; code_verifier is a Fernet token (sealed by the caller, key id in key_id), or nullopt
// when the flow does not use PKCE. Timestamps are RFC 3339.
struct OAuthStateRecord {
    std::string id;
    std::string workspace_id;
    std::string user_id;
    std::string integration_id;
    std::string state_hash;
    std::optional<std::string> code_verifier;
    std::optional<std::string> key_id;
    std::string redirect_uri;
    std::string created_at;
    std::string expires_at;
    std::optional<std::string> used_at;
};

// Inserts rec as it is. A repeated state_hash violates the unique index (DbError).
void InsertOAuthState(Tx& tx, const OAuthStateRecord& rec);

// Marks the state used at `now` and returns it, in one statement, only while it is unused, not
// expired at `now`, and was started by user_id in workspace_id; nullopt otherwise (then nothing
// changed). Two concurrent consumers of one state: exactly one gets it.
std::optional<OAuthStateRecord> ConsumeOAuthState(Tx& tx, const std::string& workspace_id,
                                                  const std::string& user_id,
                                                  const std::string& state_hash,
                                                  const std::string& now);

// The state row with this hash in the workspace, used or not; nullopt when there is none.
std::optional<OAuthStateRecord> FindOAuthState(Tx& tx, const std::string& workspace_id,
                                               const std::string& state_hash);

// Deletes the workspace's state rows that expired before `before`; returns how many.
std::int64_t DeleteExpiredOAuthStates(Tx& tx, const std::string& workspace_id,
                                      const std::string& before);

// Takes the refresh lease of credential credential_id for owner until `until`, only when no
// lease is held or the one held ended at or before `now`. True when taken. A lease is cleared by
// UpdateCredential (the compare-and-swap write of the refreshed tokens) or by
// ReleaseCredentialRefreshLease.
bool TakeCredentialRefreshLease(Tx& tx, const std::string& workspace_id,
                                const std::string& credential_id, const std::string& owner,
                                const std::string& now, const std::string& until);

// Clears the lease when owner still holds it; false otherwise.
bool ReleaseCredentialRefreshLease(Tx& tx, const std::string& workspace_id,
                                   const std::string& credential_id, const std::string& owner);

}  // namespace gc::store
