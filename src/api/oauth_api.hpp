// Routes: GET /api/custom-integrations/{id}/oauth/authorize (302 to the provider) and
// GET /api/oauth/callback (302 back to the integration's page in the UI).
#pragma once

#include "api/services.hpp"
#include "http/router.hpp"

namespace gc::api {

void RegisterOAuthRoutes(http::Router& router, Services& services);

}  // namespace gc::api
