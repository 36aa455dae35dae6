#include "api/token_api.hpp"

#include "api/handler_support.hpp"

namespace gc::api {
namespace {

namespace json = boost::json;

json::object TokenJson(const accounts::TokenView& t) {
    json::object o{
        {"id", t.id}, {"name", t.name}, {"prefix", t.prefix}, {"created_at", t.created_at}};
    o["last_used_at"] = t.last_used_at ? json::value(*t.last_used_at) : json::value(nullptr);
    return o;
}

}  // namespace

void RegisterTokenRoutes(http::Router& router, Services& services) {
    auto& accounts = services.accounts;

    router.Add("GET", "/api/tokens", [&accounts](http::Request& req) {
        auto tokens = accounts.ListTokens(ScopeOf(req));
        if (!tokens) {
            return ErrorResponse(tokens.error());
        }
        json::array out;
        for (const auto& t : *tokens) {
            out.push_back(TokenJson(t));
        }
        return http::Response::Json(200, json::object{{"tokens", std::move(out)}});
    });

    router.Add("POST", "/api/tokens", [&accounts](http::Request& req) {
        auto body = JsonBody(req);
        if (!body) {
            return ErrorResponse(body.error());
        }
        auto t = accounts.CreateToken(ScopeOf(req), StringField(*body, "name"));
        if (!t) {
            return ErrorResponse(t.error());
        }
        json::object out = TokenJson(t->token);
        // The only time the token is ever shown; it is stored as a hash.
        out["token"] = t->plaintext.Reveal();
        return http::Response::Json(201, out);
    });

    router.Add("DELETE", "/api/tokens/{id}", [&accounts](http::Request& req) {
        auto r = accounts.DeleteToken(ScopeOf(req), req.PathParam("id"));
        if (!r) {
            return ErrorResponse(r.error());
        }
        return http::Response::NoContent();
    });
}

}  // namespace gc::api
