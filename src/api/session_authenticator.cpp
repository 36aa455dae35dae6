#include "api/session_authenticator.hpp"

namespace gc::api {

namespace {

bool IsBearer(const std::string& authorization) {
    return authorization.size() >= 8 && authorization.starts_with("Bearer ");
}

core::Error NotBearer() {
    return core::Error::Make(core::ErrorCode::kUnauthenticated,
                             "Authorization must be 'Bearer <API token>'");
}

}  // namespace

std::optional<core::Result<http::AuthResult>> SessionAuthenticator::AuthenticateIfCached(
    const http::Request& req) {
    const std::string authorization = req.Header("authorization");
    if (authorization.empty()) {
        return std::nullopt;
    }
    if (!IsBearer(authorization)) {
        return core::Result<http::AuthResult>(NotBearer());
    }
    auto p = accounts_.AuthenticateTokenIfCached(authorization.substr(7));
    if (!p) {
        return std::nullopt;
    }
    if (!*p) {
        return core::Result<http::AuthResult>(p->error());
    }
    return core::Result<http::AuthResult>(http::AuthResult{(*p)->scope, ""});
}

core::Result<http::AuthResult> SessionAuthenticator::Authenticate(const http::Request& req) {
    const std::string authorization = req.Header("authorization");
    if (!authorization.empty()) {
        if (!IsBearer(authorization)) {
            return NotBearer();
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
