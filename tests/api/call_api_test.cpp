// Calling APIs over HTTP: the seed's /test, /api/execute (execute_step), the egress guard,
// upstream 401 invalidating the credential, and the call log — against a local mock API that
// CONNECTOR_EGRESS_ALLOW lets through.
#include <algorithm>
#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <thread>
#include <vector>

#include "api_fixture.hpp"
#include "support/mock_upstream.hpp"

namespace gc::apitest {
namespace {

namespace json = boost::json;

class CallApi : public ApiTest {
  protected:
    void SetUp() override {
        ApiTest::SetUp();
        if (HasFatalFailure()) {
            return;
        }
        Start({{"CONNECTOR_EGRESS_ALLOW", "127.0.0.1:" + std::to_string(mock_.Port())}});
        SetupOwner(Client());
        mock_.On("GET", "/v1/users/*", [](const test::RecordedRequest& r) {
            return test::MockResponse::Json(
                200, R"({"path":")" + r.path + R"(","query":")" + r.query + R"(","key_ok":)" +
                         (r.Header("X-API-Key") == kKey ? "true" : "false") + "}");
        });
        mock_.On("POST", "/v1/items", [](const test::RecordedRequest& r) {
            return test::MockResponse::Json(201, r.body);
        });
        mock_.On("GET", "/v1/text",
                 test::MockResponse{200, {{"Content-Type", "text/plain"}}, "plain words"});
        mock_.On("GET", "/v1/big",
                 test::MockResponse{
                     200, {{"Content-Type", "text/plain"}}, std::string(2 * 1024 * 1024, 'x')});
        mock_.On("GET", "/v1/revoked", test::MockResponse::Json(401, R"({"error":"bad key"})"));
        integration_id_ = CreateIntegration();
    }

    std::string CreateIntegration() {
        json::value body = json::parse(R"({
          "name": "mock", "auth_type": "api_key", "base_url": ")" +
                                       mock_.BaseUrl() + R"(/v1",
          "actions": [
            {"action_id": "get_user", "http_method": "GET", "endpoint": "/users/{user_id}",
             "parameters": [{"name": "user_id", "in": "path", "type": "string"},
                            {"name": "fields", "in": "query", "type": "string"}]},
            {"action_id": "create_item", "http_method": "POST", "endpoint": "/items",
             "parameters": [{"name": "title", "in": "body", "type": "string", "required": true},
                            {"name": "count", "in": "body", "type": "integer"}]}
          ]})");
        auto r = Client().Post("/api/custom-integrations", body);
        EXPECT_EQ(r.status, 201) << r.body;
        return std::string(r.Json().at("id").as_string());
    }

    void StoreKey() {
        auto r = Client().Post("/api/custom-integrations/" + integration_id_ + "/credentials",
                               json::object{{"type", "api_key"}, {"value", kKey}});
        ASSERT_EQ(r.status, 201) << r.body;
    }

    test::HttpResponse Execute(const std::string& action, const json::value& params) {
        return Client().Post("/api/execute", json::object{{"provider", "custom_" + integration_id_},
                                                          {"action", action},
                                                          {"params", params}});
    }

