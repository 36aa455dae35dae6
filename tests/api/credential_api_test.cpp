// The credential vault over HTTP, on both backends: the endpoints and their errors, write-only
// secrets (a canary searched for in every answer, log line and stored byte), row binding, the
// key file, refusing to start with the wrong keys, and key rotation interrupted by kill -9.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "api_fixture.hpp"
#include "core/base64.hpp"
#include "core/random.hpp"

extern char** environ;

namespace gc::apitest {
namespace {

namespace json = boost::json;

// A fresh Fernet key as `connector keygen` prints it.
std::string NewKey() { return core::Base64UrlEncode(core::RandomBytes(32)); }

bool Contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

class CredentialApi : public ApiTest {
  protected:
    void SetUp() override {
        ApiTest::SetUp();
        if (HasFatalFailure()) {
            return;
        }
        SetupOwner(Client());
    }

    // Restarts the server with the keyring (and any other settings).
    void StartWithKeys(const std::string& keys, test::EnvMap extra = {}) {
        extra["CONNECTOR_ENCRYPTION_KEYS"] = keys;
        Start(extra);
        SignIn();
    }

    void SignIn() {
        auto r = Client().Post(
            "/api/auth/login",
            json::object{{"email", "owner@example.com"}, {"password", "correct horse battery"}});
        ASSERT_EQ(r.status, 200) << r.body;
        Client().SetDefaultHeader("X-CSRF-Token",
                                  std::string(r.Json().at("csrf_token").as_string()));
    }

    std::string NewIntegration(const std::string& name, const std::string& auth_type,
                               test::HttpClient* client = nullptr) {
        json::object body = SeedIntegration(name).as_object();
        body["auth_type"] = auth_type;
        auto r = (client ? *client : Client()).Post("/api/custom-integrations", body);
        EXPECT_EQ(r.status, 201) << r.body;
        return r.status == 201 ? std::string(r.Json().at("id").as_string()) : std::string();
    }

    static std::string Path(const std::string& id) {
        return "/api/custom-integrations/" + id + "/credentials";
    }

    test::HttpResponse PutCredential(const std::string& id, const std::string& body_json,
                                     test::HttpClient* client = nullptr) {
        return (client ? *client : Client())
            .Request("POST", Path(id), body_json, {{"Content-Type", "application/json"}});
    }

    test::EnvMap EnvWith(const std::string& keys) const {
        test::EnvMap env = DatabaseEnv();
        env["CONNECTOR_ENCRYPTION_KEYS"] = keys;
        env["CONNECTOR_LISTEN"] = "127.0.0.1:0";
        return env;
    }

    // `connector serve` run to its exit (it must refuse, so it exits at once).
    test::CommandResult ServeExpectingRefusal(const test::EnvMap& env) {
        return test::RunCommand(GC_CONNECTOR_BIN, {"serve"}, env, {}, std::chrono::seconds(20));
    }

    std::string KeyFile() const { return data_dir_ + "/encryption.key"; }

    // Every text value of every table of the SQLite file that contains needle, as "table.column".
    std::vector<std::string> SqliteCellsContaining(const std::string& needle) {
        std::vector<std::string> hits;
        sqlite3* db = nullptr;
        if (sqlite3_open_v2((data_dir_ + "/connector.db").c_str(), &db, SQLITE_OPEN_READONLY,
                            nullptr) != SQLITE_OK) {
            ADD_FAILURE() << "cannot open the SQLite file";
            sqlite3_close(db);
            return hits;
        }
        sqlite3_busy_timeout(db, 5000);
        std::vector<std::string> tables;
        sqlite3_stmt* stmt = nullptr;
        sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &stmt,
                           nullptr);
        while (sqlite3_step(stmt) == SQLITE_ROW) {
            tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
        }
        sqlite3_finalize(stmt);
        int cells = 0;
        for (const auto& table : tables) {
            sqlite3_prepare_v2(db, ("SELECT * FROM \"" + table + "\"").c_str(), -1, &stmt, nullptr);
            while (sqlite3_step(stmt) == SQLITE_ROW) {
                for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
                    const auto* text = sqlite3_column_text(stmt, c);
                    ++cells;
                    if (text != nullptr && Contains(reinterpret_cast<const char*>(text), needle)) {
                        hits.push_back(table + "." + sqlite3_column_name(stmt, c));
                    }
                }
            }
            sqlite3_finalize(stmt);
        }
        sqlite3_close(db);
        EXPECT_GT(cells, 20) << "the scan read the tables";
        return hits;
    }

