// The seed's custom-integration endpoints over HTTP, on both backends.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api_fixture.hpp"

namespace gc::apitest {
namespace {

namespace json = boost::json;

class IntegrationApi : public ApiTest {
  protected:
    void SetUp() override {
        ApiTest::SetUp();
        if (HasFatalFailure()) {
            return;
        }
        SetupOwner(Client());
    }
    std::string Create(const json::value& body) {
        auto r = Client().Post("/api/custom-integrations", body);
        EXPECT_EQ(r.status, 201) << r.body;
        return std::string(r.Json().at("id").as_string());
    }
};

TEST_P(IntegrationApi, TheSeedsCreateRequestWorksAsWrittenWithAToken) {
    const std::string token = UserWithToken("seed@example.com");
    auto c = NewClient();
    // As the seed's client sends it: user_id in the query string (ignored), base_url inside
    // oauth_config, a bearer token added.
    auto r =
        c.Request("POST", "/api/custom-integrations?user_id=user123",
                  R"({"name":"stripe_api","display_name":"Stripe","auth_type":"api_key",
                           "oauth_config":{"base_url":"https://api.stripe.com"},"actions":[]})",
                  {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}});
    ASSERT_EQ(r.status, 201) << r.body;
    auto j = r.Json();
    EXPECT_EQ(j.at("name"), "stripe_api");
    EXPECT_EQ(j.at("display_name"), "Stripe");
    EXPECT_EQ(j.at("auth_type"), "api_key");
    EXPECT_EQ(j.at("base_url"), "https://api.stripe.com");
    EXPECT_EQ(j.at("oauth_config").at("base_url"), "https://api.stripe.com");
    EXPECT_EQ(r.Header("Location"),
              "/api/custom-integrations/" + std::string(j.at("id").as_string()));
}

TEST_P(IntegrationApi, CreateReadReplaceDelete) {
    const std::string id = Create(SeedIntegration());
    auto got = Client().Get("/api/custom-integrations/" + id);
    ASSERT_EQ(got.status, 200);
    auto j = got.Json();
    ASSERT_EQ(j.at("actions").as_array().size(), 2u);
    EXPECT_EQ(j.at("actions").at(1).at("endpoint"), "/v1/charges/{charge_id}");
    EXPECT_EQ(j.at("actions").at(1).at("parameters").at(0).at("in"), "path");
    EXPECT_EQ(j.at("actions").at(1).at("parameters").at(0).at("required"), true);
    EXPECT_TRUE(j.at("credential").is_null());
    const std::string created_at(j.at("created_at").as_string());

    // PUT replaces the whole definition, actions included, in one go.
    json::object changed = SeedIntegration("stripe_v2").as_object();
    changed["description"] = "second version";
    changed["actions"] = json::parse(
        R"([{"action_id":"create_charge","http_method":"post","endpoint":"/v1/charges",
             "parameters":[{"name":"amount","in":"body","type":"integer","required":true}]}])");
    auto put = Client().Put("/api/custom-integrations/" + id, changed);
    ASSERT_EQ(put.status, 200) << put.body;
    auto after = Client().Get("/api/custom-integrations/" + id).Json();
    EXPECT_EQ(after.at("name"), "stripe_v2");
    EXPECT_EQ(after.at("description"), "second version");
    ASSERT_EQ(after.at("actions").as_array().size(), 1u);
    EXPECT_EQ(after.at("actions").at(0).at("http_method"), "POST");
    EXPECT_EQ(after.at("created_at").as_string(), created_at);
    EXPECT_EQ(Scalar("SELECT COUNT(*) FROM custom_integration_actions"), "1");

    EXPECT_EQ(Client().Delete("/api/custom-integrations/" + id).status, 204);
    EXPECT_EQ(Client().Get("/api/custom-integrations/" + id).status, 404);
    EXPECT_EQ(Client().Delete("/api/custom-integrations/" + id).status, 404);
}

TEST_P(IntegrationApi, DeletingAnIntegrationDeletesItsActionsAndCredentials) {
    const std::string id = Create(SeedIntegration());
    // A credential row as the vault will write it (the vault's API comes with its own issue).
    const std::string ws = Scalar("SELECT workspace_id FROM custom_integrations");
    const std::string insert =
        "INSERT INTO custom_integration_credentials (id, workspace_id, integration_id,"
        " credential_type, encrypted_value, key_id, created_at, updated_at) VALUES ("
        "'11111111-1111-4111-8111-111111111111', '" +
        ws + "', '" + id +
        "', 'api_key', 'gAAAA...', 'k1', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')";
    Scalar(insert);
    ASSERT_EQ(Scalar("SELECT COUNT(*) FROM custom_integration_credentials"), "1");
    ASSERT_EQ(Client().Delete("/api/custom-integrations/" + id).status, 204);
    EXPECT_EQ(Scalar("SELECT COUNT(*) FROM custom_integration_actions"), "0");
    EXPECT_EQ(Scalar("SELECT COUNT(*) FROM custom_integration_credentials"), "0");
}

TEST_P(IntegrationApi, NamesAreUniquePerWorkspace) {
    Create(SeedIntegration());
    auto dup = Client().Post("/api/custom-integrations", SeedIntegration());
    EXPECT_EQ(dup.status, 409);
    EXPECT_EQ(dup.Json().at("error").at("code"), "conflict");
    EXPECT_EQ(dup.Json().at("error").at("details").at(0).at("field"), "name");
    const std::string other = Create(SeedIntegration("other"));
    EXPECT_EQ(Client().Put("/api/custom-integrations/" + other, SeedIntegration()).status, 409);
    // Another workspace may use the same name.
    auto c = NewClient();
    c.SetDefaultHeader("Authorization", "Bearer " + UserWithToken("second@example.com"));
    EXPECT_EQ(c.Post("/api/custom-integrations", SeedIntegration()).status, 201);
}

