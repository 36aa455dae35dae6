// How an action becomes an HTTP call: parameter checks, placement, auth injection, redaction.
#include "calls/prepared_call.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "integrations/integration_input.hpp"

namespace gc::calls {
namespace {

namespace json = boost::json;

store::IntegrationRecord Integration(const std::string& auth_type,
                                     const std::string& auth_config = "{}") {
    auto rec = integrations::ParseIntegrationInput(json::parse(R"({
      "name": "api", "auth_type": ")" + auth_type + R"(", "base_url": "https://api.example.com/v1",
      "auth_config": )" + auth_config + R"(, "headers": {"Accept": "application/json"},
      "actions": [
        {"action_id": "get_post", "http_method": "GET", "endpoint": "/users/{user_id}/posts/{post_id}",
         "parameters": [{"name": "user_id", "in": "path", "type": "string"},
                        {"name": "post_id", "in": "path", "type": "integer"},
                        {"name": "tags", "in": "query", "type": "array"},
                        {"name": "verbose", "in": "query", "type": "boolean", "default": false},
                        {"name": "X-Trace", "in": "header", "type": "string"}]},
        {"action_id": "create", "http_method": "POST", "endpoint": "/items",
         "parameters": [{"name": "title", "in": "body", "type": "string", "required": true},
                        {"name": "count", "in": "body", "type": "integer"}]}
      ]})"));
    EXPECT_TRUE(rec.has_value());
    return *rec;
}

AuthMaterial Key(const std::string& type, const std::string& value) {
    AuthMaterial a;
    a.type = type;
    a.value = core::Secret(value);
    return a;
}

std::string HeaderOf(const PreparedCall& call, const std::string& name) {
    for (const auto& [k, v] : call.headers) {
        if (k == name) {
            return v;
        }
    }
    return "";
}

TEST(PrepareActionCall, PlacesParametersAndPercentEncodesThePath) {
    auto call = PrepareActionCall(
        Integration("none"), "get_post",
        json::parse(
            R"({"user_id": "a b/../c?", "post_id": 7, "tags": ["x", "y&z"], "X-Trace": "t1"})"),
        {});
    ASSERT_TRUE(call.has_value()) << call.error().message;
    EXPECT_EQ(call->method, "GET");
    EXPECT_EQ(call->url,
              "https://api.example.com/v1/users/a%20b%2F..%2Fc%3F/posts/"
              "7?tags=x&tags=y%26z&verbose=false");
    EXPECT_EQ(HeaderOf(*call, "X-Trace"), "t1");
    EXPECT_EQ(HeaderOf(*call, "Accept"), "application/json");
    EXPECT_TRUE(call->body.empty());
}

TEST(PrepareActionCall, BuildsAJsonBodyFromBodyParameters) {
    auto call = PrepareActionCall(Integration("none"), "create",
                                  json::parse(R"({"title": "hi", "count": 2})"), {});
    ASSERT_TRUE(call.has_value());
    EXPECT_EQ(json::parse(call->body), json::parse(R"({"title": "hi", "count": 2})"));
    EXPECT_EQ(HeaderOf(*call, "Content-Type"), "application/json");
}

struct BadParams {
    const char* name;
    const char* action;
    const char* params;
    const char* field;
};

class PrepareActionCallRejects : public ::testing::TestWithParam<BadParams> {};

TEST_P(PrepareActionCallRejects, NamingTheParameter) {
    auto call = PrepareActionCall(Integration("none"), GetParam().action,
                                  json::parse(GetParam().params), {});
    ASSERT_FALSE(call.has_value());
    EXPECT_EQ(call.error().code, core::ErrorCode::kValidation);
    ASSERT_FALSE(call.error().details.empty());
    EXPECT_EQ(call.error().details[0].field, GetParam().field);
}

INSTANTIATE_TEST_SUITE_P(
    Table, PrepareActionCallRejects,
    ::testing::Values(BadParams{"missing_required_body", "create", R"({})", "params.title"},
                      BadParams{"missing_path", "get_post", R"({"post_id": 1})", "params.user_id"},
                      BadParams{"wrong_type", "get_post", R"({"user_id": "u", "post_id": "seven"})",
                                "params.post_id"},
                      BadParams{"unknown_name", "create", R"({"title": "t", "titel": "x"})",
                                "params.titel"},
                      BadParams{"header_injection", "get_post",
                                R"({"user_id": "u", "post_id": 1, "X-Trace": "a\r\nX-Evil: 1"})",
                                "params.X-Trace"},
                      BadParams{"object_in_path", "get_post",
                                R"({"user_id": {"a": 1}, "post_id": 1})", "params.user_id"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(PrepareActionCall, UnknownActionIsNotFound) {
    auto call = PrepareActionCall(Integration("none"), "nope", json::object(), {});
    ASSERT_FALSE(call.has_value());
    EXPECT_EQ(call.error().code, core::ErrorCode::kNotFound);
}

TEST(PrepareActionCall, InjectsEachAuthType) {
    auto header_key =
        PrepareActionCall(Integration("api_key", R"({"api_key_name": "X-Key"})"), "create",
                          json::parse(R"({"title": "t"})"), Key("api_key", "k-123"));
    ASSERT_TRUE(header_key.has_value());
    EXPECT_EQ(HeaderOf(*header_key, "X-Key"), "k-123");
    EXPECT_EQ(header_key->credential_headers, std::vector<std::string>{"X-Key"});

    auto bearer = PrepareActionCall(Integration("bearer"), "create",
                                    json::parse(R"({"title": "t"})"), Key("bearer", "tok"));
    EXPECT_EQ(HeaderOf(*bearer, "Authorization"), "Bearer tok");

    AuthMaterial basic;
    basic.type = "basic";
    basic.username = core::Secret("Aladdin");
    basic.password = core::Secret("open sesame");
    auto b =
        PrepareActionCall(Integration("basic"), "create", json::parse(R"({"title": "t"})"), basic);
    EXPECT_EQ(HeaderOf(*b, "Authorization"), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");  // RFC 7617
}

TEST(PrepareActionCall, KeepsAnApiKeyInTheQueryOutOfTheStoredUrl) {
    auto call = PrepareActionCall(
        Integration("api_key", R"({"api_key_location": "query", "api_key_name": "key"})"), "create",
        json::parse(R"({"title": "t"})"), Key("api_key", "sk_live_canary"));
    ASSERT_TRUE(call.has_value());
    EXPECT_EQ(call->url, "https://api.example.com/v1/items?key=sk_live_canary");
    EXPECT_EQ(call->redacted_url.find("sk_live_canary"), std::string::npos);
    EXPECT_EQ(call->redacted_url, "https://api.example.com/v1/items?key=%5Bredacted%5D");
}

TEST(PrepareActionCall, WithoutACredentialAnswersCredentialMissing) {
    auto call =
        PrepareActionCall(Integration("bearer"), "create", json::parse(R"({"title": "t"})"), {});
    ASSERT_FALSE(call.has_value());
    EXPECT_EQ(call.error().code, core::ErrorCode::kCredentialMissing);
}

TEST(PrepareTestCall, TakesTheSeedsTestBody) {
    auto call = PrepareTestCall(Integration("bearer"),
                                json::parse(R"({"endpoint": "/charges", "method": "get",
                                                "query": {"limit": 3}, "body": {"a": 1}})"),
                                Key("bearer", "tok"));
    ASSERT_TRUE(call.has_value()) << call.error().message;
    EXPECT_EQ(call->method, "GET");
    EXPECT_EQ(call->url, "https://api.example.com/v1/charges?limit=3");
    EXPECT_EQ(call->body, R"({"a":1})");
    EXPECT_EQ(HeaderOf(*call, "Authorization"), "Bearer tok");
}

TEST(PrepareTestCall, RejectsBadEndpointsAndMethods) {
    auto call = PrepareTestCall(Integration("none"),
                                json::parse(R"({"endpoint": "charges", "method": "TRACE"})"), {});
    ASSERT_FALSE(call.has_value());
    EXPECT_EQ(call.error().details.size(), 2u);
}

TEST(DraftActionCall, ChecksParametersWithoutAnyCredentialThenAuthorizeInjectsIt) {
    const auto integration = Integration("bearer");
    // The draft needs no credential: a bad call is refused before one is opened.
    auto bad = DraftActionCall(integration, "create", json::parse(R"({"count": "x"})"));
    ASSERT_FALSE(bad.has_value());
    EXPECT_EQ(bad.error().code, core::ErrorCode::kValidation);
    auto draft = DraftActionCall(integration, "create", json::parse(R"({"title": "t"})"));
    ASSERT_TRUE(draft.has_value());
    // Without the credential the draft cannot be finished.
    auto missing = Authorize(integration, *draft, AuthMaterial{});
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code, core::ErrorCode::kCredentialMissing);
    auto call = Authorize(integration, *draft, Key("bearer", "tok_1"));
    ASSERT_TRUE(call.has_value());
    EXPECT_EQ(HeaderOf(*call, "Authorization"), "Bearer tok_1");
    EXPECT_EQ(HeaderOf(*call, "Content-Type"), "application/json");
    EXPECT_EQ(call->body, R"({"title":"t"})");
    EXPECT_EQ(call->url, "https://api.example.com/v1/items");
}

TEST(DraftTestCall, RefusesABadTestRequestBeforeAnyCredential) {
    auto bad = DraftTestCall(json::parse(R"({"endpoint": "no-slash", "method": "FETCH"})"));
    ASSERT_FALSE(bad.has_value());
    EXPECT_EQ(bad.error().code, core::ErrorCode::kValidation);
    EXPECT_EQ(bad.error().details.size(), 2u);
}

}  // namespace
}  // namespace gc::calls