    std::string PgDump() {
        auto dump = test::RunCommand("/usr/lib/postgresql/15/bin/pg_dump",
                                     {"--no-owner", "-d", db_.superuser_url}, {}, {},
                                     std::chrono::seconds(60));
        EXPECT_EQ(dump.exit_code, 0) << dump.stderr_text;
        return dump.stdout_text;
    }
};

TEST_P(CredentialApi, EveryEndpointWithItsErrors) {
    const std::string id = NewIntegration("stripe_api", "api_key");
    EXPECT_EQ(Client().Get(Path(id)).status, 404);
    EXPECT_EQ(Client().Delete(Path(id)).status, 404);
    EXPECT_EQ(Client().Post(Path(id) + "/invalidate", json::object{{"reason", "x"}}).status, 404);

    // The seed's body.
    auto put = PutCredential(id, R"({"type":"api_key","value":"sk_live_abcdefgh12345678"})");
    ASSERT_EQ(put.status, 201) << put.body;
    auto meta = put.Json().as_object();
    EXPECT_EQ(meta.at("type"), "api_key");
    EXPECT_EQ(meta.at("mask"), "••••5678");
    EXPECT_EQ(meta.at("status"), "valid");
    EXPECT_TRUE(meta.at("invalid_reason").is_null());
    EXPECT_TRUE(meta.at("expires_at").is_null());
    EXPECT_FALSE(meta.contains("scopes"));
    EXPECT_FALSE(meta.contains("value"));
    EXPECT_TRUE(meta.at("created_at").is_string());
    EXPECT_TRUE(meta.at("updated_at").is_string());

    auto got = Client().Get(Path(id));
    ASSERT_EQ(got.status, 200);
    EXPECT_EQ(got.Json(), json::value(meta));
    EXPECT_EQ(Client().Get("/api/custom-integrations/" + id).Json().at("credential"),
              json::value(meta));
    EXPECT_EQ(
        Client().Get("/api/custom-integrations").Json().at("integrations").at(0).at("credential"),
        json::value(meta));

    auto inv =
        Client().Post(Path(id) + "/invalidate", json::object{{"reason", "revoked upstream"}});
    ASSERT_EQ(inv.status, 200) << inv.body;
    EXPECT_EQ(inv.Json().at("status"), "invalid");
    EXPECT_EQ(inv.Json().at("invalid_reason"), "revoked upstream");
    EXPECT_EQ(Client().Get("/api/custom-integrations/" + id).Json().at("credential").at("status"),
              "invalid");

    // Bad input: 422 naming the field, 400 for non-JSON; the stored credential is untouched.
    struct Bad {
        std::string body;
        std::string field;
    };
    for (const Bad& bad :
         {Bad{R"({"type":"bearer","value":"x"})", "type"}, Bad{R"({"type":"api_key"})", "value"},
          Bad{R"({"type":"api_key","value":""})", "value"},
          Bad{R"({"type":"api_key","value":["x"]})", "value"},
          Bad{R"({"type":"token","value":"x"})", "type"}, Bad{R"({"value":"x"})", "type"},
          Bad{R"({"type":"basic","username":"u","password":"p"})", "type"}}) {
        auto r = PutCredential(id, bad.body);
        EXPECT_EQ(r.status, 422) << bad.body;
        EXPECT_EQ(r.Json().at("error").at("code"), "validation_failed") << bad.body;
        EXPECT_EQ(r.Json().at("error").at("details").at(0).at("field"), json::value(bad.field))
            << bad.body;
    }
    EXPECT_EQ(PutCredential(id, R"({"type":"api_key",)").status, 400);
    EXPECT_EQ(Client().Post(Path(id) + "/invalidate", json::object{}).status, 422);
    EXPECT_EQ(Client().Get(Path(id)).Json().at("status"), "invalid");

    // Another workspace's integration does not exist for its caller, on every route.
    auto other = NewClient();
    other.SetDefaultHeader("Authorization", "Bearer " + UserWithToken("intruder@example.com"));
    for (const auto& r : {PutCredential(id, R"({"type":"api_key","value":"x"})", &other),
                          other.Get(Path(id)), other.Delete(Path(id)),
                          other.Post(Path(id) + "/invalidate", json::object{{"reason", "x"}})}) {
        EXPECT_EQ(r.status, 404) << r.body;
        EXPECT_EQ(r.Json().at("error").at("code"), "not_found");
    }
    EXPECT_EQ(Client().Get(Path("not-a-uuid")).status, 404);
    EXPECT_EQ(Client().Get(Path(core::NewUuid())).status, 404);

    // Replacing makes it valid again; deleting removes it.
    auto replaced = PutCredential(id, R"({"type":"api_key","value":"sk_live_newvalue00009999"})");
    ASSERT_EQ(replaced.status, 201);
    EXPECT_EQ(replaced.Json().at("status"), "valid");
    EXPECT_EQ(replaced.Json().at("mask"), "••••9999");
    EXPECT_TRUE(replaced.Json().at("invalid_reason").is_null());
    EXPECT_EQ(replaced.Json().at("created_at"), meta.at("created_at"));
    EXPECT_EQ(Scalar("SELECT COUNT(*) FROM custom_integration_credentials"), "1");
    EXPECT_EQ(Client().Delete(Path(id)).status, 204);
    EXPECT_EQ(Client().Get(Path(id)).status, 404);
    EXPECT_TRUE(Client().Get("/api/custom-integrations/" + id).Json().at("credential").is_null());
    EXPECT_EQ(Scalar("SELECT COUNT(*) FROM custom_integration_credentials"), "0");
}

