// Every API route, registered in one place (the server and the OpenAPI coverage test use it).
#pragma once

#include "api/services.hpp"
#include "http/router.hpp"

namespace gc::api {

void RegisterAllRoutes(http::Router& router, Services& services);

}  // namespace gc::api
