#include "accounts/account_service.hpp"

#include <algorithm>

#include "accounts/password.hpp"
#include "core/base64.hpp"
#include "core/hash.hpp"
#include "core/random.hpp"
#include "store/account_repository.hpp"

namespace gc::accounts {
namespace {

using core::Error;
using core::ErrorCode;

constexpr std::size_t kMinPassword = 8;
constexpr std::size_t kMaxPassword = 1024;
constexpr std::string_view kTokenPrefix = "gct_";

std::vector<core::FieldProblem> CheckNewUser(const std::string& email, const std::string& name,
                                             const core::Secret& password) {
    std::vector<core::FieldProblem> problems;
    const auto at = email.find('@');
    if (email.empty() || email.size() > 254 || at == std::string::npos || at == 0 ||
        at + 1 >= email.size() || email.find_first_of(" \t\r\n") != std::string::npos) {
        problems.push_back({"email", "must be an email address"});
    }
    if (name.size() > 200) {
        problems.push_back({"name", "must be at most 200 characters"});
    }
    if (password.size() < kMinPassword) {
        problems.push_back({"password", "must be at least 8 characters"});
    } else if (password.size() > kMaxPassword) {
        problems.push_back({"password", "must be at most 1024 characters"});
    }
    return problems;
}

Principal ToPrincipal(const store::PrincipalRecord& p, core::AuthKind kind) {
    Principal out;
    out.user = UserView{p.user.id, p.user.email, p.user.name};
    out.workspace =
        WorkspaceView{p.membership.workspace_id, p.membership.workspace_name, p.membership.role};
    out.scope.user_id = p.user.id;
    out.scope.workspace_id = p.membership.workspace_id;
    out.scope.auth = kind;
    const std::string& r = p.membership.role;
    out.scope.role = r == "owner"    ? core::Role::kOwner
                     : r == "admin"  ? core::Role::kAdmin
                     : r == "editor" ? core::Role::kEditor
                                     : core::Role::kViewer;
    if (kind == core::AuthKind::kSession) {
        out.scope.session_id = p.credential_id;
    }
    return out;
}

}  // namespace

std::string NormalizeEmail(const std::string& email) {
    std::string out = email;
    const auto begin = out.find_first_not_of(" \t");
    const auto end = out.find_last_not_of(" \t");
    out = begin == std::string::npos ? std::string() : out.substr(begin, end - begin + 1);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

struct AccountService::CachedToken {
    store::PrincipalRecord record;
    std::optional<core::TimePoint> last_used;  // parsed once, not on every call
};

AccountService::AccountService(store::Database& db, const core::Clock& clock,
                               AccountSettings settings)
    : db_(db),
      clock_(clock),
      settings_(settings),
      limiter_(clock, settings.login_limits),
      token_cache_(settings.token_cache_ttl, 10000) {}

std::string AccountService::CsrfTokenFor(const std::string& session_token) {
    return core::Base64UrlEncodeNoPad(core::Sha256("csrf:" + session_token));
}

core::Result<bool> AccountService::SetupRequired() {
    bool required = false;
    auto r = db_.Transact({.read_only = true},
                          [&](store::Tx& tx) { required = store::CountUsers(tx) == 0; });
    if (!r) {
        return r.error();
    }
    return required;
}

core::Result<UserView> AccountService::CreateUser(const std::string& raw_email,
                                                  const std::string& name,
                                                  const core::Secret& password,
                                                  bool only_if_first) {
    const std::string email = NormalizeEmail(raw_email);
    if (auto problems = CheckNewUser(email, name, password); !problems.empty()) {
        return Error::Validation(std::move(problems));
    }
    const std::string hash = HashPassword(password);  // slow: outside the transaction
    const std::string now = core::FormatTimestamp(clock_.Now());
    store::UserRecord user{core::NewUuid(), email, name, hash, now, now};
    store::WorkspaceRecord ws{core::NewUuid(), name.empty() ? email : name + "'s workspace", true,
                              now};
    auto r = db_.Transact({.workspace_id = ws.id, .user_id = user.id}, [&](store::Tx& tx) {
        if (only_if_first && store::CountUsers(tx) > 0) {
            throw core::ErrorException(
                Error::Make(ErrorCode::kConflict, "setup is already done; sign in instead"));
        }
        if (store::FindUserByEmail(tx, email)) {
            throw core::ErrorException(
                Error::Make(ErrorCode::kConflict, "a user with that email already exists"));
        }
        store::InsertUser(tx, user);
        store::InsertWorkspace(tx, ws);
        store::InsertMember(tx, ws.id, user.id, "owner", now);
    });
    if (!r) {
        return r.error();
    }
    return UserView{user.id, user.email, user.name};
}

core::Result<SignIn> AccountService::StartSession(const UserView& user) {
    core::Secret token(core::RandomToken());
    const auto expires = clock_.Now() + settings_.session_lifetime;
    std::optional<store::MembershipRecord> membership;
    auto r = db_.Transact({.user_id = user.id}, [&](store::Tx& tx) {
        membership = store::FindPersonalMembership(tx, user.id);
        if (!membership) {
            throw core::ErrorException(Error::Internal("user has no workspace"));
        }
        store::DeleteExpiredSessions(tx, core::FormatTimestamp(clock_.Now()));
        store::InsertSession(tx,
                             {core::NewUuid(),
                              user.id,
                              membership->workspace_id,
                              core::Sha256Hex(token.Reveal()),
                              {},
                              core::FormatTimestamp(expires)},
                             core::FormatTimestamp(clock_.Now()));
    });
    if (!r) {
        return r.error();
    }
    SignIn out;
    out.user = user;
    out.workspace =
        WorkspaceView{membership->workspace_id, membership->workspace_name, membership->role};
    out.csrf_token = CsrfTokenFor(token.Reveal());
    out.session_token = std::move(token);
    out.expires_at = expires;
    return out;
}

core::Result<SignIn> AccountService::Setup(const std::string& email, const std::string& name,
                                           const core::Secret& password) {
    auto user = CreateUser(email, name, password, true);
    if (!user) {
        return user.error();
    }
    return StartSession(*user);
}

core::Result<SignIn> AccountService::Login(const std::string& raw_email,
                                           const core::Secret& password,
                                           const std::string& client_address) {
    const std::string email = NormalizeEmail(raw_email);
    if (int wait = limiter_.Admit(email, client_address); wait > 0) {
        Error e =
            Error::Make(ErrorCode::kRateLimited, "too many sign-in attempts; try again later");
        e.retry_after_seconds = wait;
        return e;
    }
    std::optional<store::UserRecord> user;
    auto r = db_.Transact({.read_only = true},
                          [&](store::Tx& tx) { user = store::FindUserByEmail(tx, email); });
    if (!r) {
        return r.error();
    }
    if (!user) {
        VerifyDummyPassword(password);
    }
    if (!user || !VerifyPassword(user->password_hash, password)) {
        limiter_.RecordFailure(email);
        return Error::Make(ErrorCode::kInvalidCredentials, "wrong email or password");
    }
    limiter_.RecordSuccess(email);
    return StartSession(UserView{user->id, user->email, user->name});
}

core::Result<void> AccountService::Logout(const core::Scope& scope) {
    if (scope.session_id.empty()) {
        return {};
    }
    return db_.Transact({}, [&](store::Tx& tx) { store::DeleteSession(tx, scope.session_id); });
}

core::Result<Principal> AccountService::AuthenticateSession(const std::string& session_token) {
    if (session_token.empty() || session_token.size() > 256) {
        return Error::Make(ErrorCode::kUnauthenticated, "sign in first");
    }
    std::optional<store::PrincipalRecord> found;
    auto r = db_.Transact({.read_only = true}, [&](store::Tx& tx) {
        found = store::FindSessionPrincipal(tx, core::Sha256Hex(session_token),
                                            core::FormatTimestamp(clock_.Now()));
    });
    if (!r) {
        return r.error();
    }
    if (!found) {
        return Error::Make(ErrorCode::kUnauthenticated, "your session has ended; sign in again");
    }
    Principal p = ToPrincipal(*found, core::AuthKind::kSession);
    p.csrf_token = CsrfTokenFor(session_token);
    return p;
}

core::Result<Principal> AccountService::AuthenticateToken(const std::string& bearer_token) {
    if (!bearer_token.starts_with(kTokenPrefix) || bearer_token.size() > 256) {
        return Error::Make(ErrorCode::kUnauthenticated, "invalid API token");
    }
    const std::string hash = core::Sha256Hex(bearer_token);
    const auto steady_now = std::chrono::steady_clock::now();
    std::shared_ptr<const CachedToken> found = token_cache_.Get(hash, steady_now);
    if (!found) {
        const auto generation = token_cache_.Generation();
        std::optional<store::PrincipalRecord> read;
        auto r = db_.Transact({.read_only = true}, [&](store::Tx& tx) {
            read = store::FindApiTokenPrincipal(tx, hash);
        });
        if (!r) {
            return r.error();
        }
        if (!read) {
            return Error::Make(ErrorCode::kUnauthenticated, "invalid API token");
        }
        auto fresh = std::make_shared<CachedToken>();
        core::TimePoint last_used;
        if (core::ParseTimestamp(read->last_used_at, last_used)) {
            fresh->last_used = last_used;
        }
        fresh->record = std::move(*read);
        found = fresh;
        token_cache_.Put(hash, std::move(fresh), generation, steady_now);
    }
    // last_used_at is written at most once a minute per token, so a busy token does not turn
    // every API call into a database write.
    const auto now = clock_.Now();
    if (!found->last_used || now - *found->last_used >= std::chrono::minutes(1)) {
        const auto generation = token_cache_.Generation();
        auto touched = db_.Transact({}, [&](store::Tx& tx) {
            store::TouchApiToken(tx, found->record.credential_id, core::FormatTimestamp(now));
        });
        if (!touched) {
            return touched.error();
        }
        auto updated = std::make_shared<CachedToken>(*found);
        updated->last_used = now;
        token_cache_.Put(hash, std::move(updated), generation, steady_now);
    }
    return ToPrincipal(found->record, core::AuthKind::kToken);
}

core::Result<Principal> AccountService::Describe(const core::Scope& scope) {
    std::optional<store::UserRecord> user;
    std::optional<store::MembershipRecord> membership;
    auto r = db_.Transact(
        {.workspace_id = scope.workspace_id, .user_id = scope.user_id, .read_only = true},
        [&](store::Tx& tx) {
            user = store::FindUserById(tx, scope.user_id);
            membership = store::FindMembership(tx, scope.user_id, scope.workspace_id);
        });
    if (!r) {
        return r.error();
    }
    if (!user || !membership) {
        return Error::Make(ErrorCode::kUnauthenticated, "sign in again");
    }
    Principal p;
    p.scope = scope;
    p.user = UserView{user->id, user->email, user->name};
    p.workspace =
        WorkspaceView{membership->workspace_id, membership->workspace_name, membership->role};
    return p;
}

core::Result<std::vector<TokenView>> AccountService::ListTokens(const core::Scope& scope) {
    std::vector<TokenView> out;
    auto r = db_.Transact(
        {.workspace_id = scope.workspace_id, .user_id = scope.user_id, .read_only = true},
        [&](store::Tx& tx) {
            for (auto& t : store::ListApiTokens(tx, scope.user_id)) {
                out.push_back({t.id, t.name, t.prefix, t.created_at, t.last_used_at});
            }
        });
    if (!r) {
        return r.error();
    }
    return out;
}

core::Result<NewToken> AccountService::IssueToken(const std::string& user_id,
                                                  const std::string& workspace_id,
                                                  const std::string& name) {
    if (name.empty() || name.size() > 100) {
        return Error::Validation({{"name", "must be 1 to 100 characters"}});
    }
    core::Secret plaintext(std::string(kTokenPrefix) + core::RandomToken());
    store::ApiTokenRecord rec;
    rec.id = core::NewUuid();
    rec.user_id = user_id;
    rec.workspace_id = workspace_id;
    rec.name = name;
    rec.token_hash = core::Sha256Hex(plaintext.Reveal());
    rec.prefix = plaintext.Reveal().substr(0, kTokenPrefix.size() + 4);
    rec.created_at = core::FormatTimestamp(clock_.Now());
    auto r = db_.Transact({.workspace_id = workspace_id, .user_id = user_id},
                          [&](store::Tx& tx) { store::InsertApiToken(tx, rec); });
    if (!r) {
        return r.error();
    }
    NewToken out;
    out.token = TokenView{rec.id, rec.name, rec.prefix, rec.created_at, std::nullopt};
    out.plaintext = std::move(plaintext);
    return out;
}

core::Result<NewToken> AccountService::CreateToken(const core::Scope& scope,
                                                   const std::string& name) {
    return IssueToken(scope.user_id, scope.workspace_id, name);
}

core::Result<void> AccountService::DeleteToken(const core::Scope& scope,
                                               const std::string& token_id) {
    if (!core::IsUuid(token_id)) {
        return Error::NotFound("token");
    }
    bool deleted = false;
    auto r = db_.Transact(
        {.workspace_id = scope.workspace_id, .user_id = scope.user_id},
        [&](store::Tx& tx) { deleted = store::DeleteApiToken(tx, scope.user_id, token_id); });
    // Entries are keyed by the token's hash, which the id does not give: forget them all.
    token_cache_.Clear();
    if (!r) {
        return r.error();
    }
    if (!deleted) {
        return Error::NotFound("token");
    }
    return {};
}

core::Result<UserView> AccountService::AddUser(const std::string& email, const std::string& name,
                                               const core::Secret& password) {
    return CreateUser(email, name, password, false);
}

core::Result<NewToken> AccountService::CreateTokenForEmail(const std::string& raw_email,
                                                           const std::string& name) {
    const std::string email = NormalizeEmail(raw_email);
    std::optional<store::UserRecord> user;
    std::optional<store::MembershipRecord> membership;
    auto r = db_.Transact({.read_only = true},
                          [&](store::Tx& tx) { user = store::FindUserByEmail(tx, email); });
    if (!r) {
        return r.error();
    }
    if (!user) {
        return Error::NotFound("user");
    }
    r = db_.Transact({.user_id = user->id, .read_only = true}, [&](store::Tx& tx) {
        membership = store::FindPersonalMembership(tx, user->id);
    });
    if (!r) {
        return r.error();
    }
    if (!membership) {
        return Error::Internal("user has no workspace");
    }
    return IssueToken(user->id, membership->workspace_id, name);
}

}  // namespace gc::accounts
