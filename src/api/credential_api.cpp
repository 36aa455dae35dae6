// The credential endpoints: parse, one vault call, the metadata as JSON. The secret travels only
// inbound, in the POST body; no answer, error or log line carries it.
#include "api/credential_api.hpp"

#include "api/handler_support.hpp"
#include "vault/credential_service.hpp"

namespace gc::api {

void RegisterCredentialRoutes(http::Router& router, Services& services) {
    auto& credentials = services.credentials;
    const std::string path = "/api/custom-integrations/{id}/credentials";

    router.Add("POST", path, [&credentials](http::Request& req) {
        auto body = JsonBody(req);
        if (!body) {
            return ErrorResponse(body.error());
        }
        auto meta = credentials.Put(ScopeOf(req), req.PathParam("id"), *body);
        if (!meta) {
            return ErrorResponse(meta.error());
        }
        return http::Response::Json(201, vault::CredentialMetaToJson(*meta));
    });

    router.Add("GET", path, [&credentials](http::Request& req) {
        auto meta = credentials.GetMeta(ScopeOf(req), req.PathParam("id"));
        if (!meta) {
            return ErrorResponse(meta.error());
        }
        return http::Response::Json(200, vault::CredentialMetaToJson(*meta));
    });

    router.Add("DELETE", path, [&credentials](http::Request& req) {
        auto r = credentials.Delete(ScopeOf(req), req.PathParam("id"));
        if (!r) {
            return ErrorResponse(r.error());
        }
        return http::Response::NoContent();
    });

    router.Add("POST", path + "/invalidate", [&credentials](http::Request& req) {
        auto body = JsonBody(req);
        if (!body) {
            return ErrorResponse(body.error());
        }
        auto meta = credentials.Invalidate(ScopeOf(req), req.PathParam("id"), *body);
        if (!meta) {
            return ErrorResponse(meta.error());
        }
        return http::Response::Json(200, vault::CredentialMetaToJson(*meta));
    });
}

}  // namespace gc::api
