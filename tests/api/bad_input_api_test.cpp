// Bad input gets a clear 4xx in the one error shape, changes nothing, and never a 5xx.
#include <boost/json/parse.hpp>
#include <filesystem>

#include "api_fixture.hpp"

namespace gc::apitest {
namespace {

namespace json = boost::json;

class BadInputApi : public ApiTest {
  protected:
    void SetUp() override {
        ApiTest::SetUp();
        if (HasFatalFailure()) {
            return;
        }
        SetupOwner(Client());
    }
    static void ExpectErrorShape(const test::HttpResponse& r, int status, const std::string& code) {
        EXPECT_EQ(r.status, status) << r.body;
        auto j = json::parse(r.body);
        EXPECT_EQ(j.at("error").at("code").as_string(), code) << r.body;
        EXPECT_FALSE(j.at("error").at("message").as_string().empty());
    }
};

TEST_P(BadInputApi, EveryInvalidJsonDocumentIsA400OnEveryJsonEndpoint) {
    const std::string id(
        Client().Post("/api/custom-integrations", SeedIntegration()).Json().at("id").as_string());
    const std::vector<std::pair<std::string, std::string>> endpoints = {
        {"POST", "/api/custom-integrations"},
        {"PUT", "/api/custom-integrations/" + id},
        {"POST", "/api/tokens"},
        {"POST", "/api/auth/login"},
    };
    int files = 0;
    for (const auto& entry :
         std::filesystem::directory_iterator(std::string(GC_SHARED_DIR) + "/conformance/json/n")) {
        const std::string body = test::ReadFile(entry.path());
        for (const auto& [method, path] : endpoints) {
            auto r = Client().Request(method, path, body, {{"Content-Type", "application/json"}});
            ASSERT_EQ(r.status, 400)
                << method << " " << path << " " << entry.path().filename() << ": " << r.body;
            ASSERT_EQ(json::parse(r.body).at("error").at("code"), "malformed_json");
        }
        ++files;
    }
    EXPECT_GT(files, 150);
    EXPECT_EQ(Scalar("SELECT COUNT(*) FROM custom_integrations"), "1");
    EXPECT_EQ(Scalar("SELECT COUNT(*) FROM api_tokens"), "0");
    EXPECT_TRUE(Server().Running());
}

TEST_P(BadInputApi, DeepNestingIsRefusedWithoutHarm) {
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    auto r = Client().Request("POST", "/api/custom-integrations", deep,
                              {{"Content-Type", "application/json"}});
    ExpectErrorShape(r, 400, "malformed_json");
    EXPECT_TRUE(Server().Running());
}

TEST_P(BadInputApi, BodiesOverOneMebibyteAre413) {
    std::string big = R"({"name":"x","description":")" + std::string(1024 * 1024, 'a') + R"("})";
    auto r = Client().Request("POST", "/api/custom-integrations", big,
                              {{"Content-Type", "application/json"}});
    ExpectErrorShape(r, 413, "payload_too_large");
    EXPECT_EQ(Scalar("SELECT COUNT(*) FROM custom_integrations"), "0");
}

TEST_P(BadInputApi, BodiesThatAreNotJsonAre415) {
    auto r = Client().Request("POST", "/api/custom-integrations", "name=x",
                              {{"Content-Type", "application/x-www-form-urlencoded"}});
    ExpectErrorShape(r, 415, "unsupported_media_type");
    auto none = Client().Request("POST", "/api/custom-integrations", "{}", {});
    ExpectErrorShape(none, 415, "unsupported_media_type");
}

TEST_P(BadInputApi, WrongMethodsAre405WithAllow) {
    auto r = Client().Request("PATCH", "/api/custom-integrations", "", {});
    ExpectErrorShape(r, 405, "method_not_allowed");
    EXPECT_EQ(r.Header("Allow"), "GET, POST");
}

TEST_P(BadInputApi, UnknownApiPathsAre404) {
    ExpectErrorShape(Client().Get("/api/nothing-here"), 404, "not_found");
}

TEST_P(BadInputApi, WrongJsonTypesAre422NotCrashes) {
    for (
        const char* body :
        {"[]", "42", "\"x\"", "null", R"({"name":42,"auth_type":[],"actions":"x"})",
         R"({"name":"a","auth_type":"none","base_url":"https://x","actions":[1,null,{}]})",
         R"({"name":"a","auth_type":"none","base_url":"https://x","headers":[],"oauth_config":7})"}) {
        auto r = Client().Request("POST", "/api/custom-integrations", body,
                                  {{"Content-Type", "application/json"}});
        ExpectErrorShape(r, 422, "validation_failed");
    }
    auto login = NewClient().Request("POST", "/api/auth/login", R"({"email":1,"password":[]})",
                                     {{"Content-Type", "application/json"}});
    ExpectErrorShape(login, 422, "validation_failed");
}

TEST_P(BadInputApi, MalformedHttpGetsA400AndTheServerCarriesOn) {
    const std::vector<std::string> garbage = {
        "GARBAGE\r\n\r\n",
        "GET /api/me HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
        "GET /api/me HTTP/1.1\r\nHost: x\r\n" + std::string(20000, 'X') + ": y\r\n\r\n",
        "POST /api/custom-integrations HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
        "chunked\r\n\r\nZZ\r\n",
    };
    for (const auto& bytes : garbage) {
        const std::string answer = test::RawRequest("127.0.0.1", Server().Port(), bytes);
        EXPECT_TRUE(answer.starts_with("HTTP/1.1 4")) << answer.substr(0, 80);
    }
    EXPECT_EQ(Client().Get("/health").status, 200);
}

TEST_P(BadInputApi, DatabaseErrorTextNeverReachesClients) {
    // Values that would break a query built by string concatenation.
    auto r = Client().Get("/api/custom-integrations?name=%27%3B%20DROP%20TABLE%20users%3B--");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(Client().Get("/api/me").status, 200);
    auto weird = SeedIntegration("quote_test").as_object();
    weird["description"] = "it's \"quoted\" -- and; \\ back\\slashed \xe2\x9c\x93";
    auto created = Client().Post("/api/custom-integrations", weird);
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(created.Json().at("description"), weird["description"]);
}

INSTANTIATE_TEST_SUITE_P(Backends, BadInputApi,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace
}  // namespace gc::apitest
