// OAuth2 flows over the store, the vault's sealing and the outbound client. The token write keeps
// the credential payload's shape (one sealed JSON object of the secret fields) and its metadata
// facts (refreshable, client_secret, scopes) exactly as vault::CredentialService reads them.
#include "oauth/oauth_service.hpp"

#include <unistd.h>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <thread>

#include "core/base64.hpp"
#include "core/hash.hpp"
#include "core/log.hpp"
#include "core/percent_encoding.hpp"
#include "core/random.hpp"
#include "oauth/oauth_flow.hpp"
#include "store/credential_repository.hpp"
#include "store/oauth_repository.hpp"
#include "vault/sealed_secret.hpp"

namespace gc::oauth {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

constexpr std::size_t kMaxTokenResponseBytes = 1024 * 1024;
constexpr std::chrono::milliseconds kLeasePoll{100};

store::TxContext Context(const core::Scope& scope, bool read_only = false) {
    return {.workspace_id = scope.workspace_id, .user_id = scope.user_id, .read_only = read_only};
}

std::string StateSealId(const std::string& state_id) { return "oauth_state:" + state_id; }

std::string Joined(const std::vector<std::string>& scopes) {
    std::string out;
    for (const auto& s : scopes) {
        out += (out.empty() ? "" : " ") + s;
    }
    return out;
}

std::string IntegrationPage(const std::string& integration_id) {
    return "/integrations/" + integration_id;
}

CallbackRedirect Failed(const std::string& page, std::string_view code) {
    return {page + "?oauth_error=" + SafeErrorCode(code)};
}

}  // namespace

// The stored credential as the flows need it. Secrets stay Secrets.
struct OAuthService::Snapshot {
    bool exists = false;
    std::string credential_id;
    std::string type;
    std::string status;
    std::int64_t version = 0;
    std::optional<std::string> expires_at;
    core::Secret access_token;
    core::Secret refresh_token;
    core::Secret client_secret;

    // An oauth2 access token that has not expired at now.
    bool Usable(core::TimePoint now) const {
        if (!exists || type != "oauth2" || status == "invalid" || access_token.empty()) {
            return false;
        }
        core::TimePoint t;
        return !expires_at || !core::ParseTimestamp(*expires_at, t) || t > now;
    }
};

OAuthService::OAuthService(store::Database& db, const vault::Keyring& keyring,
                           const core::Clock& clock, integrations::IntegrationService& integrations,
                           vault::CredentialService& credentials, outbound::OutboundClient& client,
                           OAuthSettings settings)
    : db_(db),
      keyring_(keyring),
      clock_(clock),
      integrations_(integrations),
      credentials_(credentials),
      client_(client),
      settings_(std::move(settings)),
      lease_owner_("pid-" + std::to_string(::getpid()) + "-" + core::RandomToken(9)) {}

core::Result<OAuthService::Snapshot> OAuthService::Read(const core::Scope& scope,
                                                        const std::string& integration_id) {
    std::optional<store::CredentialRecord> rec;
    auto r = db_.Transact(Context(scope, true), [&](store::Tx& tx) {
        rec = store::FindCredential(tx, scope.workspace_id, integration_id);
    });
    if (!r) {
        return r.error();
    }
    Snapshot snap;
    if (!rec) {
        return snap;
    }
    snap.exists = true;
    snap.credential_id = rec->id;
    snap.type = rec->credential_type;
    snap.status = rec->status;
    snap.version = rec->version;
    snap.expires_at = rec->expires_at;
    auto opened =
        vault::Open(keyring_, {rec->key_id, rec->encrypted_value}, rec->workspace_id, rec->id);
    if (!opened) {
        if (opened.error() == vault::OpenFailure::kWrongRow) {
            return Error::Make(ErrorCode::kCredentialIntegrity,
                               "the stored credential failed its integrity check; store it again",
                               "vault: wrong_row");
        }
        return Error::Make(ErrorCode::kCredentialUnreadable,
                           "the stored credential cannot be decrypted with the configured "
                           "encryption keys; store it again");
    }
    boost::system::error_code ec;
    const json::value v = json::parse(opened->Reveal(), ec);
    if (ec || !v.is_object()) {
        return Error::Internal("credential " + rec->id + " holds no credential payload");
    }
    const auto get = [&v](std::string_view key) {
        const json::value* f = v.get_object().if_contains(key);
        return f != nullptr && f->is_string() ? core::Secret(std::string(f->get_string()))
                                              : core::Secret();
    };
    snap.access_token = get("access_token");
    snap.refresh_token = get("refresh_token");
    snap.client_secret = get("client_secret");
    return snap;
}

