// The integration definition rules, without a server: each row is a body and the field problem
// it must produce.
#include "integrations/integration_input.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace gc::integrations {
namespace {

namespace json = boost::json;

// The seed's "Create Integration" example, with one action filled in.
constexpr const char* kSeedBody = R"({
  "name": "stripe_api", "display_name": "Stripe", "auth_type": "api_key",
  "oauth_config": {"base_url": "https://api.stripe.com"},
  "actions": [{"action_id": "list_charges", "action_name": "List charges",
               "http_method": "GET", "endpoint": "/v1/charges"}]
})";

TEST(IntegrationInput, AcceptsTheSeedsCreateRequest) {
    auto r = ParseIntegrationInput(json::parse(kSeedBody));
    ASSERT_TRUE(r.has_value()) << r.error().details.at(0).field;
    EXPECT_EQ(r->name, "stripe_api");
    EXPECT_EQ(r->base_url, "https://api.stripe.com");
    EXPECT_EQ(r->actions.size(), 1u);
    EXPECT_EQ(json::parse(r->auth_config_json).at("api_key_name"), "X-API-Key");
}

struct BadCase {
    const char* name;
    const char* patch;  // replaces or adds these top-level fields of the seed body
    const char* field;
};

class IntegrationInputRejects : public ::testing::TestWithParam<BadCase> {};

TEST_P(IntegrationInputRejects, NamingTheField) {
    json::object body = json::parse(kSeedBody).as_object();
    const json::value patch = json::parse(GetParam().patch);
    for (const auto& [k, v] : patch.as_object()) {
        body[k] = v;
    }
    auto r = ParseIntegrationInput(body);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, core::ErrorCode::kValidation);
    bool found = false;
    for (const auto& d : r.error().details) {
        found = found || d.field == GetParam().field;
    }
    EXPECT_TRUE(found) << "expected a problem at " << GetParam().field << ", first was "
                       << r.error().details.at(0).field;
}

INSTANTIATE_TEST_SUITE_P(
    Table, IntegrationInputRejects,
    ::testing::Values(
        BadCase{"missing_name", R"({"name": null})", "name"},
        BadCase{"upper_case_name", R"({"name": "Stripe"})", "name"},
        BadCase{"bad_auth_type", R"({"auth_type": "magic"})", "auth_type"},
        BadCase{"no_base_url", R"({"oauth_config": {}})", "base_url"},
        BadCase{"ftp_base_url", R"({"base_url": "ftp://x.example"})", "base_url"},
        BadCase{"userinfo_base_url", R"({"base_url": "https://u:p@x.example"})", "base_url"},
        BadCase{"secret_in_oauth_config",
                R"({"oauth_config": {"base_url": "https://a.example", "client_secret": "s"}})",
                "oauth_config.client_secret"},
        BadCase{"authorization_header", R"({"headers": {"Authorization": "Bearer x"}})",
                "headers.Authorization"},
        BadCase{"header_with_newline", R"({"headers": {"X-A": "a\r\nX-B: b"}})", "headers.X-A"},
        BadCase{
            "bad_method",
            R"({"actions": [{"action_id": "a", "http_method": "TRACE", "endpoint": "/"}, {"action_id": "b", "http_method": "FETCH", "endpoint": "/"}]})",
            "actions[1].http_method"},
        BadCase{
            "duplicate_action",
            R"({"actions": [{"action_id": "a", "http_method": "GET", "endpoint": "/"}, {"action_id": "a", "http_method": "GET", "endpoint": "/"}]})",
            "actions[1].action_id"},
        BadCase{"relative_endpoint",
                R"({"actions": [{"action_id": "a", "http_method": "GET", "endpoint": "users"}]})",
                "actions[0].endpoint"},
        BadCase{
            "bad_param_in",
            R"({"actions": [{"action_id": "a", "http_method": "GET", "endpoint": "/", "parameters": [{"name": "q", "in": "query"}, {"name": "x", "in": "cookie"}]}]})",
            "actions[0].parameters[1].in"},
        BadCase{
            "path_param_not_in_endpoint",
            R"({"actions": [{"action_id": "a", "http_method": "GET", "endpoint": "/users", "parameters": [{"name": "id", "in": "path"}]}]})",
            "actions[0].parameters[0].name"},
        BadCase{
            "default_of_wrong_type",
            R"({"actions": [{"action_id": "a", "http_method": "GET", "endpoint": "/", "parameters": [{"name": "n", "in": "query", "type": "integer", "default": "ten"}]}]})",
            "actions[0].parameters[0].default"},
        BadCase{"actions_not_array", R"({"actions": {}})", "actions"},
        BadCase{"timeout_too_long", R"({"timeout_ms": 999999999})", "timeout_ms"},
        BadCase{"too_many_attempts", R"({"retry": {"max_attempts": 50}})", "retry.max_attempts"},
        BadCase{"zero_rate", R"({"rate_limit": {"requests_per_second": 0}})",
                "rate_limit.requests_per_second"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(IntegrationInput, ReportsEveryProblemAtOnce) {
    auto r = ParseIntegrationInput(json::parse(R"({"name": "Bad Name", "auth_type": "x"})"));
    ASSERT_FALSE(r.has_value());
    EXPECT_GE(r.error().details.size(), 3u);
}

TEST(IntegrationInput, KeepsCallSettings) {
    json::object body = json::parse(kSeedBody).as_object();
    body["timeout_ms"] = 5000;
    body["retry"] = json::parse(R"({"max_attempts": 5, "max_total_ms": 20000})");
    body["rate_limit"] = json::parse(R"({"requests_per_second": 2.5, "burst": 3})");
    auto r = ParseIntegrationInput(body);
    ASSERT_TRUE(r.has_value());
    json::object out = IntegrationToJson(*r);
    EXPECT_EQ(out.at("timeout_ms"), 5000);
    EXPECT_EQ(out.at("retry").at("max_attempts"), 5);
    EXPECT_EQ(out.at("rate_limit").at("requests_per_second"), 2.5);
}

TEST(IntegrationInput, ListsEndpointPlaceholders) {
    EXPECT_EQ(EndpointPlaceholders("/users/{user_id}/posts/{post_id}"),
              (std::vector<std::string>{"user_id", "post_id"}));
}

TEST(IntegrationInput, RoundTripsThroughItsJson) {
    auto r = ParseIntegrationInput(json::parse(kSeedBody));
    ASSERT_TRUE(r.has_value());
    r->id = "id";
    json::object out = IntegrationToJson(*r);
    auto again = ParseIntegrationInput(out);
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->base_url, r->base_url);
    EXPECT_EQ(again->actions.at(0).endpoint, "/v1/charges");
    EXPECT_TRUE(out.at("credential").is_null());
}

}  // namespace
}  // namespace gc::integrations
