// http::Authenticator over the account service: a bearer token, else the session cookie.
#pragma once

#include "accounts/account_service.hpp"
#include "http/router.hpp"

namespace gc::api {

inline constexpr std::string_view kSessionCookie = "gc_session";

class SessionAuthenticator final : public http::Authenticator {
  public:
    explicit SessionAuthenticator(accounts::AccountService& accounts) : accounts_(accounts) {}
    core::Result<http::AuthResult> Authenticate(const http::Request& req) override;

  private:
    accounts::AccountService& accounts_;
};

}  // namespace gc::api
