#include "api/integration_api.hpp"

#include "api/handler_support.hpp"
#include "integrations/integration_input.hpp"
#include "vault/credential_service.hpp"

namespace gc::api {
namespace {

namespace json = boost::json;

// The integrations as JSON, each with its stored credential's metadata in `credential` (null
// when none is stored).
core::Result<json::array> WithCredentials(vault::CredentialService& credentials,
                                          const core::Scope& scope,
                                          const std::vector<store::IntegrationRecord>& recs) {
    std::vector<std::string> ids;
    for (const auto& rec : recs) {
        ids.push_back(rec.id);
    }
    auto metas = credentials.MetaForIntegrations(scope, ids);
    if (!metas) {
        return metas.error();
    }
    json::array out;
    for (const auto& rec : recs) {
        const auto it = metas->find(rec.id);
        out.push_back(integrations::IntegrationToJson(
            rec, it == metas->end() ? json::value(nullptr)
                                    : json::value(vault::CredentialMetaToJson(it->second))));
    }
    return out;
}

http::Response OneWithCredential(vault::CredentialService& credentials, const core::Scope& scope,
                                 const store::IntegrationRecord& rec, int status) {
    auto items = WithCredentials(credentials, scope, {rec});
    if (!items) {
        return ErrorResponse(items.error());
    }
    return http::Response::Json(status, items->at(0));
}

}  // namespace

void RegisterIntegrationRoutes(http::Router& router, Services& services) {
    auto& integrations = services.integrations;
    auto& credentials = services.credentials;

    router.Add(
        "GET", "/api/custom-integrations", [&integrations, &credentials](http::Request& req) {
            auto page = integrations.List(
                ScopeOf(req), {req.Query("name"), req.Query("cursor"), req.Query("limit")});
            if (!page) {
                return ErrorResponse(page.error());
            }
            auto items = WithCredentials(credentials, ScopeOf(req), page->items);
            if (!items) {
                return ErrorResponse(items.error());
            }
            json::object out{{"integrations", std::move(*items)}};
            out["next_cursor"] =
                page->next_cursor.empty() ? json::value(nullptr) : json::value(page->next_cursor);
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

    router.Add("GET", "/api/custom-integrations/{id}",
               [&integrations, &credentials](http::Request& req) {
                   auto rec = integrations.Get(ScopeOf(req), req.PathParam("id"));
                   if (!rec) {
                       return ErrorResponse(rec.error());
                   }
                   return OneWithCredential(credentials, ScopeOf(req), *rec, 200);
               });

    router.Add("PUT", "/api/custom-integrations/{id}",
               [&integrations, &credentials](http::Request& req) {
                   auto body = JsonBody(req);
                   if (!body) {
                       return ErrorResponse(body.error());
                   }
                   auto rec = integrations.Update(ScopeOf(req), req.PathParam("id"), *body);
                   if (!rec) {
                       return ErrorResponse(rec.error());
                   }
                   return OneWithCredential(credentials, ScopeOf(req), *rec, 200);
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