    static constexpr const char* kKey = "sk_test_canary_4242";
    test::MockUpstream mock_;
    std::string integration_id_;
};

TEST_P(CallApi, AJsonBodyComesBackAsTheUpstreamWroteIt) {
    // Digits a double cannot hold: rebuilding the body as a tree would round them.
    const std::string exact =
        R"({"id": 123456789012345678901234567890, "price": 0.1000000000000000055511151231257827,)"
        R"( "tags": ["a", "\u00e9"], "none": null})";
    mock_.On("GET", "/v1/exact", test::MockResponse::Json(200, exact));
    mock_.On("GET", "/v1/not-json", test::MockResponse::Json(200, R"({"cut": [1, 2)"));
    mock_.On("GET", "/v1/null", test::MockResponse::Json(200, "null"));
    StoreKey();

    auto r = Client().Post("/api/custom-integrations/" + integration_id_ + "/test",
                           json::object{{"endpoint", "/exact"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find(R"("body":)" + exact), std::string::npos) << r.body;
    EXPECT_EQ(r.Json().at("body").at("tags").at(1), "\u00e9");
    EXPECT_TRUE(r.Json().at("body").at("none").is_null());

    // Said to be JSON but not a whole document: a string, as any other text.
    auto broken = Client().Post("/api/custom-integrations/" + integration_id_ + "/test",
                                json::object{{"endpoint", "/not-json"}});
    EXPECT_EQ(broken.Json().at("body"), R"({"cut": [1, 2)");
    auto null = Client().Post("/api/custom-integrations/" + integration_id_ + "/test",
                              json::object{{"endpoint", "/null"}});
    EXPECT_TRUE(null.Json().at("body").is_null()) << null.body;
}

TEST_P(CallApi, TheSeedsTestCallReachesTheApiWithTheCredential) {
    StoreKey();
    auto r = Client().Post("/api/custom-integrations/" + integration_id_ + "/test",
                           json::object{{"endpoint", "/users/7"}, {"method", "GET"}});
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = r.Json();
    EXPECT_EQ(j.at("status"), "success");
    EXPECT_EQ(j.at("status_code"), 200);
    EXPECT_TRUE(j.at("duration_ms").is_int64());
    EXPECT_EQ(j.at("body").at("key_ok"), true);  // JSON came back as JSON
    EXPECT_EQ(j.at("headers").at("content-type"), "application/json");
    EXPECT_EQ(r.body.find(kKey), std::string::npos);

    auto text = Client().Post("/api/custom-integrations/" + integration_id_ + "/test",
                              json::object{{"endpoint", "/text"}});
    EXPECT_EQ(text.Json().at("body"), "plain words");
    auto big = Client().Post("/api/custom-integrations/" + integration_id_ + "/test",
                             json::object{{"endpoint", "/big"}});
    ASSERT_EQ(big.status, 200) << big.body.substr(0, 200);
    EXPECT_EQ(big.Json().at("truncated"), true);
    EXPECT_EQ(big.Json().at("body").as_string().size(), 1024u * 1024u);
}

TEST_P(CallApi, ExecuteRunsAnActionWithItsParametersPlaced) {
    StoreKey();
    auto r = Execute("get_user", json::parse(R"({"user_id": "a b", "fields": "name"})"));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Json().at("body").at("path"), "/v1/users/a%20b");
    EXPECT_EQ(r.Json().at("body").at("query"), "fields=name");
    EXPECT_EQ(r.Json().at("body").at("key_ok"), true);

    auto created = Execute("create_item", json::parse(R"({"title": "hello", "count": 2})"));
    ASSERT_EQ(created.status, 200) << created.body;
    EXPECT_EQ(created.Json().at("status_code"), 201);
    EXPECT_EQ(created.Json().at("body"), json::parse(R"({"title": "hello", "count": 2})"));
}

TEST_P(CallApi, ACallUsesTheIntegrationAsLastSavedAndNoneOnceDeleted) {
    // Calls read integrations through a cache: a change or a delete must show on the next call.
    StoreKey();
    mock_.On("GET", "/v2/users/*", test::MockResponse::Json(200, R"({"version":2})"));
    auto first = Execute("get_user", json::object{{"user_id", "1"}});
    ASSERT_EQ(first.status, 200) << first.body;
    EXPECT_EQ(first.Json().at("body").at("path"), "/v1/users/1");

    json::value changed = json::parse(R"({
      "name": "mock", "auth_type": "api_key", "base_url": ")" +
                                      mock_.BaseUrl() + R"(/v2",
      "actions": [{"action_id": "get_user", "http_method": "GET", "endpoint": "/users/{user_id}",
                   "parameters": [{"name": "user_id", "in": "path", "type": "string"}]}]})");
    ASSERT_EQ(Client().Put("/api/custom-integrations/" + integration_id_, changed).status, 200);
    auto second = Execute("get_user", json::object{{"user_id", "1"}});
    ASSERT_EQ(second.status, 200) << second.body;
    EXPECT_EQ(second.Json().at("body").at("version"), 2);

    ASSERT_EQ(Client().Delete("/api/custom-integrations/" + integration_id_).status, 204);
    EXPECT_EQ(Execute("get_user", json::object{{"user_id", "1"}}).status, 404);
}

TEST_P(CallApi, BadParametersAre422NamingTheParameterAndMakeNoCall) {
    StoreKey();
    mock_.ClearRequests();
    auto missing = Execute("create_item", json::parse(R"({"count": 2})"));
    EXPECT_EQ(missing.status, 422);
    EXPECT_EQ(missing.Json().at("error").at("details").at(0).at("field"), "params.title");
    auto wrong = Execute("create_item", json::parse(R"({"title": "t", "count": "two"})"));
    EXPECT_EQ(wrong.Json().at("error").at("details").at(0).at("field"), "params.count");
    EXPECT_EQ(Execute("no_such_action", json::object()).status, 404);
    auto bad_provider =
        Client().Post("/api/execute", json::object{{"provider", "stripe"}, {"action", "x"}});
    EXPECT_EQ(bad_provider.status, 422);
    EXPECT_EQ(mock_.RequestCount(), 0u);
}

TEST_P(CallApi, WithoutACredentialTheCallIsRefusedAndLogged) {
    mock_.ClearRequests();
    auto r = Execute("get_user", json::object{{"user_id", "1"}});
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(r.Json().at("error").at("code"), "credential_missing");
    EXPECT_EQ(mock_.RequestCount(), 0u);
    auto log = Client().Get("/api/executions").Json().at("executions");
    ASSERT_EQ(log.as_array().size(), 1u);
    EXPECT_EQ(log.at(0).at("error_code"), "credential_missing");
}

TEST_P(CallApi, AnotherWorkspaceCannotCallThroughTheIntegration) {
    StoreKey();
    auto other = NewClient();
    other.SetDefaultHeader("Authorization", "Bearer " + UserWithToken("other@example.com"));
    auto r = other.Post("/api/execute", json::object{{"provider", "custom_" + integration_id_},
                                                     {"action", "get_user"},
                                                     {"params", json::object{{"user_id", "1"}}}});
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(
        other.Post("/api/custom-integrations/" + integration_id_ + "/test", json::object{}).status,
        404);
}

TEST_P(CallApi, TheEgressGuardRefusesPrivateDestinationsWithoutConnecting) {
    // 127.0.0.1 on another port is not in CONNECTOR_EGRESS_ALLOW; nothing listens there anyway.
    // Only loopback forms here: this server shares the machine's network, so a guard bug must not
    // be able to send anything off it. Private, link-local and metadata addresses are refused on
    // the guard's decision function (egress_guard_test) and through the client in a network
    // namespace with only loopback (outbound_tests).
    for (const std::string base :
         {"http://127.0.0.1:1/v1", "http://2130706433:1", "http://0x7f.0.0.1:1",
          "http://0177.0.0.1:1", "http://[::1]:1", "http://localhost:1",
          "http://[::ffff:127.0.0.1]:1", "http://[::ffff:7f00:1]:1", "http://127.1:1"}) {
        auto created = Client().Post(
            "/api/custom-integrations",
            json::object{
                {"name", "guard_" + std::to_string(std::hash<std::string>{}(base) % 100000)},
                {"auth_type", "none"},
                {"base_url", base}});
        ASSERT_EQ(created.status, 201) << base << " " << created.body;
        const std::string id(created.Json().at("id").as_string());
        auto r = Client().Post("/api/custom-integrations/" + id + "/test",
                               json::object{{"endpoint", "/"}});
        EXPECT_EQ(r.status, 403) << base << " " << r.body;
        EXPECT_EQ(r.Json().at("error").at("code"), "destination_not_allowed") << base;
    }
}

TEST_P(CallApi, ARedirectToLoopbackIsRefused) {
    mock_.On("GET", "/v1/hop",
             test::MockResponse{302, {{"Location", "http://127.0.0.1:1/secret"}}, ""});
    StoreKey();
    auto r = Client().Post("/api/custom-integrations/" + integration_id_ + "/test",
                           json::object{{"endpoint", "/hop"}});
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_EQ(r.Json().at("error").at("code"), "destination_not_allowed");
}

TEST_P(CallApi, AnUpstream401MarksTheCredentialInvalidWithTheReason) {
    StoreKey();
    auto r = Client().Post("/api/custom-integrations/" + integration_id_ + "/test",
                           json::object{{"endpoint", "/revoked"}});
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.Json().at("status"), "error");
    EXPECT_EQ(r.Json().at("status_code"), 401);
    auto meta = Client().Get("/api/custom-integrations/" + integration_id_ + "/credentials").Json();
    EXPECT_EQ(meta.at("status"), "invalid");
    EXPECT_NE(std::string(meta.at("invalid_reason").as_string()).find("401"), std::string::npos);
    auto next = Execute("get_user", json::object{{"user_id", "1"}});
    EXPECT_EQ(next.Json().at("error").at("code"), "credential_invalid");
}