namespace {

// POSTs form to the token endpoint and reads the answer. Blocks (SendAndWait).
TokenOutcome RequestToken(outbound::OutboundClient& client, const OAuthConfig& config,
                          const core::Secret& client_secret,
                          std::vector<std::pair<std::string, std::string>> form,
                          std::chrono::milliseconds timeout) {
    outbound::OutboundRequest req;
    req.method = "POST";
    req.url = config.token_url;
    req.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                   {"Accept", "application/json"}};
    if (client_secret.empty()) {
        form.emplace_back("client_id", config.client_id);  // a public client names itself
    } else {
        // RFC 6749 2.3.1: both parts form-encoded, then HTTP Basic.
        req.headers.emplace_back(
            "Authorization",
            "Basic " + core::Base64Encode(core::PercentEncode(config.client_id) + ":" +
                                          core::PercentEncode(client_secret.Reveal())));
        req.credential_headers.emplace_back("Authorization");
    }
    req.body = FormEncode(form);
    req.total_timeout = timeout;
    req.retry.max_attempts = 1;
    req.max_redirects = 0;
    req.max_response_bytes = kMaxTokenResponseBytes;
    auto response = client.SendAndWait(std::move(req));
    if (!response) {
        TokenOutcome out;
        out.failure.oauth_error = "token_endpoint_unreachable";
        return out;
    }
    return ParseTokenResponse(response->status, response->body);
}

// What WriteTokens stores: the grant, and what to keep of the stored credential.
struct TokenWrite {
    const TokenGrant* grant = nullptr;
    std::vector<std::string> requested_scopes;
    bool keep_refresh_token = false;  // keep the stored refresh token when the grant has none
    std::optional<std::int64_t> expected_version;  // compare-and-swap; nullopt: the current one
};

