#include "api/auth_api.hpp"

#include "api/handler_support.hpp"
#include "api/session_authenticator.hpp"

namespace gc::api {
namespace {

namespace json = boost::json;

json::object UserJson(const accounts::UserView& u) {
    return {{"id", u.id}, {"email", u.email}, {"name", u.name}};
}

json::object WorkspaceJson(const accounts::WorkspaceView& w) {
    return {{"id", w.id}, {"name", w.name}, {"role", w.role}};
}

std::string SessionCookie(const http::Request& req, const std::string& value, long max_age) {
    std::string cookie = std::string(kSessionCookie) + "=" + value +
                         "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age);
    // Behind a TLS-terminating proxy the cookie must never travel over plain HTTP.
    if (req.Header("x-forwarded-proto") == "https") {
        cookie += "; Secure";
    }
    return cookie;
}

http::Response SignedIn(const http::Request& req, int status, const accounts::SignIn& s) {
    auto resp = http::Response::Json(status, json::object{{"user", UserJson(s.user)},
                                                          {"workspace", WorkspaceJson(s.workspace)},
                                                          {"csrf_token", s.csrf_token}});
    const auto max_age = std::chrono::duration_cast<std::chrono::seconds>(
                             s.expires_at - std::chrono::system_clock::now())
                             .count();
    resp.headers.emplace_back("Set-Cookie",
                              SessionCookie(req, s.session_token.Reveal(), long(max_age)));
    return resp;
}

}  // namespace

void RegisterAuthRoutes(http::Router& router, Services& services) {
    auto& accounts = services.accounts;

    router.Add("GET", "/api/auth/status",
               [&accounts](http::Request&) {
                   auto required = accounts.SetupRequired();
                   if (!required) {
                       return ErrorResponse(required.error());
                   }
                   return http::Response::Json(200, json::object{{"setup_required", *required}});
               },
               {.authenticated = false});

    router.Add("POST", "/api/auth/setup",
               [&accounts](http::Request& req) {
                   auto body = JsonBody(req);
                   if (!body) {
                       return ErrorResponse(body.error());
                   }
                   auto s = accounts.Setup(StringField(*body, "email"), StringField(*body, "name"),
                                           core::Secret(StringField(*body, "password")));
                   if (!s) {
                       return ErrorResponse(s.error());
                   }
                   return SignedIn(req, 201, *s);
               },
               {.authenticated = false});

    router.Add("POST", "/api/auth/login",
               [&accounts](http::Request& req) {
                   auto body = JsonBody(req);
                   if (!body) {
                       return ErrorResponse(body.error());
                   }
                   std::vector<core::FieldProblem> missing;
                   for (const char* field : {"email", "password"}) {
                       if (StringField(*body, field).empty()) {
                           missing.push_back({field, "is required"});
                       }
                   }
                   if (!missing.empty()) {
                       return ErrorResponse(core::Error::Validation(std::move(missing)));
                   }
                   auto s = accounts.Login(StringField(*body, "email"),
                                           core::Secret(StringField(*body, "password")),
                                           req.client_address);
                   if (!s) {
                       return ErrorResponse(s.error());
                   }
                   return SignedIn(req, 200, *s);
               },
               {.authenticated = false});

    router.Add("POST", "/api/auth/logout", [&accounts](http::Request& req) {
        auto r = accounts.Logout(ScopeOf(req));
        if (!r) {
            return ErrorResponse(r.error());
        }
        auto resp = http::Response::NoContent();
        resp.headers.emplace_back("Set-Cookie", SessionCookie(req, "", 0));
        return resp;
    });

    router.Add("GET", "/api/me", [&accounts](http::Request& req) {
        auto p = accounts.Describe(ScopeOf(req));
        if (!p) {
            return ErrorResponse(p.error());
        }
        json::object out{{"user", UserJson(p->user)}, {"workspace", WorkspaceJson(p->workspace)}};
        const std::string cookie = req.Cookie(kSessionCookie);
        if (ScopeOf(req).auth == core::AuthKind::kSession && !cookie.empty()) {
            out["csrf_token"] = accounts::AccountService::CsrfTokenFor(cookie);
        }
        return http::Response::Json(200, out);
    });
}

}  // namespace gc::api