TEST_P(IntegrationApi, AnotherWorkspacesIntegrationIsNotFound) {
    const std::string id = Create(SeedIntegration());
    auto c = NewClient();
    c.SetDefaultHeader("Authorization", "Bearer " + UserWithToken("intruder@example.com"));
    for (const auto& r : {c.Get("/api/custom-integrations/" + id),
                          c.Put("/api/custom-integrations/" + id, SeedIntegration("taken")),
                          c.Delete("/api/custom-integrations/" + id)}) {
        EXPECT_EQ(r.status, 404);
        EXPECT_EQ(r.Json().at("error").at("code"), "not_found");
    }
    EXPECT_EQ(c.Get("/api/custom-integrations").Json().at("integrations").as_array().size(), 0u);
    auto mine = Client().Get("/api/custom-integrations/" + id).Json();
    EXPECT_EQ(mine.at("name"), "stripe_api");  // unchanged
    // Ids that are not UUIDs are simply not found, on both backends.
    EXPECT_EQ(Client().Get("/api/custom-integrations/not-a-uuid").status, 404);
    EXPECT_EQ(Client().Get("/api/custom-integrations/'%20OR%201=1--").status, 404);
}

TEST_P(IntegrationApi, ListsNewestFirstInPagesWithACursorAndFiltersByName) {
    for (int i = 0; i < 5; ++i) {
        Create(SeedIntegration("api_" + std::to_string(i)));
    }
    Create(SeedIntegration("github"));
    std::vector<std::string> names;
    std::string cursor;
    int pages = 0;
    do {
        auto r = Client().Get("/api/custom-integrations?limit=2" +
                              (cursor.empty() ? std::string() : "&cursor=" + cursor));
        ASSERT_EQ(r.status, 200) << r.body;
        auto j = r.Json();
        for (const auto& it : j.at("integrations").as_array()) {
            names.emplace_back(it.at("name").as_string());
        }
        cursor = j.at("next_cursor").is_null() ? "" : std::string(j.at("next_cursor").as_string());
        ++pages;
    } while (!cursor.empty() && pages < 10);
    EXPECT_EQ(pages, 3);
    EXPECT_EQ(names,
              (std::vector<std::string>{"github", "api_4", "api_3", "api_2", "api_1", "api_0"}));

    auto filtered = Client().Get("/api/custom-integrations?name=API_").Json();
    EXPECT_EQ(filtered.at("integrations").as_array().size(), 5u);
    // % and _ are literal in the filter, not wildcards.
    EXPECT_EQ(Client()
                  .Get("/api/custom-integrations?name=%25")
                  .Json()
                  .at("integrations")
                  .as_array()
                  .size(),
              0u);
    EXPECT_EQ(Client()
                  .Get("/api/custom-integrations?name=git")
                  .Json()
                  .at("integrations")
                  .as_array()
                  .size(),
              1u);

    EXPECT_EQ(Client().Get("/api/custom-integrations?limit=0").status, 422);
    EXPECT_EQ(Client().Get("/api/custom-integrations?limit=abc").status, 422);
    auto bad_cursor = Client().Get("/api/custom-integrations?cursor=bm9wZQ");
    EXPECT_EQ(bad_cursor.status, 422);
    EXPECT_EQ(bad_cursor.Json().at("error").at("details").at(0).at("field"), "cursor");
}

TEST_P(IntegrationApi, InvalidFieldsAre422NamingEachFieldAndChangeNothing) {
    auto body = SeedIntegration().as_object();
    body["auth_type"] = "kerberos";
    body["actions"].as_array().at(1).as_object()["http_method"] = "TRACE";
    auto r = Client().Post("/api/custom-integrations", body);
    ASSERT_EQ(r.status, 422);
    auto e = r.Json().at("error");
    EXPECT_EQ(e.at("code"), "validation_failed");
    std::set<std::string> fields;
    for (const auto& d : e.at("details").as_array()) {
        fields.emplace(d.at("field").as_string());
        EXPECT_FALSE(d.at("problem").as_string().empty());
    }
    EXPECT_TRUE(fields.contains("auth_type"));
    EXPECT_TRUE(fields.contains("actions[1].http_method"));
    EXPECT_EQ(Scalar("SELECT COUNT(*) FROM custom_integrations"), "0");

    // A failed replace leaves the stored definition as it was.
    const std::string id = Create(SeedIntegration());
    auto broken = SeedIntegration("renamed").as_object();
    broken["actions"].as_array().at(0).as_object()["endpoint"] = "no-slash";
    EXPECT_EQ(Client().Put("/api/custom-integrations/" + id, broken).status, 422);
    auto after = Client().Get("/api/custom-integrations/" + id).Json();
    EXPECT_EQ(after.at("name"), "stripe_api");
    EXPECT_EQ(after.at("actions").as_array().size(), 2u);
}

TEST_P(IntegrationApi, SecretsAreRefusedInTheDefinition) {
    auto body = SeedIntegration().as_object();
    body["headers"] = json::object{{"Authorization", "Bearer sk_live_canary"}};
    body["oauth_config"].as_object()["client_secret"] = "canary-secret";
    auto r = Client().Post("/api/custom-integrations", body);
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.body.find("canary"), std::string::npos);
    EXPECT_EQ(Server().Logs().find("canary"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, IntegrationApi,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace
}  // namespace gc::apitest
