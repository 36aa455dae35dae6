// The services the API handlers call, built once in app/ and handed to every Register*Routes.
#pragma once

#include <string>

#include "accounts/account_service.hpp"
#include "calls/call_service.hpp"
#include "calllog/execution_log.hpp"
#include "oauth/oauth_service.hpp"
#include "integrations/integration_service.hpp"
#include "store/database.hpp"
#include "vault/credential_service.hpp"

namespace gc::api {

struct Services {
    accounts::AccountService& accounts;
    integrations::IntegrationService& integrations;
    vault::CredentialService& credentials;
    calllog::ExecutionLog& executions;
    calls::CallService& calls;
    oauth::OAuthService& oauth;
    store::Database& database;      // only for /ready's ping
    std::string_view openapi_yaml;  // docs/openapi.yaml, embedded at build time
};

}  // namespace gc::api
