// OAuth2 pieces without I/O: config checks, the RFC 7636 S256 vector, URLs, token answers.
#include "oauth/oauth_flow.hpp"

#include <gtest/gtest.h>

namespace gc::oauth {
namespace {

store::IntegrationRecord OAuthIntegration(const std::string& oauth_config_json) {
    store::IntegrationRecord rec;
    rec.auth_type = "oauth2";
    rec.oauth_config_json = oauth_config_json;
    return rec;
}

TEST(OAuthFlow, PkceChallengeMatchesTheRfc7636Example) {
    // RFC 7636, Appendix B.
    EXPECT_EQ(PkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
              "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST(OAuthFlow, ReadsTheConfigAndNamesWhatIsMissing) {
    auto ok = ReadOAuthConfig(OAuthIntegration(
        R"({"authorize_url":"https://a/auth","token_url":"https://a/token","client_id":"cid",
            "scopes":["read","write"]})"));
    ASSERT_TRUE(ok);
    EXPECT_TRUE(ok->pkce);
    EXPECT_EQ(ok->grant_type, "authorization_code");
    EXPECT_EQ(ok->scopes, (std::vector<std::string>{"read", "write"}));

    auto spaced = ReadOAuthConfig(OAuthIntegration(
        R"({"token_url":"https://a/token","client_id":"c","grant_type":"client_credentials",
            "scopes":"a  b","pkce":false})"));
    ASSERT_TRUE(spaced);
    EXPECT_FALSE(spaced->pkce);
    EXPECT_EQ(spaced->scopes, (std::vector<std::string>{"a", "b"}));

    auto missing = ReadOAuthConfig(OAuthIntegration(R"({"token_url":"https://a/token"})"));
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, core::ErrorCode::kValidation);
    ASSERT_EQ(missing.error().details.size(), 2u);
    EXPECT_EQ(missing.error().details[0].field, "oauth_config.authorize_url");
    EXPECT_EQ(missing.error().details[1].field, "oauth_config.client_id");

    store::IntegrationRecord api_key = OAuthIntegration("{}");
    api_key.auth_type = "api_key";
    auto not_oauth = ReadOAuthConfig(api_key);
    ASSERT_FALSE(not_oauth);
    EXPECT_EQ(not_oauth.error().details.at(0).field, "auth_type");
}

TEST(OAuthFlow, AuthorizeUrlCarriesEveryParameterEncoded) {
    OAuthConfig c;
    c.authorize_url = "https://auth.example.com/authorize?prompt=consent";
    c.client_id = "my client";
    c.scopes = {"read:user", "repo"};
    EXPECT_EQ(AuthorizeUrl(c, "http://127.0.0.1:8080/api/oauth/callback", "st", "ch"),
              "https://auth.example.com/authorize?prompt=consent&response_type=code"
              "&client_id=my%20client&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Fapi%2Foauth%2F"
              "callback&scope=read%3Auser%20repo&state=st&code_challenge=ch"
              "&code_challenge_method=S256");
    c.authorize_url = "https://auth.example.com/authorize";
    c.scopes.clear();
    EXPECT_EQ(AuthorizeUrl(c, "r", "s", ""),
              "https://auth.example.com/authorize?response_type=code&client_id=my%20client"
              "&redirect_uri=r&state=s");
}

TEST(OAuthFlow, CallbackUriFromThePublicUrlOrTheHost) {
    EXPECT_EQ(*CallbackUri("https://c.example.com/", ""),
              "https://c.example.com/api/oauth/callback");
    EXPECT_EQ(*CallbackUri("", "127.0.0.1:8080"), "http://127.0.0.1:8080/api/oauth/callback");
    EXPECT_EQ(*CallbackUri("", "[::1]:8080"), "http://[::1]:8080/api/oauth/callback");
    EXPECT_FALSE(CallbackUri("", ""));
    EXPECT_FALSE(CallbackUri("", "evil.com/x?"));
    EXPECT_FALSE(CallbackUri("", "a b"));
}

TEST(OAuthFlow, TokenAnswersAreGrantsOrFailuresWithoutTheirBody) {
    auto ok = ParseTokenResponse(
        200, R"({"access_token":"at","token_type":"Bearer","refresh_token":"rt","expires_in":3600,
                 "scope":"read write"})");
    ASSERT_TRUE(ok.ok);
    EXPECT_EQ(ok.grant.access_token.Reveal(), "at");
    EXPECT_EQ(ok.grant.refresh_token.Reveal(), "rt");
    EXPECT_EQ(ok.grant.expires_in, 3600);
    EXPECT_EQ(*ok.grant.scopes, (std::vector<std::string>{"read", "write"}));

    auto form = ParseTokenResponse(200, "access_token=a%2Bb&token_type=bearer&scope=x+y");
    ASSERT_TRUE(form.ok);
    EXPECT_EQ(form.grant.access_token.Reveal(), "a+b");
    EXPECT_EQ(*form.grant.scopes, (std::vector<std::string>{"x", "y"}));
    EXPECT_FALSE(form.grant.expires_in);

    auto refused = ParseTokenResponse(400, R"({"error":"invalid_grant","error_description":"x"})");
    EXPECT_FALSE(refused.ok);
    EXPECT_EQ(refused.failure.oauth_error, "invalid_grant");
    EXPECT_TRUE(refused.failure.permanent);

    auto down = ParseTokenResponse(503, "<html>down</html>");
    EXPECT_FALSE(down.ok);
    EXPECT_EQ(down.failure.oauth_error, "token_request_failed");
    EXPECT_FALSE(down.failure.permanent);

    EXPECT_FALSE(ParseTokenResponse(200, R"({"token_type":"bearer"})").ok);
    EXPECT_FALSE(ParseTokenResponse(200, R"({"access_token":"a","token_type":"mac"})").ok);
    auto odd = ParseTokenResponse(400, R"({"error":"<script>"})");
    EXPECT_EQ(odd.failure.oauth_error, "authorization_failed");
}

TEST(OAuthFlow, FormEncodingEscapesReservedCharacters) {
    EXPECT_EQ(FormEncode({{"grant_type", "authorization_code"}, {"code", "a/b+c=d&e f"}}),
              "grant_type=authorization_code&code=a%2Fb%2Bc%3Dd%26e%20f");
}

}  // namespace
}  // namespace gc::oauth