// Seals and stores the tokens in the integration's credential row (creating it when none
// exists), keeping a stored client secret. Throws core::ErrorException (kConflict when the
// version moved, kNotFound when the integration is gone).
void WriteTokens(store::Tx& tx, const vault::Keyring& keyring, const core::Scope& scope,
                 const std::string& integration_id, const TokenWrite& w, core::TimePoint now) {
    const auto auth_type = store::FindIntegrationAuthType(tx, scope.workspace_id, integration_id);
    if (!auth_type || *auth_type != "oauth2") {
        throw core::ErrorException(Error::NotFound("integration"));
    }
    const auto existing = store::FindCredential(tx, scope.workspace_id, integration_id);
    if (w.expected_version && (!existing || existing->version != *w.expected_version)) {
        throw core::ErrorException(
            Error::Make(ErrorCode::kConflict, "the credential was changed at the same time"));
    }
    std::string client_secret;
    std::string old_refresh;
    if (existing) {
        auto opened = vault::Open(keyring, {existing->key_id, existing->encrypted_value},
                                  existing->workspace_id, existing->id);
        if (opened) {
            boost::system::error_code ec;
            const json::value v = json::parse(opened->Reveal(), ec);
            if (!ec && v.is_object()) {
                if (const auto* cs = v.get_object().if_contains("client_secret");
                    cs != nullptr && cs->is_string()) {
                    client_secret = std::string(cs->get_string());
                }
                if (const auto* rt = v.get_object().if_contains("refresh_token");
                    rt != nullptr && rt->is_string()) {
                    old_refresh = std::string(rt->get_string());
                }
            }
        }
    }
    const TokenGrant& g = *w.grant;
    std::string refresh = g.refresh_token.Reveal();
    if (refresh.empty() && w.keep_refresh_token) {
        refresh = old_refresh;
    }
    json::object payload{{"access_token", g.access_token.Reveal()}};
    if (!refresh.empty()) {
        payload["refresh_token"] = refresh;
    }
    if (!client_secret.empty()) {
        payload["client_secret"] = client_secret;
    }
    json::object facts{{"refreshable", !refresh.empty()},
                       {"client_secret", !client_secret.empty()}};
    const std::vector<std::string>& scopes = g.scopes ? *g.scopes : w.requested_scopes;
    if (g.scopes || !scopes.empty()) {
        json::array a;
        for (const auto& s : scopes) {
            a.emplace_back(s);
        }
        facts["scopes"] = std::move(a);
    }

    const std::string now_text = core::FormatTimestamp(now);
    store::CredentialRecord rec;
    rec.id = existing ? existing->id : core::NewUuid();
    rec.workspace_id = scope.workspace_id;
    rec.user_id = existing ? existing->user_id : scope.user_id;
    rec.integration_id = integration_id;
    rec.credential_type = "oauth2";
    rec.mask = vault::MaskSecret(g.access_token.Reveal());
    rec.status = "valid";
    rec.invalid_reason = std::nullopt;
    if (g.expires_in) {
        rec.expires_at = core::FormatTimestamp(now + std::chrono::seconds(*g.expires_in));
    }
    rec.metadata_json = json::serialize(facts);
    rec.version = existing ? existing->version + 1 : 1;
    rec.created_at = existing ? existing->created_at : now_text;
    rec.updated_at = now_text;
    const vault::SealedSecret sealed =
        vault::Seal(keyring, rec.workspace_id, rec.id, core::Secret(json::serialize(payload)));
    rec.key_id = sealed.key_id;
    rec.encrypted_value = sealed.token;
    if (existing) {
        if (!store::UpdateCredential(tx, rec, existing->version)) {
            throw core::ErrorException(
                Error::Make(ErrorCode::kConflict, "the credential was changed at the same time"));
        }
    } else {
        store::InsertCredential(tx, rec);
    }
}

}  // namespace

core::Result<std::string> OAuthService::BeginAuthorize(const core::Scope& scope,
                                                       const std::string& integration_id,
                                                       const std::string& host) {
    auto integration = integrations_.Get(scope, integration_id);
    if (!integration) {
        return integration.error();
    }
    if (!scope.CanWrite()) {
        return Error::Make(ErrorCode::kForbidden, "your role in this workspace cannot change it");
    }
    auto config = ReadOAuthConfig(*integration);
    if (!config) {
        return config.error();
    }
    if (config->grant_type != "authorization_code") {
        return Error::Validation(
            {{"oauth_config.grant_type",
              "is client_credentials: there is nothing to authorize; tokens are fetched with the "
              "client secret when the integration is called"}});
    }
    auto redirect_uri = CallbackUri(settings_.public_url, host);
    if (!redirect_uri) {
        return redirect_uri.error();
    }
    if (!config->pkce) {
        auto snap = Read(scope, integration_id);
        if (!snap) {
            return snap.error();
        }
        if (snap->client_secret.empty()) {
            return Error::Make(ErrorCode::kCredentialMissing,
                               "store the OAuth2 client secret first (POST "
                               "/api/custom-integrations/{id}/credentials with type "
                               "oauth2_client), or turn pkce on for a public client");
        }
    }
    const std::string state = core::RandomToken(32);
    const core::Secret verifier(config->pkce ? core::RandomToken(48) : std::string());
    const core::TimePoint now = clock_.Now();
    store::OAuthStateRecord rec;
    rec.id = core::NewUuid();
    rec.workspace_id = scope.workspace_id;
    rec.user_id = scope.user_id;
    rec.integration_id = integration_id;
    rec.state_hash = core::Sha256Hex(state);
    if (config->pkce) {
        const vault::SealedSecret sealed =
            vault::Seal(keyring_, scope.workspace_id, StateSealId(rec.id), verifier);
        rec.code_verifier = sealed.token;
        rec.key_id = sealed.key_id;
    }
    rec.redirect_uri = *redirect_uri;
    rec.created_at = core::FormatTimestamp(now);
    rec.expires_at = core::FormatTimestamp(now + settings_.state_lifetime);
    auto r = db_.Transact(Context(scope), [&](store::Tx& tx) {
        store::DeleteExpiredOAuthStates(tx, scope.workspace_id,
                                        core::FormatTimestamp(now - std::chrono::hours(24)));
        store::InsertOAuthState(tx, rec);
    });
    if (!r) {
        return r.error();
    }
    core::LogInfo("oauth authorize started",
                  {{"integration_id", integration_id}, {"workspace_id", scope.workspace_id}});
    return AuthorizeUrl(*config, *redirect_uri, state,
                        config->pkce ? PkceChallenge(verifier.Reveal()) : std::string());
}

