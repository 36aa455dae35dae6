// Accounts over HTTP: first-run setup, sessions with CSRF, API tokens, identity only from the
// session or token, and sign-in limits.
#include <boost/json/parse.hpp>

#include "api_fixture.hpp"
#include "core/hash.hpp"

namespace gc::apitest {
namespace {

namespace json = boost::json;

class AuthApi : public ApiTest {};

TEST_P(AuthApi, SetupCreatesTheOwnerOnceThenAnswersConflict) {
    EXPECT_EQ(Client().Get("/api/auth/status").Json().at("setup_required"), true);
    auto weak = Client().Post("/api/auth/setup",
                              json::object{{"email", "a@example.com"}, {"password", "short"}});
    EXPECT_EQ(weak.status, 422);
    EXPECT_EQ(weak.Json().at("error").at("details").at(0).at("field"), "password");

    SetupOwner(Client());
    EXPECT_EQ(Client().Get("/api/auth/status").Json().at("setup_required"), false);
    auto me = Client().Get("/api/me");
    ASSERT_EQ(me.status, 200) << me.body;
    EXPECT_EQ(me.Json().at("user").at("email"), "owner@example.com");
    EXPECT_EQ(me.Json().at("workspace").at("role"), "owner");

    auto again = NewClient().Post("/api/auth/setup", json::object{{"email", "b@example.com"},
                                                                  {"password", "long enough pw"}});
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(again.Json().at("error").at("code"), "conflict");
    EXPECT_EQ(Scalar("SELECT COUNT(*) FROM users"), "1");
}

TEST_P(AuthApi, PasswordsAreStoredAsArgon2idHashes) {
    SetupOwner(Client());
    const std::string hash = Scalar("SELECT password_hash FROM users");
    EXPECT_TRUE(hash.starts_with("$argon2id$")) << hash;
    EXPECT_EQ(hash.find("correct horse"), std::string::npos);
}

TEST_P(AuthApi, LoginSetsAnHttpOnlySameSiteLaxSessionCookie) {
    SetupOwner(Client());
    auto c = NewClient();
    auto wrong = c.Post("/api/auth/login", json::object{{"email", "owner@example.com"},
                                                        {"password", "wrong password"}});
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(wrong.Json().at("error").at("code"), "invalid_credentials");
    auto unknown = c.Post("/api/auth/login", json::object{{"email", "nobody@example.com"},
                                                          {"password", "wrong password"}});
    EXPECT_EQ(unknown.Json().at("error").at("message"), wrong.Json().at("error").at("message"));

    auto ok = c.Post("/api/auth/login", json::object{{"email", "OWNER@example.com "},
                                                     {"password", "correct horse battery"}});
    ASSERT_EQ(ok.status, 200) << ok.body;
    const std::string cookie = ok.Header("Set-Cookie");
    EXPECT_NE(cookie.find("gc_session="), std::string::npos);
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);
    EXPECT_NE(cookie.find("Path=/"), std::string::npos);
    EXPECT_FALSE(ok.Json().at("csrf_token").as_string().empty());
    EXPECT_EQ(ok.body.find(c.Cookie("gc_session")), std::string::npos);  // token only in the cookie
    EXPECT_EQ(c.Get("/api/me").status, 200);
}

TEST_P(AuthApi, CookieSessionsNeedTheCsrfTokenToChangeState) {
    const std::string csrf = SetupOwner(Client());
    Client().RemoveDefaultHeader("X-CSRF-Token");
    auto refused = Client().Post("/api/custom-integrations", SeedIntegration());
    EXPECT_EQ(refused.status, 403);
    EXPECT_EQ(refused.Json().at("error").at("code"), "csrf_failed");
    EXPECT_EQ(Scalar("SELECT COUNT(*) FROM custom_integrations"), "0");
    auto wrong =
        Client().Post("/api/custom-integrations", SeedIntegration(), {{"X-CSRF-Token", "x"}});
    EXPECT_EQ(wrong.status, 403);
    auto ok =
        Client().Post("/api/custom-integrations", SeedIntegration(), {{"X-CSRF-Token", csrf}});
    EXPECT_EQ(ok.status, 201) << ok.body;
    EXPECT_EQ(Client().Get("/api/custom-integrations").status, 200);  // reads need no token
    // /api/me hands the token back to a reloaded page.
    EXPECT_EQ(Client().Get("/api/me").Json().at("csrf_token").as_string(), csrf);
}

TEST_P(AuthApi, LogoutEndsTheSession) {
    SetupOwner(Client());
    const std::string old_cookie = Client().Cookie("gc_session");
    auto out = Client().Post("/api/auth/logout", json::object{});
    EXPECT_EQ(out.status, 204);
    EXPECT_EQ(Client().Get("/api/me").status, 401);
    auto replay = NewClient().Get("/api/me", {{"Cookie", "gc_session=" + old_cookie}});
    EXPECT_EQ(replay.status, 401);
}

TEST_P(AuthApi, EveryApiRouteButHealthSetupAndLoginNeedsAuthentication) {
    const std::vector<std::pair<std::string, std::string>> routes = {
        {"GET", "/api/me"},
        {"POST", "/api/auth/logout"},
        {"GET", "/api/tokens"},
        {"POST", "/api/tokens"},
        {"DELETE", "/api/tokens/00000000-0000-4000-8000-000000000000"},
        {"GET", "/api/custom-integrations"},
        {"POST", "/api/custom-integrations"},
        {"GET", "/api/custom-integrations/00000000-0000-4000-8000-000000000000"},
        {"PUT", "/api/custom-integrations/00000000-0000-4000-8000-000000000000"},
        {"DELETE", "/api/custom-integrations/00000000-0000-4000-8000-000000000000"},
    };
    SetupOwner(Client());
    for (const auto& [method, path] : routes) {
        auto c = NewClient();
        auto r = c.Request(method, path + "?user_id=whoever", method == "GET" ? "" : "{}",
                           {{"Content-Type", "application/json"}, {"X-User-Id", "whoever"}});
        EXPECT_EQ(r.status, 401) << method << " " << path;
        EXPECT_EQ(r.Json().at("error").at("code"), "unauthenticated") << method << " " << path;
        auto bad_token = c.Request(method, path, "", {{"Authorization", "Bearer gct_forged"}});
        EXPECT_EQ(bad_token.status, 401) << method << " " << path;
    }
    EXPECT_EQ(NewClient().Get("/health").status, 200);
    EXPECT_EQ(NewClient().Get("/ready").status, 200);
    EXPECT_EQ(NewClient().Get("/api/auth/status").status, 200);
}

TEST_P(AuthApi, ApiTokensAreShownOnceStoredHashedAndRevocable) {
    SetupOwner(Client());
    auto created = Client().Post("/api/tokens", json::object{{"name", "ci"}});
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string token(created.Json().at("token").as_string());
    const std::string id(created.Json().at("id").as_string());
    EXPECT_TRUE(token.starts_with("gct_"));
    EXPECT_EQ(Scalar("SELECT token_hash FROM api_tokens"), core::Sha256Hex(token));

    auto listed = Client().Get("/api/tokens");
    ASSERT_EQ(listed.status, 200);
    EXPECT_EQ(listed.body.find(token), std::string::npos);
    EXPECT_EQ(listed.Json().at("tokens").as_array().size(), 1u);

    auto bearer = NewClient();
    bearer.SetDefaultHeader("Authorization", "Bearer " + token);
    EXPECT_EQ(bearer.Get("/api/me").status, 200);
    // A bearer token needs no CSRF token: browsers never send it on their own.
    EXPECT_EQ(bearer.Post("/api/custom-integrations", SeedIntegration()).status, 201);

    EXPECT_EQ(Client().Delete("/api/tokens/" + id).status, 204);
    EXPECT_EQ(bearer.Get("/api/me").status, 401);
    EXPECT_EQ(Client().Delete("/api/tokens/" + id).status, 404);
    EXPECT_EQ(Client().Post("/api/tokens", json::object{{"name", ""}}).status, 422);
}

TEST_P(AuthApi, IdentityComesOnlyFromTheSessionOrToken) {
    SetupOwner(Client());
    const std::string other_token = UserWithToken("other@example.com");
    auto other = NewClient();
    other.SetDefaultHeader("Authorization", "Bearer " + other_token);
    const std::string other_id(other.Get("/api/me").Json().at("user").at("id").as_string());
    ASSERT_EQ(Client().Post("/api/custom-integrations", SeedIntegration("mine")).status, 201);

    // Claiming the other user's id in query, header or body changes nothing.
    auto list =
        Client().Get("/api/custom-integrations?user_id=" + other_id, {{"X-User-Id", other_id}});
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(list.Json().at("integrations").as_array().size(), 1u);
    auto theirs =
        other.Get("/api/custom-integrations?user_id=" +
                  std::string(Client().Get("/api/me").Json().at("user").at("id").as_string()));
    EXPECT_EQ(theirs.Json().at("integrations").as_array().size(), 0u);
    auto body = SeedIntegration("posted_as_other");
    body.as_object()["user_id"] = other_id;
    body.as_object()["workspace_id"] = other_id;
    ASSERT_EQ(Client().Post("/api/custom-integrations", body).status, 201);
    EXPECT_EQ(other.Get("/api/custom-integrations").Json().at("integrations").as_array().size(),
              0u);
}

TEST_P(AuthApi, LoginIsLimitedPerAccount) {
    SetupOwner(Client());
    auto c = NewClient();
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(c.Post("/api/auth/login", json::object{{"email", "owner@example.com"},
                                                         {"password", "wrong password"}})
                      .status,
                  401);
    }
    auto limited = c.Post("/api/auth/login", json::object{{"email", "owner@example.com"},
                                                          {"password", "correct horse battery"}});
    EXPECT_EQ(limited.status, 429);
    EXPECT_EQ(limited.Json().at("error").at("code"), "rate_limited");
    EXPECT_GT(std::stoi(limited.Header("Retry-After")), 0);
}

TEST_P(AuthApi, LoginIsLimitedPerClientAddress) {
    Start({{"CONNECTOR_LOGIN_MAX_ATTEMPTS_PER_ADDRESS", "3"}});
    SetupOwner(Client());
    auto c = NewClient();
    for (int i = 0; i < 3; ++i) {
        c.Post("/api/auth/login",
               json::object{{"email", "user" + std::to_string(i) + "@example.com"},
                            {"password", "whatever pw"}});
    }
    auto limited = c.Post("/api/auth/login", json::object{{"email", "owner@example.com"},
                                                          {"password", "correct horse battery"}});
    EXPECT_EQ(limited.status, 429);
    EXPECT_FALSE(limited.Header("Retry-After").empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, AuthApi, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendName);

}  // namespace
}  // namespace gc::apitest
