#include "api/health_api.hpp"

#include "api/handler_support.hpp"

namespace gc::api {

void RegisterHealthRoutes(http::Router& router, Services& services) {
    router.Add("GET", "/health",
               [](http::Request&) {
                   return http::Response::Json(200, boost::json::object{{"status", "ok"}});
               },
               {.authenticated = false});

    router.Add("GET", "/ready",
               [&db = services.database](http::Request&) {
                   auto ping = db.Ping();
                   if (!ping) {
                       return http::Response::Json(
                           503, boost::json::object{{"status", "unavailable"},
                                                    {"database", "unreachable"}});
                   }
                   return http::Response::Json(
                       200, boost::json::object{{"status", "ready"}, {"database", "ok"}});
               },
               {.authenticated = false});

    router.Add("GET", "/api/openapi.yaml",
               [yaml = services.openapi_yaml](http::Request&) {
                   http::Response r;
                   r.content_type = "application/yaml";
                   r.body = std::string(yaml);
                   return r;
               },
               {.authenticated = false});
}

}  // namespace gc::api
