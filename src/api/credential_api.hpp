// Routes: POST/GET/DELETE /api/custom-integrations/{id}/credentials and
// POST /api/custom-integrations/{id}/credentials/invalidate. Answers carry metadata only.
#pragma once

#include "api/services.hpp"
#include "http/router.hpp"

namespace gc::api {

void RegisterCredentialRoutes(http::Router& router, Services& services);

}  // namespace gc::api
