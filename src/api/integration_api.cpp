#include "api/integration_api.hpp"

#include "api/handler_support.hpp"
#include "integrations/integration_input.hpp"

namespace gc::api {
namespace {

namespace json = boost::json;

}  // namespace

void RegisterIntegrationRoutes(http::Router& router, Services& services) {
    auto& integrations = services.integrations;

    router.Add("GET", "/api/custom-integrations", [&integrations](http::Request& req) {
        auto page = integrations.List(
            ScopeOf(req), {req.Query("name"), req.Query("cursor"), req.Query("limit")});
        if (!page) {
            return ErrorResponse(page.error());
        }
        json::array items;
        for (const auto& rec : page->items) {
            items.push_back(integrations::IntegrationToJson(rec));
        }
        json::object out{{"integrations", std::move(items)}};
        out["next_cursor"] = page->next_cursor.empty() ? json::value(nullptr)
                                                       : json::value(page->next_cursor);
        return http::Response::Json(200, out);
    });

    router.Add("POST", "/api/custom-integrations", [&integrations](http::Request& req) {
        auto body = JsonBody(req);
        if (!body) {
            return ErrorResponse(body.error());
        }
        auto rec = integrations.Create(ScopeOf(req), *body);
        if (!rec) {
            return ErrorResponse(rec.error());
        }
        auto resp = http::Response::Json(201, integrations::IntegrationToJson(*rec));
        resp.headers.emplace_back("Location", "/api/custom-integrations/" + rec->id);
        return resp;
    });

    router.Add("GET", "/api/custom-integrations/{id}", [&integrations](http::Request& req) {
        auto rec = integrations.Get(ScopeOf(req), req.PathParam("id"));
        if (!rec) {
            return ErrorResponse(rec.error());
        }
        return http::Response::Json(200, integrations::IntegrationToJson(*rec));
    });

    router.Add("PUT", "/api/custom-integrations/{id}", [&integrations](http::Request& req) {
        auto body = JsonBody(req);
        if (!body) {
            return ErrorResponse(body.error());
        }
        auto rec = integrations.Update(ScopeOf(req), req.PathParam("id"), *body);
        if (!rec) {
            return ErrorResponse(rec.error());
        }
        return http::Response::Json(200, integrations::IntegrationToJson(*rec));
    });

    router.Add("DELETE", "/api/custom-integrations/{id}", [&integrations](http::Request& req) {
        auto r = integrations.Delete(ScopeOf(req), req.PathParam("id"));
        if (!r) {
            return ErrorResponse(r.error());
        }
        return http::Response::NoContent();
    });
}

}  // namespace gc::api