TEST_P(CredentialApi, EveryTypeFitsItsAuthTypeAndReportsItsStatus) {
    const std::string bearer = NewIntegration("b", "bearer");
    const std::string basic = NewIntegration("basic_auth", "basic");
    const std::string oauth = NewIntegration("oauth", "oauth2");
    const std::string oauth_refresh = NewIntegration("oauth_refresh", "oauth2");
    const std::string none = NewIntegration("no_auth", "none");

    EXPECT_EQ(PutCredential(bearer, R"({"type":"bearer","value":"short"})").Json().at("mask"),
              "••••");
    auto b =
        PutCredential(basic, R"({"type":"basic","username":"alice","password":"pw-0123456789"})");
    ASSERT_EQ(b.status, 201) << b.body;
    EXPECT_EQ(b.Json().at("type"), "basic");
    EXPECT_EQ(b.Json().at("mask"), "••••6789");
    EXPECT_EQ(PutCredential(basic, R"({"type":"basic","username":"a:b","password":"p"})").status,
              422);

    // The client secret first (as the integration form sends it), then tokens: both kept.
    auto client =
        PutCredential(oauth, R"({"type":"oauth2_client","client_secret":"cs-abcdefghijkl"})");
    ASSERT_EQ(client.status, 201) << client.body;
    EXPECT_EQ(client.Json().at("type"), "oauth2_client");
    auto expired = PutCredential(oauth, R"({"type":"oauth2","access_token":"at-expired-0000000",
                                            "expires_at":"2020-01-01T00:00:00Z","scopes":["read","write"]})");
    ASSERT_EQ(expired.status, 201) << expired.body;
    EXPECT_EQ(expired.Json().at("type"), "oauth2");
    EXPECT_EQ(expired.Json().at("status"), "expired");
    EXPECT_EQ(expired.Json().at("expires_at"), "2020-01-01T00:00:00.000Z");
    EXPECT_EQ(expired.Json().at("scopes"), json::parse(R"(["read","write"])"));
    // With a refresh token an expired access token can be renewed, so it is not "expired".
    auto refreshable = PutCredential(oauth_refresh, R"({"type":"oauth2","access_token":"at-1",
                                     "refresh_token":"rt-1","expires_at":"2020-01-01T00:00:00Z"})");
    EXPECT_EQ(refreshable.Json().at("status"), "valid");

    auto r = PutCredential(none, R"({"type":"api_key","value":"x"})");
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.Json().at("error").at("details").at(0).at("field"), "type");
    EXPECT_EQ(PutCredential(oauth, R"({"type":"oauth2","refresh_token":"r"})").status, 422);
    EXPECT_EQ(
        PutCredential(oauth, R"({"type":"oauth2","access_token":"a","expires_at":"soon"})").status,
        422);
}