TEST_P(CallApi, TheCallLogForgetsRecordsPastTheirAgeAndBeyondEachWorkspacesNewest) {
    StoreKey();
    for (int i = 0; i < 3; ++i) {
        ASSERT_EQ(Execute("get_user", json::object{{"user_id", std::to_string(i)}}).status, 200);
    }
    // The oldest record made forty days old, past the default thirty.
    const std::string oldest = Scalar("SELECT id FROM executions ORDER BY created_at, id LIMIT 1");
    Scalar("UPDATE executions SET created_at = '2000-01-01T00:00:00.000Z' WHERE id = '" + oldest +
           "'");
    Start({{"CONNECTOR_EGRESS_ALLOW", "127.0.0.1:" + std::to_string(mock_.Port())},
           {"CONNECTOR_EXECUTIONS_MAX_PER_WORKSPACE", "3"},
           {"CONNECTOR_EXECUTIONS_SWEEP_SECONDS", "1"}});
    auto login = Client().Post(
        "/api/auth/login",
        json::object{{"email", "owner@example.com"}, {"password", "correct horse battery"}});
    ASSERT_EQ(login.status, 200) << login.body;
    Client().SetDefaultHeader("X-CSRF-Token",
                              std::string(login.Json().at("csrf_token").as_string()));

    auto ids = [this] {
        std::vector<std::string> out;
        const auto list = Client().Get("/api/executions").Json();
        for (const auto& e : list.at("executions").as_array()) {
            out.emplace_back(e.at("id").as_string());
        }
        return out;
    };
    auto wait_for_count = [&](std::size_t n) {
        for (int i = 0; i < 100 && ids().size() != n; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return ids();
    };
    // The sweep at start-up: the forty-day-old record goes by age (the cap of three would keep it),
    // the two recent ones stay.
    const auto after_start = wait_for_count(2);
    ASSERT_EQ(after_start.size(), 2u);
    EXPECT_EQ(std::find(after_start.begin(), after_start.end(), oldest), after_start.end());

    // Two more recent records are one over the cap of three: a later sweep removes the oldest.
    for (const char* user : {"8", "9"}) {
        ASSERT_EQ(Execute("get_user", json::object{{"user_id", user}}).status, 200);
    }
    const auto after_sweep = wait_for_count(3);
    ASSERT_EQ(after_sweep.size(), 3u);
    // Kept: the two new records, then the newer of the two before them.
    EXPECT_NE(after_sweep[0], after_start[0]);
    EXPECT_NE(after_sweep[1], after_start[0]);
    EXPECT_EQ(after_sweep[2], after_start[0]);
    EXPECT_NE(Server().Logs().find("call log retention: records deleted"), std::string::npos);
}

TEST_P(CallApi, EveryCallIsLoggedRedactedAndListable) {
    // The key goes in the query string this time: the stored URL must not carry it.
    auto put = Client().Put(
        "/api/custom-integrations/" + integration_id_,
        json::parse(R"({"name": "mock", "auth_type": "api_key", "base_url": ")" + mock_.BaseUrl() +
                    R"(/v1", "auth_config": {"api_key_location": "query", "api_key_name": "key"},
                                        "actions": [{"action_id": "get_user", "http_method": "GET", "endpoint": "/users/{user_id}"}]})"));
    ASSERT_EQ(put.status, 200) << put.body;
    StoreKey();
    ASSERT_EQ(Execute("get_user", json::object{{"user_id", "1"}}).status, 200);
    ASSERT_EQ(Client()
                  .Post("/api/custom-integrations/" + integration_id_ + "/test",
                        json::object{{"endpoint", "/revoked"}})
                  .status,
              200);
    auto list = Client().Get("/api/executions");
    ASSERT_EQ(list.status, 200);
    auto items = list.Json().at("executions").as_array();
    ASSERT_EQ(items.size(), 2u);
    EXPECT_EQ(items[0].at("kind"), "test");  // newest first
    EXPECT_EQ(items[0].at("status"), "error");
    EXPECT_EQ(items[1].at("kind"), "execute");
    EXPECT_EQ(items[1].at("action_id"), "get_user");
    EXPECT_EQ(items[1].at("status_code"), 200);
    EXPECT_EQ(items[1].at("attempts"), 1);
    EXPECT_EQ(items[1].at("integration_name"), "mock");
    EXPECT_NE(std::string(items[1].at("url").as_string()).find("key=%5Bredacted%5D"),
              std::string::npos);
    EXPECT_EQ(list.body.find(kKey), std::string::npos);
    EXPECT_EQ(Scalar("SELECT COUNT(*) FROM executions WHERE url LIKE '%canary%'"), "0");

    const std::string id(items[1].at("id").as_string());
    EXPECT_EQ(Client().Get("/api/executions/" + id).Json().at("id").as_string(), id);
    EXPECT_EQ(
        Client().Get("/api/executions?status=error").Json().at("executions").as_array().size(), 1u);
    EXPECT_EQ(Client()
                  .Get("/api/executions?integration_id=" + integration_id_ + "&limit=1")
                  .Json()
                  .at("executions")
                  .as_array()
                  .size(),
              1u);
    EXPECT_EQ(Client().Get("/api/executions?status=maybe").status, 422);
    auto other = NewClient();
    other.SetDefaultHeader("Authorization", "Bearer " + UserWithToken("other@example.com"));
    EXPECT_EQ(other.Get("/api/executions/" + id).status, 404);
    EXPECT_EQ(other.Get("/api/executions").Json().at("executions").as_array().size(), 0u);
    EXPECT_EQ(Server().Logs().find(kKey), std::string::npos);
}

