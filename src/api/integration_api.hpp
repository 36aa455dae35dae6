// Routes: GET/POST /api/custom-integrations, GET/PUT/DELETE /api/custom-integrations/{id}.
#pragma once

#include "api/services.hpp"
#include "http/router.hpp"

namespace gc::api {

void RegisterIntegrationRoutes(http::Router& router, Services& services);

}  // namespace gc::api