TEST_P(CredentialApi, ACanaryIsFoundNowhereButAsCiphertext) {
    Start({{"CONNECTOR_LOG_LEVEL", "debug"}});
    SignIn();
    const std::string canary = "CANARY" + core::RandomToken(12);
    const std::string api = NewIntegration("canary_api", "api_key");
    const std::string basic = NewIntegration("canary_basic", "basic");
    const std::string oauth = NewIntegration("canary_oauth", "oauth2");
    std::vector<test::HttpResponse> answers;
    const auto keep = [&answers](test::HttpResponse r) {
        answers.push_back(r);
        return r;
    };

    EXPECT_EQ(
        keep(PutCredential(api, R"({"type":"api_key","value":"sk_live_)" + canary + "\"}")).status,
        201);
    EXPECT_EQ(keep(PutCredential(basic, R"({"type":"basic","username":"user-)" + canary +
                                            R"(","password":"pw-)" + canary + "\"}"))
                  .status,
              201);
    EXPECT_EQ(keep(PutCredential(
                       oauth, R"({"type":"oauth2_client","client_secret":"cs-)" + canary + "\"}"))
                  .status,
              201);
    EXPECT_EQ(keep(PutCredential(oauth, R"({"type":"oauth2","access_token":"at-)" + canary +
                                            R"(","refresh_token":"rt-)" + canary + "\"}"))
                  .status,
              201);
    // Every endpoint, and the error paths with the canary in the request.
    keep(Client().Get("/api/custom-integrations"));
    for (const auto& id : {api, basic, oauth}) {
        keep(Client().Get("/api/custom-integrations/" + id));
        keep(Client().Get(Path(id)));
    }
    keep(Client().Post(Path(api) + "/invalidate", json::object{{"reason", "testing"}}));
    keep(Client().Get("/api/custom-integrations/" + api));
    keep(PutCredential(api, R"({"type":"api_key","value":"sk_live_)" + canary + "\"}"));
    EXPECT_EQ(keep(PutCredential(api, R"({"type":"bearer","value":")" + canary + "\"}")).status,
              422);
    EXPECT_EQ(keep(PutCredential(api, R"({"type":"api_key","value":")" + canary + R"(\r\nX: y"})"))
                  .status,
              422);
    EXPECT_EQ(keep(PutCredential(api, R"({"type":"api_key","value":[")" + canary + "\"]}")).status,
              422);
    EXPECT_EQ(keep(PutCredential(api, R"({"type":"api_key","value":")" + canary + "\",}")).status,
              400);
    EXPECT_EQ(
        keep(PutCredential(api, R"({"type":"oauth2","access_token":")" + canary + "\"}")).status,
        422);
    EXPECT_EQ(
        keep(PutCredential(core::NewUuid(), R"({"type":"api_key","value":")" + canary + "\"}"))
            .status,
        404);
    EXPECT_EQ(
        keep(Client().Request("POST", Path(api), R"({"type":"api_key","value":")" + canary + "\"}",
                              {{"Content-Type", "text/plain"}}))
            .status,
        415);
    keep(Client().Get(Path(api), {{"X-Request-Id", "canary-final"}}));

    for (const auto& r : answers) {
        EXPECT_FALSE(Contains(r.body, canary)) << r.status << " " << r.body;
        for (const auto& [name, value] : r.headers) {
            EXPECT_FALSE(Contains(value, canary)) << name;
        }
    }
    // Logs at debug level: the server logs a request after answering it, so wait for the last.
    EXPECT_TRUE(Server().WaitForStderr(
        [&](const std::string& log) { return Contains(log, "canary-final"); }));
    Server().Stop();
    EXPECT_TRUE(Contains(Server().Logs(), "credential stored"));
    EXPECT_FALSE(Contains(Server().Logs(), canary));

    // In the database: only as ciphertext, sealed per row.
    EXPECT_EQ(Scalar("SELECT COUNT(*) FROM custom_integration_credentials WHERE encrypted_value"
                     " LIKE 'gAAAAA%'"),
              "3");
    if (GetParam() == Backend::kSqlite) {
        EXPECT_TRUE(SqliteCellsContaining(canary).empty());
        EXPECT_FALSE(SqliteCellsContaining("gAAAAA").empty()) << "the scan sees the ciphertext";
        for (const std::string suffix : {"", "-wal", "-shm", "-journal"}) {
            const std::string bytes = test::ReadFile(data_dir_ + "/connector.db" + suffix);
            EXPECT_FALSE(Contains(bytes, canary)) << "connector.db" << suffix;
        }
        EXPECT_TRUE(Contains(test::ReadFile(data_dir_ + "/connector.db") +
                                 test::ReadFile(data_dir_ + "/connector.db-wal"),
                             "canary_basic"));
    } else {
        const std::string dump = PgDump();
        EXPECT_TRUE(Contains(dump, "canary_basic")) << "the dump holds the data";
        EXPECT_TRUE(Contains(dump, "gAAAAA")) << "the dump holds the ciphertext";
        EXPECT_FALSE(Contains(dump, canary));
    }
}

