// Routes: POST /api/custom-integrations/{id}/test (the seed's live test) and POST /api/execute
// (execute_step). Both answer once the upstream has, without holding a worker thread meanwhile.
#pragma once

#include "api/services.hpp"
#include "http/router.hpp"

namespace gc::api {

void RegisterCallRoutes(http::Router& router, Services& services);

}  // namespace gc::api
