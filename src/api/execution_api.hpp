// Routes: GET /api/executions, GET /api/executions/{id} (the call log).
#pragma once

#include "api/services.hpp"
#include "http/router.hpp"

namespace gc::api {

void RegisterExecutionRoutes(http::Router& router, Services& services);

}  // namespace gc::api