CallbackRedirect OAuthService::CompleteAuthorize(const core::Scope& scope, const std::string& code,
                                                 const std::string& state,
                                                 const std::string& error) {
    if (state.empty()) {
        return Failed("/integrations", "invalid_state");
    }
    const std::string hash = core::Sha256Hex(state);
    const core::TimePoint now = clock_.Now();
    std::optional<store::OAuthStateRecord> consumed;
    std::optional<store::OAuthStateRecord> known;
    auto r = db_.Transact(Context(scope), [&](store::Tx& tx) {
        consumed = store::ConsumeOAuthState(tx, scope.workspace_id, scope.user_id, hash,
                                            core::FormatTimestamp(now));
        if (!consumed) {
            known = store::FindOAuthState(tx, scope.workspace_id, hash);
        }
    });
    if (!r) {
        core::LogError("oauth callback failed", {{"detail", r.error().internal}});
        return Failed("/integrations", "server_error");
    }
    if (!consumed) {
        core::LogWarn("oauth callback with an unknown, used or expired state",
                      {{"workspace_id", scope.workspace_id}});
        return Failed(known ? IntegrationPage(known->integration_id) : "/integrations",
                      "invalid_state");
    }
    const std::string page = IntegrationPage(consumed->integration_id);
    const auto log_failure = [&](std::string_view why) {
        core::LogWarn("oauth connect failed", {{"integration_id", consumed->integration_id},
                                               {"oauth_error", SafeErrorCode(why)}});
    };
    if (!error.empty()) {
        log_failure(error);
        return Failed(page, error);
    }
    if (code.empty()) {
        log_failure("missing_code");
        return Failed(page, "missing_code");
    }
    if (!scope.CanWrite()) {
        return Failed(page, "forbidden");
    }
    core::Secret verifier;
    if (consumed->code_verifier) {
        auto opened =
            vault::Open(keyring_, {consumed->key_id.value_or(""), *consumed->code_verifier},
                        scope.workspace_id, StateSealId(consumed->id));
        if (!opened) {
            log_failure("state_unreadable");
            return Failed(page, "state_unreadable");
        }
        verifier = std::move(*opened);
    }
    auto integration = integrations_.Get(scope, consumed->integration_id);
    if (!integration) {
        return Failed("/integrations", "invalid_state");
    }
    auto config = ReadOAuthConfig(*integration);
    if (!config) {
        log_failure("invalid_oauth_config");
        return Failed(page, "invalid_oauth_config");
    }
    auto snap = Read(scope, consumed->integration_id);
    const core::Secret client_secret = snap ? snap->client_secret : core::Secret();
    std::vector<std::pair<std::string, std::string>> form{{"grant_type", "authorization_code"},
                                                          {"code", code},
                                                          {"redirect_uri", consumed->redirect_uri}};
    if (!verifier.empty()) {
        form.emplace_back("code_verifier", verifier.Reveal());
    }
    const TokenOutcome outcome =
        RequestToken(client_, *config, client_secret, std::move(form), settings_.token_timeout);
    if (!outcome.ok) {
        log_failure(outcome.failure.oauth_error);
        return Failed(page, outcome.failure.oauth_error);
    }
    TokenWrite w{.grant = &outcome.grant, .requested_scopes = config->scopes};
    auto written = db_.Transact(Context(scope), [&](store::Tx& tx) {
        WriteTokens(tx, keyring_, scope, consumed->integration_id, w, clock_.Now());
    });
    if (!written) {
        core::LogError(
            "oauth connect failed: cannot store the tokens",
            {{"integration_id", consumed->integration_id}, {"detail", written.error().internal}});
        return Failed(page, "server_error");
    }
    core::LogInfo("oauth connected", {{"integration_id", consumed->integration_id},
                                      {"workspace_id", scope.workspace_id}});
    return {page + "?connected=1"};
}

