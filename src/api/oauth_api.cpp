// The OAuth2 connect endpoints: browser navigations (the session cookie is sent on top-level GETs
// with SameSite=Lax), answered with redirects. No code, state or token is logged or echoed.
#include "api/oauth_api.hpp"

#include "api/handler_support.hpp"
#include "oauth/oauth_service.hpp"

namespace gc::api {
namespace {

http::Response Redirect(const std::string& location) {
    http::Response r;
    r.status = 302;
    r.content_type.clear();
    r.headers.emplace_back("Location", location);
    return r;
}

}  // namespace

void RegisterOAuthRoutes(http::Router& router, Services& services) {
    auto& oauth = services.oauth;

    router.Add(
        "GET", "/api/custom-integrations/{id}/oauth/authorize", [&oauth](http::Request& req) {
            auto url = oauth.BeginAuthorize(ScopeOf(req), req.PathParam("id"), req.Header("host"));
            if (!url) {
                return ErrorResponse(url.error());
            }
            return Redirect(*url);
        });

    router.Add("GET", "/api/oauth/callback", [&oauth](http::Request& req) {
        const auto done = oauth.CompleteAuthorize(ScopeOf(req), req.Query("code"),
                                                  req.Query("state"), req.Query("error"));
        return Redirect(done.location);
    });
}

}  // namespace gc::api
