#include "app/service_graph.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <stdexcept>

#include "accounts/account_service.hpp"
#include "api/session_authenticator.hpp"
#include "app/embedded_openapi.hpp"
#include "core/clock.hpp"
#include "calls/call_service.hpp"
#include "calllog/execution_log.hpp"
#include "oauth/oauth_service.hpp"
#include "integrations/integration_service.hpp"
#include "outbound/egress_guard.hpp"
#include "outbound/outbound_client.hpp"
#include "outbound/resolver.hpp"
#include "vault/credential_service.hpp"
#include "vault/keyring.hpp"

namespace gc::app {
accounts::AccountSettings AccountSettingsFrom(const Config& config) {
    accounts::AccountSettings s;
    s.session_lifetime = std::chrono::hours(config.session_hours);
    s.login_limits.failures_per_account = config.login_max_failures_per_account;
    s.login_limits.attempts_per_address = config.login_max_attempts_per_address;
    return s;
}

namespace {

// The keyring the vault seals with: config.encryption_keys as the start-up key setup resolved it
// (vault::SetUpKeyring). Never a made-up key: credentials sealed with one would be lost.
vault::Keyring KeyringFrom(const Config& config) {
    auto keyring = vault::Keyring::Parse(config.encryption_keys);
    if (!keyring) {
        throw std::runtime_error(keyring.error().message);
    }
    return std::move(*keyring);
}

// CONNECTOR_EGRESS_ALLOW, checked by ParseConfig already.
outbound::EgressPolicy EgressPolicyFrom(const Config& config) {
    auto policy = outbound::EgressPolicy::Parse(config.egress_allow);
    if (!policy) {
        throw std::runtime_error(policy.error().message);
    }
    return std::move(*policy);
}

}  // namespace

// Members in construction order: each may use those above it.
struct ServiceGraph::Parts {
    Parts(store::Database& db, const Config& config)
        : accounts(db, clock, AccountSettingsFrom(config)),
          integrations(db, clock),
          keyring(KeyringFrom(config)),
          credentials(db, keyring, clock),
          follow_ups(2),
          executions(db),
          egress(EgressPolicyFrom(config)),
          outbound(egress, resolver, clock,
                   outbound::ClientSettings{.dns_cache_ttl =
                                                std::chrono::seconds(config.dns_cache_seconds)}),
          oauth(db, keyring, clock, integrations, credentials, outbound,
                oauth::OAuthSettings{.public_url = config.public_url}),
          calls(
              integrations, credentials, outbound, executions,
              [this](std::function<void()> work) {
                  boost::asio::post(follow_ups, std::move(work));
              },
              &oauth),
          services{.accounts = accounts,
                   .integrations = integrations,
                   .credentials = credentials,
                   .executions = executions,
                   .calls = calls,
                   .oauth = oauth,
                   .database = db,
                   .openapi_yaml = kOpenApiYaml},
          authenticator(accounts) {}

    core::SystemClock clock;
    accounts::AccountService accounts;
    integrations::IntegrationService integrations;
    vault::Keyring keyring;
    vault::CredentialService credentials;
    // Work after an upstream answered that must not run on the outbound loop or the log writer
    // (marking a refused credential, building a large answer). Before the log: its writer,
    // stopping, may still hand work here.
    boost::asio::thread_pool follow_ups;
    calllog::ExecutionLog executions;
    outbound::EgressPolicy egress;
    outbound::SystemResolver resolver;
    outbound::OutboundClient outbound;
    oauth::OAuthService oauth;
    calls::CallService calls;
    api::Services services;
    api::SessionAuthenticator authenticator;
};

ServiceGraph::ServiceGraph(store::Database& db, const Config& config)
    : parts_(std::make_unique<Parts>(db, config)) {}

ServiceGraph::~ServiceGraph() = default;

api::Services& ServiceGraph::services() { return parts_->services; }

http::Authenticator& ServiceGraph::authenticator() { return parts_->authenticator; }

}  // namespace gc::app