// Point 7 of the calling issue: each way a call fails has its own code and a fitting status,
// never a bare 500, is logged with that code, and its message names no secret.
TEST_P(CallApi, EachWayACallFailsHasItsOwnCodeAndStatus) {
    mock_.On("GET", "/v1/drop", test::MockResponse{200, {}, "", {}, true});
    test::MockResponse huge_headers{200, {}, "{}"};
    huge_headers.headers.reserve(300);
    for (int i = 0; i < 300; ++i) {
        huge_headers.headers.emplace_back("X-Filler-" + std::to_string(i), std::string(1024, 'h'));
    }
    mock_.On("GET", "/v1/huge-headers", huge_headers);
    mock_.On("GET", "/v1/loop", test::MockResponse{302, {{"Location", "/v1/loop"}}, ""});
    mock_.On("GET", "/v1/sleepy",
             test::MockResponse{200, {}, "late", std::chrono::milliseconds(3000)});
    const std::string port = std::to_string(mock_.Port());
    auto integration = [&](const std::string& name, const std::string& auth_type,
                           const std::string& base_url) {
        json::object body{{"name", name}, {"auth_type", auth_type}, {"base_url", base_url}};
        if (auth_type == "oauth2") {
            body["oauth_config"] = json::object{{"authorize_url", mock_.BaseUrl() + "/authorize"},
                                                {"token_url", mock_.BaseUrl() + "/token"},
                                                {"client_id", "client-1"}};
        }
        auto r = Client().Post("/api/custom-integrations", body);
        EXPECT_EQ(r.status, 201) << r.body;
        return std::string(r.Json().at("id").as_string());
    };
    const std::string plain = integration("plain", "none", mock_.BaseUrl() + "/v1");
    const std::string tls = integration("tls", "none", "https://127.0.0.1:" + port + "/v1");
    const std::string oauth = integration("oauth", "oauth2", mock_.BaseUrl() + "/v1");
    ASSERT_EQ(Client()
                  .Post("/api/custom-integrations/" + oauth + "/credentials",
                        json::parse(R"({"type":"oauth2","access_token":"at-canary-expired",
                                        "expires_at":"2020-01-01T00:00:00Z"})"))
                  .status,
              201);

    struct Case {
        std::string integration;
        std::string endpoint;
        int status;
        std::string code;
    };
    const std::vector<Case> cases{
        {plain, "/drop", 502, "upstream_unreachable"},
        {plain, "/huge-headers", 502, "upstream_response_too_large"},
        {plain, "/loop", 502, "too_many_redirects"},
        {plain, "/sleepy", 504, "upstream_timeout"},
        {tls, "/users/1", 502, "upstream_tls_error"},
        {oauth, "/users/1", 409, "credential_expired"},
    };
    for (const auto& c : cases) {
        auto r = Client().Post("/api/custom-integrations/" + c.integration + "/test",
                               json::object{{"endpoint", c.endpoint}, {"timeout_ms", 500}});
        EXPECT_EQ(r.status, c.status) << c.endpoint << " " << r.body;
        EXPECT_EQ(r.Json().at("error").at("code"), json::value(c.code)) << c.endpoint;
        const std::string message(r.Json().at("error").at("message").as_string());
        EXPECT_FALSE(message.empty());
        EXPECT_EQ(message.find("internal"), std::string::npos) << message;
        EXPECT_EQ(r.body.find("at-canary-expired"), std::string::npos);
    }
    auto log = Client().Get("/api/executions?limit=50").Json().at("executions").as_array();
    std::vector<std::string> logged;
    for (const auto& e : log) {
        if (!e.at("error_code").is_null()) {
            logged.emplace_back(e.at("error_code").as_string());
        }
    }
    for (const auto& c : cases) {
        EXPECT_NE(std::find(logged.begin(), logged.end(), c.code), logged.end())
            << c.code << " is not in the call log";
    }
    EXPECT_EQ(Server().Logs().find("at-canary-expired"), std::string::npos);
}

