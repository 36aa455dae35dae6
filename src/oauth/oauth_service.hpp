// OAuth2 for oauth2 integrations: the authorize flow (single-use state, PKCE), the code exchange
// on the callback, the client-credentials grant, and refreshing an access token before it
// expires: once per credential in this process (single flight) and across processes on one
// database (a lease on the credential row, re-read after taking it, compare-and-swap write).
#pragma once

#include <chrono>
#include <future>
#include <map>
#include <mutex>
#include <string>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/scope.hpp"
#include "core/secret.hpp"
#include "integrations/integration_service.hpp"
#include "outbound/outbound_client.hpp"
#include "store/database.hpp"
#include "vault/credential_service.hpp"
#include "vault/keyring.hpp"

namespace gc::oauth {

struct OAuthSettings {
    // CONNECTOR_PUBLIC_URL: the server's public base URL; "" = http://<Host header>.
    std::string public_url;
    std::chrono::minutes state_lifetime{10};
    // How long a refresh lease holds when its holder dies mid-refresh.
    std::chrono::seconds lease_duration{30};
    // How long a caller waits for another process's refresh before giving up.
    std::chrono::seconds wait_for_other_refresh{20};
    std::chrono::milliseconds token_timeout{15000};  // one token endpoint request
};

// Where the callback sends the browser: "/integrations/<id>?connected=1" or
// "/integrations[/<id>]?oauth_error=<code>".
struct CallbackRedirect {
    std::string location;
};

// Thread-safe. Every method blocks on the database and, where it says so, on the token endpoint
// (through the outbound client's SendAndWait): call them from worker threads, never from an
// outbound completion or a network thread. No error, log line or redirect carries a secret, a
// code or a state.
class OAuthService {
  public:
    // Keeps references to everything; all must outlive the service.
    OAuthService(store::Database& db, const vault::Keyring& keyring, const core::Clock& clock,
                 integrations::IntegrationService& integrations,
                 vault::CredentialService& credentials, outbound::OutboundClient& client,
                 OAuthSettings settings = {});

    // Starts the authorize flow: stores a single-use state (only its hash; the PKCE verifier
    // sealed) valid for OAuthSettings::state_lifetime and returns the provider's authorize URL.
    // host is the request's Host header (used when no public URL is configured). Errors:
    // kNotFound, kForbidden (viewer), kValidation (not oauth2, grant_type client_credentials, or
    // authorize_url/token_url/client_id missing), kCredentialMissing (pkce is off and no client
    // secret is stored), kBadRequest (no usable Host).
    core::Result<std::string> BeginAuthorize(const core::Scope& scope,
                                             const std::string& integration_id,
                                             const std::string& host);

    // Finishes the flow for the provider's redirect (?code&state, or ?error&state): consumes the
    // state (it must be unused, unexpired, and started by this user in this workspace), exchanges
    // the code at the token endpoint (blocking), and stores the tokens with the stored client
    // secret. Never fails: failures become an oauth_error code in the redirect (invalid_state,
    // missing_code, the provider's error, or the token endpoint's error code).
    CallbackRedirect CompleteAuthorize(const core::Scope& scope, const std::string& code,
                                       const std::string& state, const std::string& error);

    // An access token to use now for an oauth2 integration whose stored token needs refreshing
    // (needs_refresh), has expired, or does not exist yet (client_credentials, or only a client
    // secret stored). known_version is the credential version the caller read (0 if none). If
    // the stored credential moved past known_version with a usable token, that token is
    // returned without a request. Otherwise one caller per credential in this process takes the
    // database lease and asks the token endpoint (refresh_token grant, or client_credentials);
    // the others wait for it. Errors: kCredentialMissing (nothing to refresh with: connect
    // first), kCredentialInvalid (the endpoint refused the grant: the credential is marked
    // invalid with the reason and stays stored), kCredentialExpired (the endpoint failed for a
    // passing reason and the stored token has expired), kUnavailable (another process held the
    // lease too long), and Load's errors.
    core::Result<core::Secret> FreshAccessToken(const core::Scope& scope,
                                                const store::IntegrationRecord& integration,
                                                std::int64_t known_version);

  private:
    struct Snapshot;
    core::Result<core::Secret> RefreshAcrossProcesses(const core::Scope& scope,
                                                      const store::IntegrationRecord& integration,
                                                      std::int64_t known_version);
    core::Result<Snapshot> Read(const core::Scope& scope, const std::string& integration_id);

    store::Database& db_;
    const vault::Keyring& keyring_;
    const core::Clock& clock_;
    integrations::IntegrationService& integrations_;
    vault::CredentialService& credentials_;
    outbound::OutboundClient& client_;
    OAuthSettings settings_;
    std::string lease_owner_;  // this process, in the lease_owner column

    std::mutex mu_;
    // Refreshes in flight in this process, by workspace and integration. Guarded by mu_.
    std::map<std::string, std::shared_future<core::Result<core::Secret>>> in_flight_;
};

}  // namespace gc::oauth