TEST_P(CredentialApi, CiphertextCopiedIntoAnotherRowIsAnIntegrityFailure) {
    const std::string a = NewIntegration("a_api", "api_key");
    const std::string b = NewIntegration("b_api", "api_key");
    ASSERT_EQ(PutCredential(a, R"({"type":"api_key","value":"secret-a-000000000"})").status, 201);
    ASSERT_EQ(PutCredential(b, R"({"type":"api_key","value":"secret-b-111111111"})").status, 201);
    auto other = NewClient();
    other.SetDefaultHeader("Authorization", "Bearer " + UserWithToken("other@example.com"));
    const std::string foreign = NewIntegration("foreign_api", "api_key", &other);
    ASSERT_EQ(
        PutCredential(foreign, R"({"type":"api_key","value":"secret-f-2222222"})", &other).status,
        201);

    // At the database level, past the application: b's and the other workspace's rows get a's
    // ciphertext.
    Scalar(
        "UPDATE custom_integration_credentials SET encrypted_value = (SELECT encrypted_value"
        " FROM custom_integration_credentials WHERE integration_id = '" +
        a + "') WHERE integration_id IN ('" + b + "', '" + foreign + "')");
    ASSERT_EQ(Scalar("SELECT COUNT(DISTINCT encrypted_value) FROM custom_integration_credentials"),
              "1");

    for (const auto& r : {Client().Get(Path(b)),
                          Client().Post(Path(b) + "/invalidate", json::object{{"reason", "x"}}),
                          other.Get(Path(foreign))}) {
        EXPECT_EQ(r.status, 409) << r.body;
        EXPECT_EQ(r.Json().at("error").at("code"), "credential_integrity_failed");
    }
    // Lists keep working and show it as unusable; the original row still opens.
    EXPECT_EQ(Client().Get("/api/custom-integrations/" + b).Json().at("credential").at("status"),
              "unreadable");
    EXPECT_EQ(Client().Get(Path(a)).Json().at("status"), "valid");
    EXPECT_EQ(Scalar("SELECT status FROM custom_integration_credentials WHERE integration_id = '" +
                     b + "'"),
              "valid");  // the refused invalidate changed nothing
    // Storing it again repairs it.
    EXPECT_EQ(PutCredential(b, R"({"type":"api_key","value":"secret-b-333333333"})").status, 201);
    EXPECT_EQ(Client().Get(Path(b)).Json().at("status"), "valid");
}

