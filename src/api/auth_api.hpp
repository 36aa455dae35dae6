// Routes: /api/auth/status, /api/auth/setup, /api/auth/login, /api/auth/logout, /api/me.
#pragma once

#include "api/services.hpp"
#include "http/router.hpp"

namespace gc::api {

void RegisterAuthRoutes(http::Router& router, Services& services);

}  // namespace gc::api
