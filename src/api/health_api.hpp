// Routes: GET /health (alive), GET /ready (database reachable), GET /api/openapi.yaml.
#pragma once

#include "api/services.hpp"
#include "http/router.hpp"

namespace gc::api {

void RegisterHealthRoutes(http::Router& router, Services& services);

}  // namespace gc::api
