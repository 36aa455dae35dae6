#include "api/routes.hpp"

#include "api/auth_api.hpp"
#include "api/call_api.hpp"
#include "api/credential_api.hpp"
#include "api/execution_api.hpp"
#include "api/health_api.hpp"
#include "api/integration_api.hpp"
#include "api/oauth_api.hpp"
#include "api/token_api.hpp"

namespace gc::api {

void RegisterAllRoutes(http::Router& router, Services& services) {
    RegisterHealthRoutes(router, services);
    RegisterAuthRoutes(router, services);
    RegisterTokenRoutes(router, services);
    RegisterIntegrationRoutes(router, services);
    RegisterCredentialRoutes(router, services);
    RegisterExecutionRoutes(router, services);
    RegisterCallRoutes(router, services);
    RegisterOAuthRoutes(router, services);
}

}  // namespace gc::api
