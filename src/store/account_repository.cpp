#include "store/account_repository.hpp"

namespace gc::store {
namespace {

constexpr std::string_view kCountUsers = "SELECT COUNT(*) FROM users";
constexpr std::string_view kInsertUser =
    "INSERT INTO users (id, email, name, password_hash, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $5)";
constexpr std::string_view kSelectUserByEmail =
    "SELECT id, email, name, password_hash, created_at, updated_at FROM users WHERE email = $1";
constexpr std::string_view kSelectUserById =
    "SELECT id, email, name, password_hash, created_at, updated_at FROM users WHERE id = $1";
constexpr std::string_view kInsertWorkspace =
    "INSERT INTO workspaces (id, name, personal, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $4)";
constexpr std::string_view kInsertMember =
    "INSERT INTO workspace_members (workspace_id, user_id, role, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $4)";
constexpr std::string_view kSelectPersonalMembership =
    "SELECT m.workspace_id, w.name, m.role FROM workspace_members m"
    " JOIN workspaces w ON w.id = m.workspace_id"
    " WHERE m.user_id = $1 ORDER BY w.personal DESC, m.created_at LIMIT 1";
constexpr std::string_view kSelectMembership =
    "SELECT m.workspace_id, w.name, m.role FROM workspace_members m"
    " JOIN workspaces w ON w.id = m.workspace_id WHERE m.user_id = $1 AND m.workspace_id = $2";
constexpr std::string_view kSetTenant =
    "SELECT set_config('app.workspace_id', $1, true), set_config('app.user_id', $2, true)";

constexpr std::string_view kInsertSession =
    "INSERT INTO sessions (id, user_id, workspace_id, token_hash, created_at, updated_at, "
    "expires_at)"
    " VALUES ($1, $2, $3, $4, $5, $5, $6)";
constexpr std::string_view kSelectSession =
    "SELECT s.id, s.workspace_id, s.expires_at, u.id, u.email, u.name, u.created_at"
    " FROM sessions s JOIN users u ON u.id = s.user_id"
    " WHERE s.token_hash = $1 AND s.expires_at > $2";
constexpr std::string_view kDeleteSession = "DELETE FROM sessions WHERE id = $1";
constexpr std::string_view kDeleteExpiredSessions = "DELETE FROM sessions WHERE expires_at <= $1";

constexpr std::string_view kInsertToken =
    "INSERT INTO api_tokens (id, user_id, workspace_id, name, token_hash, prefix, created_at,"
    " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)";
constexpr std::string_view kSelectTokens =
    "SELECT id, workspace_id, name, prefix, created_at, last_used_at FROM api_tokens"
    " WHERE user_id = $1 ORDER BY created_at DESC, id DESC";
constexpr std::string_view kDeleteToken = "DELETE FROM api_tokens WHERE user_id = $1 AND id = $2";
constexpr std::string_view kSelectTokenPrincipal =
    "SELECT t.id, t.workspace_id, u.id, u.email, u.name, u.created_at, t.last_used_at"
    " FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1";
constexpr std::string_view kTouchToken =
    "UPDATE api_tokens SET last_used_at = $2, updated_at = $2 WHERE id = $1";

// Sessions and tokens are found by their secret's hash before any tenant is known; the
// membership lives behind row level security, so name the tenant for the rest of this
// transaction before reading it.
std::optional<MembershipRecord> MembershipFor(Tx& tx, const std::string& user_id,
                                              const std::string& workspace_id) {
    if (tx.backend() == Backend::kPostgres) {
        tx.Query(kSetTenant, {workspace_id, user_id});
    }
    auto rows = tx.Query(kSelectMembership, {user_id, workspace_id});
    if (rows.empty()) {
        return std::nullopt;
    }
    return MembershipRecord{rows[0].Text(0), rows[0].Text(1), rows[0].Text(2)};
}

}  // namespace

std::int64_t CountUsers(Tx& tx) { return tx.Query(kCountUsers).at(0).Int(0); }

void InsertUser(Tx& tx, const UserRecord& u) {
    tx.Exec(kInsertUser, {u.id, u.email, u.name, u.password_hash, u.created_at});
}

std::optional<UserRecord> FindUserByEmail(Tx& tx, const std::string& email) {
    auto rows = tx.Query(kSelectUserByEmail, {email});
    if (rows.empty()) {
        return std::nullopt;
    }
    const Row& r = rows[0];
    return UserRecord{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Time(4), r.Time(5)};
}

std::optional<UserRecord> FindUserById(Tx& tx, const std::string& id) {
    auto rows = tx.Query(kSelectUserById, {id});
    if (rows.empty()) {
        return std::nullopt;
    }
    const Row& r = rows[0];
    return UserRecord{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Time(4), r.Time(5)};
}

std::optional<MembershipRecord> FindMembership(Tx& tx, const std::string& user_id,
                                               const std::string& workspace_id) {
    auto rows = tx.Query(kSelectMembership, {user_id, workspace_id});
    if (rows.empty()) {
        return std::nullopt;
    }
    return MembershipRecord{rows[0].Text(0), rows[0].Text(1), rows[0].Text(2)};
}

void InsertWorkspace(Tx& tx, const WorkspaceRecord& ws) {
    tx.Exec(kInsertWorkspace, {ws.id, ws.name, ws.personal, ws.created_at});
}

void InsertMember(Tx& tx, const std::string& workspace_id, const std::string& user_id,
                  const std::string& role, const std::string& now) {
    tx.Exec(kInsertMember, {workspace_id, user_id, role, now});
}

std::optional<MembershipRecord> FindPersonalMembership(Tx& tx, const std::string& user_id) {
    auto rows = tx.Query(kSelectPersonalMembership, {user_id});
    if (rows.empty()) {
        return std::nullopt;
    }
    return MembershipRecord{rows[0].Text(0), rows[0].Text(1), rows[0].Text(2)};
}

void InsertSession(Tx& tx, const SessionRecord& s, const std::string& now) {
    tx.Exec(kInsertSession, {s.id, s.user_id, s.workspace_id, s.token_hash, now, s.expires_at});
}

std::optional<PrincipalRecord> FindSessionPrincipal(Tx& tx, const std::string& token_hash,
                                                    const std::string& now) {
    auto rows = tx.Query(kSelectSession, {token_hash, now});
    if (rows.empty()) {
        return std::nullopt;
    }
    const Row& r = rows[0];
    PrincipalRecord p;
    p.credential_id = r.Text(0);
    p.expires_at = r.Time(2);
    p.user = UserRecord{r.Text(3), r.Text(4), r.Text(5), {}, r.Time(6), {}};
    auto m = MembershipFor(tx, p.user.id, r.Text(1));
    if (!m) {
        return std::nullopt;
    }
    p.membership = *m;
    return p;
}

void DeleteSession(Tx& tx, const std::string& session_id) { tx.Exec(kDeleteSession, {session_id}); }

void DeleteExpiredSessions(Tx& tx, const std::string& now) {
    tx.Exec(kDeleteExpiredSessions, {now});
}

void InsertApiToken(Tx& tx, const ApiTokenRecord& t) {
    tx.Exec(kInsertToken,
            {t.id, t.user_id, t.workspace_id, t.name, t.token_hash, t.prefix, t.created_at});
}

std::vector<ApiTokenRecord> ListApiTokens(Tx& tx, const std::string& user_id) {
    std::vector<ApiTokenRecord> out;
    for (const Row& r : tx.Query(kSelectTokens, {user_id})) {
        ApiTokenRecord t;
        t.id = r.Text(0);
        t.user_id = user_id;
        t.workspace_id = r.Text(1);
        t.name = r.Text(2);
        t.prefix = r.Text(3);
        t.created_at = r.Time(4);
        if (!r.IsNull(5)) {
            t.last_used_at = r.Time(5);
        }
        out.push_back(std::move(t));
    }
    return out;
}

bool DeleteApiToken(Tx& tx, const std::string& user_id, const std::string& token_id) {
    return tx.Exec(kDeleteToken, {user_id, token_id}) > 0;
}

std::optional<PrincipalRecord> FindApiTokenPrincipal(Tx& tx, const std::string& token_hash) {
    auto rows = tx.Query(kSelectTokenPrincipal, {token_hash});
    if (rows.empty()) {
        return std::nullopt;
    }
    const Row& r = rows[0];
    PrincipalRecord p;
    p.credential_id = r.Text(0);
    p.user = UserRecord{r.Text(2), r.Text(3), r.Text(4), {}, r.Time(5), {}};
    p.last_used_at = r.Time(6);
    auto m = MembershipFor(tx, p.user.id, r.Text(1));
    if (!m) {
        return std::nullopt;
    }
    p.membership = *m;
    return p;
}

void TouchApiToken(Tx& tx, const std::string& token_id, const std::string& now) {
    tx.Exec(kTouchToken, {token_id, now});
}

}  // namespace gc::store
