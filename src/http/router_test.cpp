// The rules every /api request shares, checked on the router alone.
#include "http/router.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <thread>

namespace gc::http {
namespace {

// Accepts "Bearer good" as a token and the cookie gc_session=s as a session with CSRF "c".
class StubAuthenticator final : public Authenticator {
  public:
    core::Result<AuthResult> Authenticate(const Request& req) override {
        AuthResult r;
        r.scope.user_id = "u";
        r.scope.workspace_id = "w";
        if (req.Header("authorization") == "Bearer good") {
            return r;
        }
        if (req.Cookie("gc_session") == "s") {
            r.csrf_token = "c";
            return r;
        }
        return core::Error::Make(core::ErrorCode::kUnauthenticated, "sign in first");
    }
};

class RouterTest : public ::testing::Test {
  protected:
    RouterTest() : router_(auth_) {
        router_.Add("GET", "/api/things/{id}", [](Request& req) {
            return Response::Json(200, boost::json::object{{"id", req.PathParam("id")},
                                                           {"ws", req.scope->workspace_id}});
        });
        router_.Add("DELETE", "/api/things/{id}", [](Request&) { return Response::NoContent(); });
        router_.Add("POST", "/api/open", [](Request&) { return Response::NoContent(); },
                    {.authenticated = false});
        router_.Add("GET", "/api/boom",
                    [](Request&) -> Response { throw std::runtime_error("secret detail"); });
        router_.AddAsync("GET", "/api/later", [](Request&, Respond respond) {
            std::thread([respond] { respond(Response::Json(202, "later")); }).detach();
        });
        router_.AddAsync("GET", "/api/answer-then-throw", [](Request&, Respond respond) {
            respond(Response::Json(200, "first"));
            throw std::runtime_error("after answering");
        });
        router_.SetFallback([](Request&) { return Response::Json(200, "ui"); });
    }

    Response Send(std::string method, std::string path,
                  std::vector<std::pair<std::string, std::string>> headers = {},
                  std::string body = {}) {
        Request req;
        req.method = std::move(method);
        req.path = std::move(path);
        req.headers = std::move(headers);
        req.body = std::move(body);
        return router_.Dispatch(req);
    }

    static std::string Code(const Response& r) {
        return std::string(boost::json::parse(r.body).at("error").at("code").as_string());
    }

    StubAuthenticator auth_;
    Router router_;
};

TEST_F(RouterTest, MatchesPathParametersAndSetsScopeFromAuthenticatorOnly) {
    auto r =
        Send("GET", "/api/things/42", {{"authorization", "Bearer good"}, {"x-user-id", "evil"}});
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(boost::json::parse(r.body).at("id"), "42");
    EXPECT_EQ(boost::json::parse(r.body).at("ws"), "w");
}

TEST_F(RouterTest, AnswersUnauthenticatedWithoutCredentials) {
    auto r = Send("GET", "/api/things/42");
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(Code(r), "unauthenticated");
}

TEST_F(RouterTest, AnswersMethodNotAllowedWithAllowHeader) {
    auto r = Send("PUT", "/api/things/42", {{"authorization", "Bearer good"}});
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(Code(r), "method_not_allowed");
    ASSERT_FALSE(r.headers.empty());
    EXPECT_EQ(r.headers[0].first, "Allow");
    EXPECT_EQ(r.headers[0].second, "GET, DELETE");
}

TEST_F(RouterTest, AnswersNotFoundForUnknownApiPathsAndFallsBackForOthers) {
    EXPECT_EQ(Send("GET", "/api/nope").status, 404);
    EXPECT_EQ(Send("GET", "/integrations/123").body, "\"ui\"");
    EXPECT_EQ(Send("POST", "/integrations").status, 404);
}

TEST_F(RouterTest, RequiresCsrfTokenForCookieSessionsThatChangeState) {
    EXPECT_EQ(Send("DELETE", "/api/things/1", {{"cookie", "gc_session=s"}}).status, 403);
    EXPECT_EQ(
        Code(Send("DELETE", "/api/things/1", {{"cookie", "gc_session=s"}, {"x-csrf-token", "x"}})),
        "csrf_failed");
    EXPECT_EQ(
        Send("DELETE", "/api/things/1", {{"cookie", "gc_session=s"}, {"x-csrf-token", "c"}}).status,
        204);
    EXPECT_EQ(Send("GET", "/api/things/1", {{"cookie", "a=b; gc_session=s"}}).status, 200);
    EXPECT_EQ(Send("DELETE", "/api/things/1", {{"authorization", "Bearer good"}}).status, 204);
}

TEST_F(RouterTest, RefusesBodiesThatAreNotJson) {
    auto r = Send("POST", "/api/open", {{"content-type", "text/plain"}}, "{}");
    EXPECT_EQ(r.status, 415);
    EXPECT_EQ(Send("POST", "/api/open", {{"content-type", "application/json; charset=utf-8"}}, "{}")
                  .status,
              204);
}

TEST_F(RouterTest, AsyncHandlersAnswerFromAnotherThreadAfterTheSameChecks) {
    EXPECT_EQ(Send("GET", "/api/later").status, 401);
    auto r = Send("GET", "/api/later", {{"authorization", "Bearer good"}});
    EXPECT_EQ(r.status, 202);
}

TEST_F(RouterTest, AnAsyncHandlerIsAnsweredOnceEvenWhenItThrowsAfterAnswering) {
    Request req;
    req.method = "GET";
    req.path = "/api/answer-then-throw";
    req.headers = {{"authorization", "Bearer good"}};
    int calls = 0;
    int status = 0;
    router_.DispatchAsync(req, [&](Response r) {
        ++calls;
        status = r.status;
    });
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(status, 200);
}

TEST_F(RouterTest, TurnsHandlerExceptionsIntoGenericInternalErrors) {
    auto r = Send("GET", "/api/boom", {{"authorization", "Bearer good"}});
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.body.find("secret detail"), std::string::npos);
}

}  // namespace
}  // namespace gc::http
