#include "api/session_authenticator.hpp"

namespace gc::api {

core::Result<http::AuthResult> SessionAuthenticator::Authenticate(const http::Request& req) {
    const std::string authorization = req.Header("authorization");
    if (!authorization.empty()) {
        if (authorization.size() < 8 || authorization.substr(0, 7) != "Bearer ") {
            return core::Error::Make(core::ErrorCode::kUnauthenticated,
                                     "Authorization must be 'Bearer <API token>'");
        }
        auto p = accounts_.AuthenticateToken(authorization.substr(7));
        if (!p) {
            return p.error();
        }
        return http::AuthResult{p->scope, ""};
    }
    const std::string cookie = req.Cookie(kSessionCookie);
    if (cookie.empty()) {
        return core::Error::Make(core::ErrorCode::kUnauthenticated,
                                 "sign in, or send an API token as Authorization: Bearer");
    }
    auto p = accounts_.AuthenticateSession(cookie);
    if (!p) {
        return p.error();
    }
    return http::AuthResult{p->scope, p->csrf_token};
}

}  // namespace gc::api
