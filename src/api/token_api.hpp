// Routes: GET/POST /api/tokens, DELETE /api/tokens/{id}.
#pragma once

#include "api/services.hpp"
#include "http/router.hpp"

namespace gc::api {

void RegisterTokenRoutes(http::Router& router, Services& services);

}  // namespace gc::api