core::Result<core::Secret> OAuthService::FreshAccessToken(
    const core::Scope& scope, const store::IntegrationRecord& integration,
    std::int64_t known_version) {
    const std::string key = scope.workspace_id + "/" + integration.id;
    std::promise<core::Result<core::Secret>> promise;
    std::shared_future<core::Result<core::Secret>> flight;
    bool leader = false;
    {
        std::lock_guard lock(mu_);
        auto it = in_flight_.find(key);
        if (it != in_flight_.end()) {
            flight = it->second;
        } else {
            flight = promise.get_future().share();
            in_flight_.emplace(key, flight);
            leader = true;
        }
    }
    if (!leader) {
        return flight.get();
    }
    core::Result<core::Secret> result = Error::Internal("oauth refresh did not run");
    try {
        result = RefreshAcrossProcesses(scope, integration, known_version);
    } catch (const std::exception& e) {
        result = Error::Internal(std::string("oauth refresh failed: ") + e.what());
    }
    {
        std::lock_guard lock(mu_);
        in_flight_.erase(key);
    }
    promise.set_value(result);
    return result;
}

core::Result<core::Secret> OAuthService::RefreshAcrossProcesses(
    const core::Scope& scope, const store::IntegrationRecord& integration,
    std::int64_t known_version) {
    auto config = ReadOAuthConfig(integration);
    if (!config) {
        return config.error();
    }
    const auto give_up_at = std::chrono::steady_clock::now() + settings_.wait_for_other_refresh;
    const auto release = [&](const std::string& credential_id) {
        auto r = db_.Transact(Context(scope), [&](store::Tx& tx) {
            store::ReleaseCredentialRefreshLease(tx, scope.workspace_id, credential_id,
                                                 lease_owner_);
        });
        if (!r) {
            core::LogWarn("cannot release a refresh lease; it ends on its own",
                          {{"integration_id", integration.id}});
        }
    };
    for (;;) {
        auto snap = Read(scope, integration.id);
        if (!snap) {
            return snap.error();
        }
        if (snap->status == "invalid") {
            return Error::Make(ErrorCode::kCredentialInvalid,
                               "the credential was marked invalid; reconnect the integration");
        }
        if (snap->version != known_version && snap->Usable(clock_.Now())) {
            return snap->access_token;  // another caller refreshed it meanwhile
        }
        const bool by_refresh = snap->exists && !snap->refresh_token.empty();
        const bool by_client = config->grant_type == "client_credentials";
        if (!by_refresh && !by_client) {
            if (snap->exists && snap->type == "oauth2") {
                return Error::Make(ErrorCode::kCredentialExpired,
                                   "the access token has expired and no refresh token is stored; "
                                   "reconnect the integration");
            }
            return Error::Make(ErrorCode::kCredentialMissing,
                               "connect the integration first: no access token is stored");
        }
        if (!by_refresh && snap->client_secret.empty()) {
            return Error::Make(ErrorCode::kCredentialMissing,
                               "store the OAuth2 client secret first (type oauth2_client)");
        }
        const core::TimePoint now = clock_.Now();
        bool took = false;
        auto leased = db_.Transact(Context(scope), [&](store::Tx& tx) {
            took = store::TakeCredentialRefreshLease(
                tx, scope.workspace_id, snap->credential_id, lease_owner_,
                core::FormatTimestamp(now), core::FormatTimestamp(now + settings_.lease_duration));
        });
        if (!leased) {
            return leased.error();
        }
        if (!took) {
            if (std::chrono::steady_clock::now() > give_up_at) {
                return Error::Make(ErrorCode::kUnavailable,
                                   "another server is refreshing this credential's token; try "
                                   "again");
            }
            std::this_thread::sleep_for(kLeasePoll);
            continue;
        }
        // Re-read under the lease: the holder before us may have written new tokens.
        auto held = Read(scope, integration.id);
        if (!held || !held->exists) {
            release(snap->credential_id);
            return held ? core::Result<core::Secret>(Error::Make(ErrorCode::kCredentialMissing,
                                                                 "the credential was deleted"))
                        : core::Result<core::Secret>(held.error());
        }
        if (held->version != known_version && held->Usable(clock_.Now())) {
            release(held->credential_id);
            return held->access_token;
        }
        const bool use_refresh = !held->refresh_token.empty();
        const std::string grant = use_refresh ? "refresh_token" : "client_credentials";
        std::vector<std::pair<std::string, std::string>> form{{"grant_type", grant}};
        if (use_refresh) {
            form.emplace_back("refresh_token", held->refresh_token.Reveal());
        } else if (!config->scopes.empty()) {
            form.emplace_back("scope", Joined(config->scopes));
        }
        const TokenOutcome outcome = RequestToken(client_, *config, held->client_secret,
                                                  std::move(form), settings_.token_timeout);
        if (outcome.ok) {
            TokenWrite w{.grant = &outcome.grant,
                         .requested_scopes = config->scopes,
                         .keep_refresh_token = true,
                         .expected_version = held->version};
            // The refresh token is spent now: the new tokens must be stored. The row may have
            // changed under the lease only by re-encryption (rotate-key) or a marking; then the
            // write is repeated on the new version. A user who stored another credential wins.
            for (int attempt = 0;; ++attempt) {
                auto written = db_.Transact(Context(scope), [&](store::Tx& tx) {
                    WriteTokens(tx, keyring_, scope, integration.id, w, clock_.Now());
                });
                if (written) {
                    break;
                }
                if (written.error().code != ErrorCode::kConflict || attempt == 2) {
                    release(held->credential_id);
                    return written.error();
                }
                auto stored = Read(scope, integration.id);
                if (!stored) {
                    release(held->credential_id);
                    return stored.error();
                }
                if (!stored->exists ||
                    stored->refresh_token.Reveal() != held->refresh_token.Reveal() ||
                    stored->access_token.Reveal() != held->access_token.Reveal()) {
                    release(held->credential_id);
                    return Error::Make(ErrorCode::kConflict,
                                       "the credential was replaced while its token was being "
                                       "refreshed; try again");
                }
                w.expected_version = stored->version;
            }
            core::LogInfo("oauth token refreshed",
                          {{"integration_id", integration.id}, {"grant_type", grant}});
            return outcome.grant.access_token;
        }
        release(held->credential_id);
        core::LogWarn("oauth token refresh failed", {{"integration_id", integration.id},
                                                     {"grant_type", grant},
                                                     {"oauth_error", outcome.failure.oauth_error},
                                                     {"status", outcome.failure.status}});
        if (outcome.failure.permanent) {
            const std::string reason = "the token endpoint refused the " + grant + " grant (" +
                                       outcome.failure.oauth_error + "); reconnect the integration";
            auto marked = credentials_.MarkInvalid(scope, integration.id, reason);
            if (!marked) {
                return marked.error();
            }
            return Error::Make(ErrorCode::kCredentialInvalid, reason);
        }
        if (held->Usable(clock_.Now())) {
            return held->access_token;  // not expired yet: use it, refresh on a later call
        }
        return Error::Make(ErrorCode::kCredentialExpired,
                           "the access token has expired and the token endpoint could not renew "
                           "it (" +
                               outcome.failure.oauth_error + "); try again");
    }
}

}  // namespace gc::oauth
