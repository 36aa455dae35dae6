// OAuth2 over HTTP, on both backends, against a mock authorization server written here on
// MockUpstream: the authorize redirect and the callback (state, PKCE, client auth), the
// client-credentials grant, refresh once for 20 concurrent calls (one process, and two processes
// on one PostgreSQL) with a server that rotates refresh tokens and revokes everything on reuse,
// invalid_grant marking the credential invalid, and the tokens found nowhere but as ciphertext.
#include <sqlite3.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "api_fixture.hpp"
#include "core/base64.hpp"
#include "core/clock.hpp"
#include "core/hash.hpp"
#include "core/random.hpp"
#include "support/mock_upstream.hpp"

namespace gc::apitest {
namespace {

namespace json = boost::json;

constexpr const char* kClientId = "gc-client";
constexpr const char* kClientSecret = "cs-secret-0123456789";

bool Contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

int Hex(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

std::string Decode(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() && Hex(s[i + 1]) >= 0 && Hex(s[i + 2]) >= 0) {
            out += char(Hex(s[i + 1]) * 16 + Hex(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

// "a=1&b=2" (or the query of a URL) as a map, decoded.
std::map<std::string, std::string> ParseQuery(const std::string& text) {
    std::map<std::string, std::string> out;
    std::string q = text;
    if (const auto at = q.find('?'); at != std::string::npos) {
        q = q.substr(at + 1);
    }
    std::size_t start = 0;
    while (start <= q.size()) {
        auto end = q.find('&', start);
        if (end == std::string::npos) {
            end = q.size();
        }
        const std::string pair = q.substr(start, end - start);
        if (const auto eq = pair.find('='); eq != std::string::npos) {
            out[Decode(pair.substr(0, eq))] = Decode(pair.substr(eq + 1));
        }
        start = end + 1;
    }
    return out;
}

std::string Pct(const std::string& s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += char(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

// The mock authorization server and the API it protects. /token handles authorization_code
// (code, redirect_uri, PKCE S256, client auth by HTTP Basic or form), refresh_token (rotates the
// refresh token on every use; a used one presented again revokes every token of the client and
// answers invalid_grant) and client_credentials. /v1/me answers 200 only to a live access token.
class MockAuthServer {
  public:
    explicit MockAuthServer(std::string token_prefix) : prefix_(std::move(token_prefix)) {
        upstream_.On("POST", "/token", [this](const test::RecordedRequest& r) { return Token(r); });
        upstream_.On("GET", "/v1/me", [this](const test::RecordedRequest& r) {
            std::lock_guard lock(mu_);
            const std::string auth = r.Header("Authorization");
            const std::string token = auth.starts_with("Bearer ") ? auth.substr(7) : "";
            if (!live_access_.contains(token)) {
                return test::MockResponse::Json(401, R"({"error":"invalid_token"})");
            }
            // The token's hash, not the token: an API echoing it would defeat the leak checks.
            return test::MockResponse::Json(
                200, json::serialize(json::object{{"token_sha256", core::Sha256Hex(token)}}));
        });
    }

    std::string BaseUrl() const { return upstream_.BaseUrl(); }
    std::uint16_t Port() const { return upstream_.Port(); }

    // What the test's "browser" does at /authorize: the user consents, a code is issued for the
    // request's parameters, and the redirect back is returned.
    std::string Consent(const std::string& authorize_location) {
        auto q = ParseQuery(authorize_location);
        std::lock_guard lock(mu_);
        const std::string code = "code-" + core::RandomToken(12);
        codes_[code] = q;
        return q["redirect_uri"] + "?code=" + Pct(code) + "&state=" + Pct(q["state"]);
    }

    // Makes a refresh token (and access token) known, as if issued earlier.
    void Issue(const std::string& access, const std::string& refresh) {
        std::lock_guard lock(mu_);
        live_access_.insert(access);
        live_refresh_.insert(refresh);
    }

    int Grants(const std::string& grant_type) {
        std::lock_guard lock(mu_);
        return grants_[grant_type];
    }
    bool Revoked() {
        std::lock_guard lock(mu_);
        return revoked_;
    }
    std::string LastRefreshedAccess() {
        std::lock_guard lock(mu_);
        return last_access_;
    }
    void set_token_delay(std::chrono::milliseconds d) { token_delay_ = d; }
    void set_expires_in(int s) { expires_in_ = s; }
    std::vector<std::string> TokensIssued() {
        std::lock_guard lock(mu_);
        return issued_;
    }

  private:
    test::MockResponse Fail(const std::string& error) {
        return test::MockResponse::Json(400, R"({"error":")" + error + R"("})");
    }

    // Client auth: HTTP Basic (form-encoded id and secret), or client_id (+ secret) in the form.
    bool ClientOk(const test::RecordedRequest& r, std::map<std::string, std::string>& form,
                  bool allow_public) {
        const std::string auth = r.Header("Authorization");
        if (auth.starts_with("Basic ")) {
            auto decoded = core::Base64UrlDecode([&] {
                std::string s = auth.substr(6);
                for (char& c : s) {
                    c = c == '+' ? '-' : c == '/' ? '_' : c;
                }
                return s;
            }());
            if (!decoded) {
                return false;
            }
            const auto colon = decoded->find(':');
            return colon != std::string::npos && Decode(decoded->substr(0, colon)) == kClientId &&
                   Decode(decoded->substr(colon + 1)) == kClientSecret;
        }
        if (form["client_id"] != kClientId) {
            return false;
        }
        return form.contains("client_secret") ? form["client_secret"] == kClientSecret
                                              : allow_public;
    }

    test::MockResponse Issued(bool with_refresh) {
        const std::string access = prefix_ + "-at-" + core::RandomToken(9);
        json::object o{{"access_token", access},
                       {"token_type", "Bearer"},
                       {"expires_in", expires_in_.load()},
                       {"scope", "read write"}};
        issued_.push_back(access);
        live_access_.insert(access);
        last_access_ = access;
        if (with_refresh) {
            const std::string refresh = prefix_ + "-rt-" + core::RandomToken(9);
            live_refresh_.insert(refresh);
            issued_.push_back(refresh);
            o["refresh_token"] = refresh;
        }
        return test::MockResponse::Json(200, json::serialize(o));
    }

    test::MockResponse Token(const test::RecordedRequest& r) {
        if (token_delay_.load().count() > 0) {
            std::this_thread::sleep_for(token_delay_.load());
        }
        auto form = ParseQuery("?" + r.body);
        std::lock_guard lock(mu_);
        const std::string grant = form["grant_type"];
        ++grants_[grant];
        if (grant == "authorization_code") {
            auto it = codes_.find(form["code"]);
            if (it == codes_.end()) {
                return Fail("invalid_grant");
            }
            auto issued = it->second;
            codes_.erase(it);
            if (!ClientOk(r, form, !issued["code_challenge"].empty()) ||
                issued["client_id"] != kClientId) {
                return test::MockResponse::Json(401, R"({"error":"invalid_client"})");
            }
            if (form["redirect_uri"] != issued["redirect_uri"]) {
                return Fail("invalid_grant");
            }
            if (!issued["code_challenge"].empty() &&
                core::Base64UrlEncodeNoPad(core::Sha256(form["code_verifier"])) !=
                    issued["code_challenge"]) {
                return Fail("invalid_grant");
            }
            return Issued(true);
        }
        if (!ClientOk(r, form, false)) {
            return test::MockResponse::Json(401, R"({"error":"invalid_client"})");
        }
        if (grant == "refresh_token") {
            const std::string rt = form["refresh_token"];
            if (used_refresh_.contains(rt)) {
                // Reuse: someone replayed a rotated token. Revoke everything of this client.
                revoked_ = true;
                live_access_.clear();
                for (const auto& t : live_refresh_) {
                    used_refresh_.insert(t);
                }
                live_refresh_.clear();
                return Fail("invalid_grant");
            }
            if (!live_refresh_.contains(rt)) {
                return Fail("invalid_grant");
            }
            live_refresh_.erase(rt);
            used_refresh_.insert(rt);
            return Issued(true);
        }
        if (grant == "client_credentials") {
            return Issued(false);
        }
        return Fail("unsupported_grant_type");
    }

    std::string prefix_;
    test::MockUpstream upstream_{4};
    std::atomic<std::chrono::milliseconds> token_delay_{std::chrono::milliseconds(0)};
    std::atomic<int> expires_in_{3600};
    std::mutex mu_;
    std::map<std::string, std::map<std::string, std::string>> codes_;
    std::set<std::string> live_access_;
    std::set<std::string> live_refresh_;
    std::set<std::string> used_refresh_;
    std::map<std::string, int> grants_;
    std::vector<std::string> issued_;
    std::string last_access_;
    bool revoked_ = false;
};

class OAuthApi : public ApiTest {
  protected:
    void SetUp() override {
        ApiTest::SetUp();
        if (HasFatalFailure()) {
            return;
        }
        Start(ServerEnv());
        SetupOwner(Client());
    }

    test::EnvMap ServerEnv() const {
        return {{"CONNECTOR_EGRESS_ALLOW", "127.0.0.1:" + std::to_string(auth_.Port())},
                {"CONNECTOR_ENCRYPTION_KEYS", keys_},
                {"CONNECTOR_LOG_LEVEL", "debug"}};
    }

    // An oauth2 integration on the mock; extra fields merge into oauth_config.
    std::string NewIntegration(const std::string& name, json::object extra = {}) {
        json::object oauth{{"authorize_url", auth_.BaseUrl() + "/authorize"},
                           {"token_url", auth_.BaseUrl() + "/token"},
                           {"client_id", kClientId},
                           {"scopes", json::array{"read", "write"}}};
        for (auto& [k, v] : extra) {
            oauth[k] = v;
        }
        auto r = Client().Post(
            "/api/custom-integrations",
            json::object{{"name", name},
                         {"auth_type", "oauth2"},
                         {"base_url", auth_.BaseUrl() + "/v1"},
                         {"oauth_config", oauth},
                         {"actions", json::array{json::object{{"action_id", "me"},
                                                              {"http_method", "GET"},
                                                              {"endpoint", "/me"}}}}});
        EXPECT_EQ(r.status, 201) << r.body;
        return r.status == 201 ? std::string(r.Json().at("id").as_string()) : std::string();
    }

    static std::string CredPath(const std::string& id) {
        return "/api/custom-integrations/" + id + "/credentials";
    }
    static std::string AuthorizePath(const std::string& id) {
        return "/api/custom-integrations/" + id + "/oauth/authorize";
    }

    void StoreClientSecret(const std::string& id) {
        auto r = Client().Post(CredPath(id), json::object{{"type", "oauth2_client"},
                                                          {"client_secret", kClientSecret}});
        ASSERT_EQ(r.status, 201) << r.body;
    }

    // Runs authorize -> consent -> callback and returns the callback's Location.
    std::string Connect(const std::string& id, test::HttpClient& client) {
        auto start = client.Get(AuthorizePath(id));
        EXPECT_EQ(start.status, 302) << start.body;
        const std::string back = auth_.Consent(start.Header("Location"));
        const std::string path = back.substr(back.find("/api/oauth/callback"));
        auto done = client.Get(path);
        EXPECT_EQ(done.status, 302) << done.body;
        return done.Header("Location");
    }

    static test::HttpResponse Execute(test::HttpClient& client, const std::string& id) {
        return client.Post("/api/execute",
                           json::object{{"provider", "custom_" + id}, {"action", "me"}});
    }

    std::string ApiToken() {
        auto r = Client().Post("/api/tokens", json::object{{"name", "oauth-test"}});
        EXPECT_EQ(r.status, 201) << r.body;
        return "Bearer " + std::string(r.Json().at("token").as_string());
    }

    // Stores tokens, with a client secret, expiring in `seconds`; known: the mock issued them.
    void StoreTokens(const std::string& id, const std::string& access, const std::string& refresh,
                     int seconds, bool known = true) {
        StoreClientSecret(id);
        if (known) {
            auth_.Issue(access, refresh);
        }
        const std::string expires =
            core::FormatTimestamp(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
        auto r = Client().Post(CredPath(id), json::object{{"type", "oauth2"},
                                                          {"access_token", access},
                                                          {"refresh_token", refresh},
                                                          {"expires_at", expires}});
        ASSERT_EQ(r.status, 201) << r.body;
    }

    // Fires one /api/execute per entry of bases (a server's base URL) at once; returns the
    // answers.
    std::vector<test::HttpResponse> ConcurrentCalls(const std::vector<std::string>& bases,
                                                    const std::string& bearer,
                                                    const std::string& id) {
        std::vector<test::HttpResponse> answers(bases.size());
        std::vector<std::thread> threads;
        std::atomic<int> ready{0};
        for (std::size_t i = 0; i < bases.size(); ++i) {
            threads.emplace_back([&, i] {
                test::HttpClient c(bases[i]);
                c.SetTimeout(std::chrono::seconds(30));
                c.SetDefaultHeader("Authorization", bearer);
                ++ready;
                while (ready.load() < int(bases.size())) {
                    std::this_thread::yield();
                }
                answers[i] = Execute(c, id);
            });
        }
        for (auto& t : threads) {
            t.join();
        }
        return answers;
    }

    std::string keys_ = core::Base64UrlEncode(core::RandomBytes(32));
    MockAuthServer auth_{"CANARY" + core::RandomToken(6)};
};

TEST_P(OAuthApi, AuthorizeRedirectsWithAStateAndPkceAndTheCallbackStoresTheTokens) {
    const std::string id = NewIntegration("oauth_full");
    StoreClientSecret(id);
    auto start = Client().Get(AuthorizePath(id));
    ASSERT_EQ(start.status, 302) << start.body;
    const std::string location = start.Header("Location");
    ASSERT_TRUE(location.starts_with(auth_.BaseUrl() + "/authorize?")) << location;
    auto q = ParseQuery(location);
    EXPECT_EQ(q["response_type"], "code");
    EXPECT_EQ(q["client_id"], kClientId);
    EXPECT_EQ(q["redirect_uri"], Server().BaseUrl() + "/api/oauth/callback");
    EXPECT_EQ(q["scope"], "read write");
    EXPECT_EQ(q["code_challenge_method"], "S256");
    EXPECT_EQ(q["code_challenge"].size(), 43u);
    EXPECT_GE(q["state"].size(), 32u);
    EXPECT_FALSE(Contains(location, kClientSecret));
    // Only the state's hash is stored, and the PKCE verifier only sealed.
    EXPECT_EQ(Scalar("SELECT state_hash FROM oauth_states"), core::Sha256Hex(q["state"]));
    EXPECT_TRUE(Scalar("SELECT code_verifier FROM oauth_states").starts_with("gAAAAA"));
    EXPECT_EQ(
        Scalar("SELECT COUNT(*) FROM oauth_states WHERE state_hash LIKE '%" + q["state"] + "%'"),
        "0");

    const std::string back = auth_.Consent(location);
    const std::string callback = back.substr(back.find("/api/oauth/callback"));
    auto done = Client().Get(callback);
    ASSERT_EQ(done.status, 302) << done.body;
    EXPECT_EQ(done.Header("Location"), "/integrations/" + id + "?connected=1");
    EXPECT_EQ(auth_.Grants("authorization_code"), 1);

    auto meta = Client().Get(CredPath(id));
    ASSERT_EQ(meta.status, 200);
    EXPECT_EQ(meta.Json().at("type"), "oauth2");
    EXPECT_EQ(meta.Json().at("status"), "valid");
    EXPECT_TRUE(meta.Json().at("expires_at").is_string());
    EXPECT_EQ(meta.Json().at("scopes"), json::parse(R"(["read","write"])"));

    auto call = Execute(Client(), id);
    ASSERT_EQ(call.status, 200) << call.body;
    EXPECT_EQ(call.Json().at("status_code"), 200);
    EXPECT_EQ(auth_.Grants("refresh_token"), 0);

    // The state is single use: the same callback again is refused and changes nothing.
    auto replay = Client().Get(callback);
    EXPECT_EQ(replay.Header("Location"), "/integrations/" + id + "?oauth_error=invalid_state");
    EXPECT_EQ(auth_.Grants("authorization_code"), 1);
    // The client secret survived the token write: a refresh authenticates with it.
    EXPECT_EQ(Execute(Client(), id).status, 200);
}

TEST_P(OAuthApi, CallbackFailuresRedirectWithAnErrorCodeAndStoreNothing) {
    const std::string id = NewIntegration("oauth_fail");
    StoreClientSecret(id);
    const auto state_of = [&] {
        auto r = Client().Get(AuthorizePath(id));
        return ParseQuery(r.Header("Location"))["state"];
    };
    // The user said no at the provider.
    auto denied = Client().Get("/api/oauth/callback?error=access_denied&state=" + state_of());
    EXPECT_EQ(denied.status, 302);
    EXPECT_EQ(denied.Header("Location"), "/integrations/" + id + "?oauth_error=access_denied");
    // An unknown state.
    auto unknown = Client().Get("/api/oauth/callback?code=x&state=nope");
    EXPECT_EQ(unknown.Header("Location"), "/integrations?oauth_error=invalid_state");
    EXPECT_EQ(Client().Get("/api/oauth/callback").Header("Location"),
              "/integrations?oauth_error=invalid_state");
    // An expired state.
    const std::string old = state_of();
    Scalar("UPDATE oauth_states SET expires_at = '2000-01-01T00:00:00.000Z' WHERE used_at IS NULL");
    auto expired = Client().Get("/api/oauth/callback?code=x&state=" + old);
    EXPECT_EQ(expired.Header("Location"), "/integrations/" + id + "?oauth_error=invalid_state");
    // A code the token endpoint refuses.
    auto bad_code = Client().Get("/api/oauth/callback?code=forged&state=" + state_of());
    EXPECT_EQ(bad_code.Header("Location"), "/integrations/" + id + "?oauth_error=invalid_grant");
    // Another account cannot finish this user's flow.
    const std::string mine = state_of();
    auto other = NewClient();
    other.SetDefaultHeader("Authorization", "Bearer " + UserWithToken("other@example.com"));
    EXPECT_EQ(other.Get("/api/oauth/callback?code=x&state=" + mine).Header("Location"),
              "/integrations?oauth_error=invalid_state");
    // No session at all: 401, not a redirect.
    EXPECT_EQ(NewClient().Get("/api/oauth/callback?code=x&state=" + mine).status, 401);

    EXPECT_EQ(auth_.Grants("authorization_code"), 1);  // only the forged code reached it
    EXPECT_EQ(Client().Get(CredPath(id)).Json().at("type"), "oauth2_client");
}

TEST_P(OAuthApi, AuthorizeRefusesWhatCannotConnect) {
    auto api_key = Client().Post("/api/custom-integrations", SeedIntegration("plain_api"));
    const std::string plain(api_key.Json().at("id").as_string());
    EXPECT_EQ(Client().Get(AuthorizePath(plain)).status, 422);

    const std::string no_token_url = NewIntegration("no_token_url", {{"token_url", nullptr}});
    auto r = Client().Get(AuthorizePath(no_token_url));
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.Json().at("error").at("details").at(0).at("field"), "oauth_config.token_url");

    const std::string cc = NewIntegration("cc_only", {{"grant_type", "client_credentials"}});
    EXPECT_EQ(Client().Get(AuthorizePath(cc)).status, 422);

    // Without PKCE the client must authenticate: no stored secret is a credential_missing.
    const std::string confidential = NewIntegration("no_pkce", {{"pkce", false}});
    auto missing = Client().Get(AuthorizePath(confidential));
    EXPECT_EQ(missing.status, 409) << missing.body;
    EXPECT_EQ(missing.Json().at("error").at("code"), "credential_missing");
    StoreClientSecret(confidential);
    auto ok = Client().Get(AuthorizePath(confidential));
    EXPECT_EQ(ok.status, 302);
    EXPECT_FALSE(Contains(ok.Header("Location"), "code_challenge"));

    // A public client (PKCE, no secret) connects without one.
    const std::string pub = NewIntegration("public_client");
    EXPECT_EQ(Connect(pub, Client()), "/integrations/" + pub + "?connected=1");

    EXPECT_EQ(Client().Get(AuthorizePath(core::NewUuid())).status, 404);
    auto other = NewClient();
    other.SetDefaultHeader("Authorization", "Bearer " + UserWithToken("other@example.com"));
    EXPECT_EQ(other.Get(AuthorizePath(pub)).status, 404);
}

TEST_P(OAuthApi, PublicUrlSetsTheRedirectUri) {
    auto env = ServerEnv();
    env["CONNECTOR_PUBLIC_URL"] = "https://connector.example.com/";
    Start(env);
    auto login = Client().Post(
        "/api/auth/login",
        json::object{{"email", "owner@example.com"}, {"password", "correct horse battery"}});
    ASSERT_EQ(login.status, 200);
    Client().SetDefaultHeader("X-CSRF-Token",
                              std::string(login.Json().at("csrf_token").as_string()));
    const std::string id = NewIntegration("public_url");
    auto r = Client().Get(AuthorizePath(id));
    EXPECT_EQ(ParseQuery(r.Header("Location"))["redirect_uri"],
              "https://connector.example.com/api/oauth/callback");

    // A value that is not an http(s) base URL stops the server, naming the variable.
    test::EnvMap bad = DatabaseEnv();
    bad["CONNECTOR_ENCRYPTION_KEYS"] = keys_;
    bad["CONNECTOR_LISTEN"] = "127.0.0.1:0";
    bad["CONNECTOR_PUBLIC_URL"] = "ftp://connector.example.com";
    auto refused = test::RunCommand(GC_CONNECTOR_BIN, {"serve"}, bad, {}, std::chrono::seconds(20));
    EXPECT_NE(refused.exit_code, 0);
    EXPECT_TRUE(Contains(refused.stderr_text + refused.stdout_text, "CONNECTOR_PUBLIC_URL"))
        << refused.stderr_text;
}

TEST_P(OAuthApi, ClientCredentialsFetchesATokenOnTheFirstCallAndReusesIt) {
    const std::string id = NewIntegration("cc", {{"grant_type", "client_credentials"}});
    auto without = Execute(Client(), id);
    EXPECT_EQ(without.status, 409);
    EXPECT_EQ(without.Json().at("error").at("code"), "credential_missing");
    StoreClientSecret(id);
    auto first = Execute(Client(), id);
    ASSERT_EQ(first.status, 200) << first.body;
    EXPECT_EQ(first.Json().at("status_code"), 200);
    EXPECT_EQ(Execute(Client(), id).Json().at("status_code"), 200);
    EXPECT_EQ(auth_.Grants("client_credentials"), 1);
    auto meta = Client().Get(CredPath(id)).Json();
    EXPECT_EQ(meta.at("type"), "oauth2");
    EXPECT_EQ(meta.at("status"), "valid");
}

TEST_P(OAuthApi, AnExpiredTokenIsRefreshedOnceFor20ConcurrentCalls) {
    const std::string id = NewIntegration("refresh_one");
    StoreTokens(id, "at-old-0123456789", "rt-old-0123456789", 5);
    auth_.set_token_delay(std::chrono::milliseconds(300));
    const std::string bearer = ApiToken();
    std::this_thread::sleep_for(std::chrono::milliseconds(5200));  // past expires_at

    auto answers = ConcurrentCalls(std::vector<std::string>(20, Server().BaseUrl()), bearer, id);
    for (const auto& a : answers) {
        ASSERT_EQ(a.status, 200) << a.body;
        EXPECT_EQ(a.Json().at("status_code"), 200) << a.body;
        EXPECT_EQ(a.Json().at("body").at("token_sha256"),
                  json::value(core::Sha256Hex(auth_.LastRefreshedAccess())));
    }
    EXPECT_EQ(auth_.Grants("refresh_token"), 1);
    EXPECT_FALSE(auth_.Revoked());
    auto meta = Client().Get(CredPath(id)).Json();
    EXPECT_EQ(meta.at("status"), "valid");
    EXPECT_EQ(Scalar("SELECT COUNT(*) FROM custom_integration_credentials"
                     " WHERE lease_owner IS NOT NULL"),
              "0");
}

// Several processes share a database only on PostgreSQL.
class OAuthTwoNodes : public OAuthApi {};

TEST_P(OAuthTwoNodes, TwoProcessesOnOnePostgresRefreshOnce) {
    const std::string id = NewIntegration("refresh_two");
    StoreTokens(id, "at-old-9876543210", "rt-old-9876543210", 5);
    auth_.set_token_delay(std::chrono::milliseconds(300));
    const std::string bearer = ApiToken();
    test::ConnectorOptions options;
    options.binary = GC_CONNECTOR_BIN;
    options.env = DatabaseEnv();
    for (const auto& [k, v] : ServerEnv()) {
        options.env[k] = v;
    }
    options.env["CONNECTOR_DATABASE_POOL_SIZE"] = "4";
    test::ConnectorProcess second(options);
    std::this_thread::sleep_for(std::chrono::milliseconds(5200));  // past expires_at

    std::vector<std::string> bases;
    for (int i = 0; i < 20; ++i) {
        bases.push_back(i % 2 == 0 ? Server().BaseUrl() : second.BaseUrl());
    }
    auto answers = ConcurrentCalls(bases, bearer, id);
    for (const auto& a : answers) {
        ASSERT_EQ(a.status, 200) << a.body;
        EXPECT_EQ(a.Json().at("status_code"), 200) << a.body;
        EXPECT_EQ(a.Json().at("body").at("token_sha256"),
                  json::value(core::Sha256Hex(auth_.LastRefreshedAccess())));
    }
    EXPECT_EQ(auth_.Grants("refresh_token"), 1);
    EXPECT_FALSE(auth_.Revoked());
    EXPECT_TRUE(Contains(Server().Logs() + second.Logs(), "oauth token refreshed"));
}

TEST_P(OAuthApi, ARefusedRefreshMarksTheCredentialInvalidAndKeepsIt) {
    const std::string id = NewIntegration("refresh_refused");
    // Expired, and the provider has revoked the refresh token since (it does not know it).
    StoreTokens(id, "at-dead-0123456789", "rt-dead-0123456789", -10, false);
    auto r = Execute(Client(), id);
    EXPECT_EQ(r.status, 409) << r.body;
    EXPECT_EQ(r.Json().at("error").at("code"), "credential_invalid");
    EXPECT_EQ(auth_.Grants("refresh_token"), 1);
    auto meta = Client().Get(CredPath(id));
    ASSERT_EQ(meta.status, 200) << "the credential is kept";
    EXPECT_EQ(meta.Json().at("status"), "invalid");
    EXPECT_TRUE(
        Contains(std::string(meta.Json().at("invalid_reason").as_string()), "invalid_grant"));
    EXPECT_EQ(Execute(Client(), id).Json().at("error").at("code"), "credential_invalid");
    EXPECT_EQ(auth_.Grants("refresh_token"), 1) << "an invalid credential is not refreshed again";
}

TEST_P(OAuthApi, TokensCodesAndStatesAreFoundNowhereButAsCiphertext) {
    const std::string id = NewIntegration("oauth_canary");
    StoreClientSecret(id);
    std::vector<test::HttpResponse> answers;
    auto start = Client().Get(AuthorizePath(id));
    answers.push_back(start);
    const std::string location = start.Header("Location");
    const std::string state = ParseQuery(location)["state"];
    const std::string back = auth_.Consent(location);
    const std::string code = ParseQuery(back)["code"];
    auto done = Client().Get(back.substr(back.find("/api/oauth/callback")));
    answers.push_back(done);
    ASSERT_EQ(done.Header("Location"), "/integrations/" + id + "?connected=1");
    // Force a refresh, so rotated tokens pass through too.
    Scalar("UPDATE custom_integration_credentials SET expires_at = '2000-01-01T00:00:00.000Z'");
    answers.push_back(Execute(Client(), id));
    EXPECT_EQ(auth_.Grants("refresh_token"), 1);
    answers.push_back(Client().Get(CredPath(id)));
    answers.push_back(Client().Get("/api/custom-integrations/" + id));
    answers.push_back(Client().Get("/api/custom-integrations"));
    answers.push_back(Client().Get("/api/executions"));
    answers.push_back(Client().Get("/api/oauth/callback?code=" + code + "&state=" + state));
    Client().Get("/api/me", {{"X-Request-Id", "oauth-canary-final"}});

    std::vector<std::string> secrets = auth_.TokensIssued();
    ASSERT_GE(secrets.size(), 4u);  // two access and two refresh tokens
    secrets.push_back(kClientSecret);
    secrets.push_back(code);
    secrets.push_back(state);
    // The state travels to the provider in the authorize redirect, and nowhere else.
    EXPECT_TRUE(Contains(answers[0].Header("Location"), state));
    answers[0].headers.clear();
    for (const auto& r : answers) {
        for (const auto& s : secrets) {
            EXPECT_FALSE(Contains(r.body, s)) << r.body;
            for (const auto& [name, value] : r.headers) {
                EXPECT_FALSE(Contains(value, s)) << name << ": " << value;
            }
        }
    }
    EXPECT_TRUE(Server().WaitForStderr(
        [](const std::string& log) { return Contains(log, "oauth-canary-final"); }));
    Server().Stop();
    const std::string logs = Server().Logs();
    EXPECT_TRUE(Contains(logs, "oauth token refreshed"));
    for (const auto& s : secrets) {
        EXPECT_FALSE(Contains(logs, s)) << "in the logs";
    }
    if (GetParam() == Backend::kSqlite) {
        for (const std::string suffix : {"", "-wal"}) {
            const std::string bytes = test::ReadFile(data_dir_ + "/connector.db" + suffix);
            for (const auto& s : secrets) {
                EXPECT_FALSE(Contains(bytes, s)) << "connector.db" << suffix;
            }
        }
    } else {
        auto dump = test::RunCommand("/usr/lib/postgresql/15/bin/pg_dump",
                                     {"--no-owner", "-d", db_.superuser_url}, {}, {},
                                     std::chrono::seconds(60));
        ASSERT_EQ(dump.exit_code, 0) << dump.stderr_text;
        EXPECT_TRUE(Contains(dump.stdout_text, "oauth_states"));
        for (const auto& s : secrets) {
            EXPECT_FALSE(Contains(dump.stdout_text, s)) << "in the dump";
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Backends, OAuthTwoNodes, ::testing::Values(Backend::kPostgres),
                         BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, OAuthApi,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace
}  // namespace gc::apitest
