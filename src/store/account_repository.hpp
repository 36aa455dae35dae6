// SQL for users, workspaces, memberships, sessions and API tokens. Every function runs inside a
// caller's transaction and throws DbError on failure (Database::Transact maps it).
#pragma once

#include <optional>
#include <vector>

#include "store/account_records.hpp"
#include "store/database.hpp"

namespace gc::store {

std::int64_t CountUsers(Tx& tx);
void InsertUser(Tx& tx, const UserRecord& user);
std::optional<UserRecord> FindUserByEmail(Tx& tx, const std::string& email);
std::optional<UserRecord> FindUserById(Tx& tx, const std::string& id);
// The user's membership of that workspace (needs TxContext.workspace_id on PostgreSQL).
std::optional<MembershipRecord> FindMembership(Tx& tx, const std::string& user_id,
                                               const std::string& workspace_id);
void InsertWorkspace(Tx& tx, const WorkspaceRecord& ws);
void InsertMember(Tx& tx, const std::string& workspace_id, const std::string& user_id,
                  const std::string& role, const std::string& now);
// The user's personal workspace membership (needs TxContext.user_id on PostgreSQL).
std::optional<MembershipRecord> FindPersonalMembership(Tx& tx, const std::string& user_id);

void InsertSession(Tx& tx, const SessionRecord& session, const std::string& now);
// The live session with that token hash, with its user and membership; nullopt when absent or
// expired at `now`.
std::optional<PrincipalRecord> FindSessionPrincipal(Tx& tx, const std::string& token_hash,
                                                    const std::string& now);
void DeleteSession(Tx& tx, const std::string& session_id);
void DeleteExpiredSessions(Tx& tx, const std::string& now);

void InsertApiToken(Tx& tx, const ApiTokenRecord& token);
std::vector<ApiTokenRecord> ListApiTokens(Tx& tx, const std::string& user_id);
// Deletes the user's token; returns false when no such token belongs to the user.
bool DeleteApiToken(Tx& tx, const std::string& user_id, const std::string& token_id);
std::optional<PrincipalRecord> FindApiTokenPrincipal(Tx& tx, const std::string& token_hash);
void TouchApiToken(Tx& tx, const std::string& token_id, const std::string& now);

}  // namespace gc::store