TEST_P(CallApi, ASlowUpstreamDoesNotBlockOtherRequests) {
    mock_.On("GET", "/v1/slow",
             test::MockResponse{200, {}, "late", std::chrono::milliseconds(1500)});
    StoreKey();
    auto token = Client().Post("/api/tokens", json::object{{"name", "slow"}});
    const std::string bearer = "Bearer " + std::string(token.Json().at("token").as_string());
    const std::string base = Server().BaseUrl();
    const std::string path = "/api/custom-integrations/" + integration_id_ + "/test";
    std::vector<std::thread> callers;
    for (int i = 0; i < 8; ++i) {  // twice as many slow calls as the server has worker threads
        callers.emplace_back([base, bearer, path] {
            test::HttpClient c(base);
            c.SetDefaultHeader("Authorization", bearer);
            c.Post(path, json::object{{"endpoint", "/slow"}});
        });
    }
    ASSERT_TRUE(mock_.WaitForRequests(8, std::chrono::milliseconds(5000)));
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(Client().Get("/api/me").status, 200);
    EXPECT_EQ(Client().Get("/api/custom-integrations").status, 200);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1000));
    for (auto& t : callers) {
        t.join();
    }
}

TEST_P(CallApi, TimeoutsRetriesAndRateLimitsComeFromTheIntegrationAndTheCall) {
    mock_.On("GET", "/v1/slow",
             test::MockResponse{200, {}, "late", std::chrono::milliseconds(2000)});
    int flaky_calls = 0;
    mock_.On("GET", "/v1/flaky", [&flaky_calls](const test::RecordedRequest&) {
        return ++flaky_calls == 1 ? test::MockResponse::Json(503, "{}")
                                  : test::MockResponse::Json(200, "{}");
    });
    auto put = Client().Put("/api/custom-integrations/" + integration_id_, json::parse(R"({
        "name": "mock", "auth_type": "none", "base_url": ")" + mock_.BaseUrl() + R"(/v1",
        "retry": {"max_attempts": 2, "base_delay_ms": 10}, "rate_limit": {"requests_per_second": 5, "burst": 1},
        "actions": [{"action_id": "slow", "http_method": "GET", "endpoint": "/slow"},
                    {"action_id": "flaky", "http_method": "GET", "endpoint": "/flaky"}]})"));
    ASSERT_EQ(put.status, 200) << put.body;
    EXPECT_EQ(put.Json().at("retry").at("max_attempts"), 2);

    auto flaky = Execute("flaky", json::object());
    ASSERT_EQ(flaky.status, 200) << flaky.body;
    EXPECT_EQ(flaky.Json().at("status_code"), 200);
    EXPECT_EQ(flaky.Json().at("attempts"), 2);

    auto timed_out =
        Client().Post("/api/execute", json::object{{"provider", "custom_" + integration_id_},
                                                   {"action", "slow"},
                                                   {"timeout_ms", 300}});
    EXPECT_EQ(timed_out.status, 504) << timed_out.body;
    EXPECT_EQ(timed_out.Json().at("error").at("code"), "upstream_timeout");
    EXPECT_EQ(Client()
                  .Post("/api/execute", json::object{{"provider", "custom_" + integration_id_},
                                                     {"action", "slow"},
                                                     {"timeout_ms", 5}})
                  .status,
              422);

    // 5 requests per second, burst 1: six calls wait their turn (about a second) and all succeed.
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> callers;
    std::atomic<int> ok{0};
    const std::string base = Server().BaseUrl();
    auto token = Client().Post("/api/tokens", json::object{{"name", "rate"}});
    const std::string bearer = "Bearer " + std::string(token.Json().at("token").as_string());
    const std::string provider = "custom_" + integration_id_;
    for (int i = 0; i < 6; ++i) {
        callers.emplace_back([&, base, bearer, provider] {
            test::HttpClient c(base);
            c.SetDefaultHeader("Authorization", bearer);
            auto r =
                c.Post("/api/execute", json::object{{"provider", provider}, {"action", "flaky"}});
            ok += r.status == 200 ? 1 : 0;
        });
    }
    for (auto& t : callers) {
        t.join();
    }
    EXPECT_EQ(ok.load(), 6);
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(900));
}

INSTANTIATE_TEST_SUITE_P(Backends, CallApi, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendName);

}  // namespace
}  // namespace gc::apitest
