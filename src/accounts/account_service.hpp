// Accounts: the first-run owner, sign-in with sessions, personal API tokens, and turning a
// session cookie or bearer token into the caller's Scope.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "accounts/login_limiter.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/scope.hpp"
#include "core/secret.hpp"
#include "core/ttl_cache.hpp"
#include "store/database.hpp"

namespace gc::accounts {

struct UserView {
    std::string id;
    std::string email;
    std::string name;
};

struct WorkspaceView {
    std::string id;
    std::string name;
    std::string role;
};

// The outcome of setup or sign-in. session_token goes only into the Set-Cookie header.
struct SignIn {
    UserView user;
    WorkspaceView workspace;
    core::Secret session_token;
    std::string csrf_token;
    core::TimePoint expires_at;
};

// Who a request is from, resolved from its session or token.
struct Principal {
    core::Scope scope;
    UserView user;
    WorkspaceView workspace;
    std::string csrf_token;  // sessions only: what X-CSRF-Token must carry
};

struct TokenView {
    std::string id;
    std::string name;
    std::string prefix;
    std::string created_at;
    std::optional<std::string> last_used_at;
};

struct NewToken {
    TokenView token;
    core::Secret plaintext;  // shown to the user once, never stored
};

struct AccountSettings {
    std::chrono::seconds session_lifetime{std::chrono::hours(24 * 7)};
    LoginLimits login_limits;
    // How long an API token's principal is served from memory. A token deleted through this
    // process stops working at once; one deleted by another process sharing the database
    // (another node on PostgreSQL) within this time.
    std::chrono::steady_clock::duration token_cache_ttl = std::chrono::seconds(5);
};

// Thread-safe; every method blocks on the database (call from worker threads).
class AccountService {
  public:
    AccountService(store::Database& db, const core::Clock& clock, AccountSettings settings);

    // True while no user exists.
    core::Result<bool> SetupRequired();
    // Creates the first user (owner of a personal workspace) and signs them in. kConflict when a
    // user exists already; kValidation for a bad email, name or password.
    core::Result<SignIn> Setup(const std::string& email, const std::string& name,
                               const core::Secret& password);
    // kUnauthenticated (code invalid_credentials) for a wrong email or password, alike;
    // kRateLimited with retry_after_seconds when the account or address is over its limit.
    core::Result<SignIn> Login(const std::string& email, const core::Secret& password,
                               const std::string& client_address);
    core::Result<void> Logout(const core::Scope& scope);

    // The principal for a session cookie value or a bearer token; kUnauthenticated otherwise.
    core::Result<Principal> AuthenticateSession(const std::string& session_token);
    core::Result<Principal> AuthenticateToken(const std::string& bearer_token);

    // The caller's user and workspace, for GET /api/me.
    core::Result<Principal> Describe(const core::Scope& scope);

    core::Result<std::vector<TokenView>> ListTokens(const core::Scope& scope);
    core::Result<NewToken> CreateToken(const core::Scope& scope, const std::string& name);
    core::Result<void> DeleteToken(const core::Scope& scope, const std::string& token_id);

    // For the command line: a new user with a personal workspace, owner of it.
    core::Result<UserView> AddUser(const std::string& email, const std::string& name,
                                   const core::Secret& password);
    // For the command line: a token for the user with that email.
    core::Result<NewToken> CreateTokenForEmail(const std::string& email, const std::string& name);

    // What X-CSRF-Token must equal for a session: derived, so nothing more is stored.
    static std::string CsrfTokenFor(const std::string& session_token);

  private:
    core::Result<UserView> CreateUser(const std::string& email, const std::string& name,
                                      const core::Secret& password, bool only_if_first);
    core::Result<SignIn> StartSession(const UserView& user);
    core::Result<NewToken> IssueToken(const std::string& user_id, const std::string& workspace_id,
                                      const std::string& name);

    store::Database& db_;
    const core::Clock& clock_;
    AccountSettings settings_;
    LoginLimiter limiter_;
    // API token principals by the token's SHA-256: bearer calls skip the database. Whatever
    // changes what a token resolves to (deleting it; later: its user, membership or role) must
    // clear it.
    struct CachedToken;
    core::TtlCache<CachedToken> token_cache_;
};

// Lower-cases and trims an email address.
std::string NormalizeEmail(const std::string& email);

}  // namespace gc::accounts