TEST_P(CredentialApi, TheKeyFileIsMade0600OnlyWhileNoCredentialExists) {
    // The fixture's server started without CONNECTOR_ENCRYPTION_KEYS and no credential stored.
    struct stat st {};
    ASSERT_EQ(::stat(KeyFile().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    const std::string key_text = test::ReadFile(KeyFile());
    ASSERT_TRUE(Contains(key_text, "default:"));
    EXPECT_TRUE(Contains(Server().Stderr(), "created a new encryption key file"));
    EXPECT_FALSE(Contains(Server().Logs(), key_text.substr(8, 40)));

    const std::string id = NewIntegration("keyfile_api", "api_key");
    ASSERT_EQ(PutCredential(id, R"({"type":"api_key","value":"secret-value-000000"})").status, 201);
    Server().Stop();

    // The file is lost while a credential exists: serve refuses and makes no new key.
    std::filesystem::remove(KeyFile());
    test::EnvMap env = DatabaseEnv();
    env["CONNECTOR_LISTEN"] = "127.0.0.1:0";
    auto refused = ServeExpectingRefusal(env);
    EXPECT_FALSE(refused.timed_out);
    EXPECT_NE(refused.exit_code, 0);
    EXPECT_TRUE(Contains(refused.stderr_text, "refusing to start")) << refused.stderr_text;
    EXPECT_TRUE(Contains(refused.stderr_text, "1 credentials are stored")) << refused.stderr_text;
    EXPECT_FALSE(std::filesystem::exists(KeyFile()));

    // Restored, the same key opens it again.
    std::ofstream(KeyFile()) << key_text;
    ::chmod(KeyFile().c_str(), 0600);
    Start();
    SignIn();
    EXPECT_EQ(Client().Get(Path(id)).Json().at("status"), "valid");
    EXPECT_FALSE(Contains(Server().Stderr(), "created a new encryption key file"));
}

TEST_P(CredentialApi, ServeRefusesKeysThatOpenNoStoredCredentialAndChangesNothing) {
    const std::string k1 = NewKey();
    StartWithKeys("k1:" + k1);
    const std::string id = NewIntegration("refuse_api", "api_key");
    ASSERT_EQ(PutCredential(id, R"({"type":"api_key","value":"secret-value-000000"})").status, 201);
    const std::string before = Scalar("SELECT encrypted_value FROM custom_integration_credentials");
    Server().Stop();

    for (const std::string& keys : {"k2:" + NewKey(), "k1:" + NewKey(), NewKey()}) {
        auto refused = ServeExpectingRefusal(EnvWith(keys));
        EXPECT_FALSE(refused.timed_out);
        EXPECT_NE(refused.exit_code, 0);
        EXPECT_TRUE(Contains(refused.stderr_text, "refusing to start")) << refused.stderr_text;
        EXPECT_TRUE(Contains(refused.stderr_text, "none of the 1 stored credentials"))
            << refused.stderr_text;
        EXPECT_TRUE(Contains(refused.stderr_text, "k1 (1)")) << refused.stderr_text;
        EXPECT_FALSE(Contains(refused.stderr_text + refused.stdout_text, k1));
    }
    EXPECT_EQ(Scalar("SELECT encrypted_value FROM custom_integration_credentials"), before);
    EXPECT_EQ(Scalar("SELECT key_id FROM custom_integration_credentials"), "k1");

    StartWithKeys("k1:" + k1);
    EXPECT_EQ(Client().Get(Path(id)).Json().at("status"), "valid");
}

// Starts `connector` with stdout and stderr into out_path; returns its pid.
pid_t SpawnToFile(const std::vector<std::string>& args, const test::EnvMap& env,
                  const std::string& out_path) {
    std::vector<std::string> env_strings;
    for (char** e = environ; *e != nullptr; ++e) {
        if (std::string_view(*e).rfind("CONNECTOR_", 0) != 0) {
            env_strings.emplace_back(*e);
        }
    }
    for (const auto& [k, v] : env) {
        env_strings.push_back(k + "=" + v);
    }
    std::vector<std::string> argv_strings{GC_CONNECTOR_BIN};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    std::vector<char*> envp;
    for (auto& s : argv_strings) {
        argv.push_back(s.data());
    }
    for (auto& s : env_strings) {
        envp.push_back(s.data());
    }
    argv.push_back(nullptr);
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, GC_CONNECTOR_BIN, &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    return rc == 0 ? pid : -1;
}

TEST_P(CredentialApi, RotationSurvivesKillNineAndTheServerKeepsServing) {
    const std::string k1 = NewKey();
    const std::string k2 = NewKey();
    StartWithKeys("k1:" + k1);
    std::vector<std::string> ids;
    for (int i = 0; i < 6; ++i) {
        ids.push_back(NewIntegration("rot_" + std::to_string(i), "api_key"));
        ASSERT_EQ(PutCredential(ids.back(), R"({"type":"api_key","value":"secret-)" +
                                                std::to_string(i) + R"(-abcdefgh"})")
                      .status,
                  201);
    }
    const std::string both = "k2:" + k2 + ",k1:" + k1;
    StartWithKeys(both);

    // A run that commits one batch of 2 and then waits: killed -9 there.
    const std::string work = test::MakeTempDir("gc-rotate");
    const std::string out = work + "/out.txt";
    test::EnvMap env = EnvWith(both);
    const pid_t pid =
        SpawnToFile({"rotate-key", "--batch-size", "2", "--pause-ms", "60000"}, env, out);
    ASSERT_GT(pid, 0);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!Contains(test::ReadFile(out), "batch 1 committed") &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const std::string first_output = test::ReadFile(out);
    EXPECT_TRUE(Contains(first_output, "batch 1 committed: re-encrypted 2")) << first_output;
    EXPECT_EQ(Scalar("SELECT COUNT(*) FROM custom_integration_credentials WHERE key_id = 'k2'"),
              "2");

    // While rotate-key runs, the server answers reads and writes.
    for (const auto& id : ids) {
        auto r = Client().Get(Path(id));
        EXPECT_EQ(r.status, 200);
        EXPECT_EQ(r.Json().at("status"), "valid");
    }
    EXPECT_EQ(Client().Get("/api/custom-integrations").status, 200);
    ASSERT_EQ(PutCredential(ids[5], R"({"type":"api_key","value":"secret-5-replaced"})").status,
              201);

    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFSIGNALED(status));
    test::RemoveTree(work);
    // Half-way: the first batch is on k2 (and the replaced one, which the server sealed with
    // k2); the rest still on k1.
    const std::string left =
        Scalar("SELECT COUNT(*) FROM custom_integration_credentials WHERE key_id = 'k1'");
    EXPECT_TRUE(left == "3" || left == "4") << left;

    // Run again to the end.
    auto rerun = test::RunCommand(GC_CONNECTOR_BIN, {"rotate-key", "--batch-size", "2"}, env);
    EXPECT_EQ(rerun.exit_code, 0) << rerun.stdout_text << rerun.stderr_text;
    EXPECT_TRUE(Contains(rerun.stdout_text, "  k2: 6 (primary)")) << rerun.stdout_text;
    EXPECT_FALSE(Contains(rerun.stdout_text, "  k1:")) << rerun.stdout_text;
    EXPECT_EQ(Scalar("SELECT COUNT(*) FROM custom_integration_credentials WHERE key_id = 'k2'"),
              "6");

    // K1 removed: the server starts and every credential opens.
    StartWithKeys("k2:" + k2);
    for (const auto& id : ids) {
        auto r = Client().Get(Path(id));
        EXPECT_EQ(r.status, 200);
        EXPECT_EQ(r.Json().at("status"), "valid") << r.body;
    }
    EXPECT_EQ(Client().Get(Path(ids[5])).Json().at("mask"), "••••aced");
}

INSTANTIATE_TEST_SUITE_P(Backends, CredentialApi,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace
}  // namespace gc::apitest
