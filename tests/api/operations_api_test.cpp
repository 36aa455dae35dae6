// Operations: health and readiness, one log line per request, graceful SIGTERM, the command
// line, and where the embedded database lives.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <fstream>
#include <sstream>
#include <thread>

#include "api_fixture.hpp"
#include "core/base64.hpp"

namespace gc::apitest {
namespace {

namespace json = boost::json;

class OperationsApi : public ApiTest {};

TEST_P(OperationsApi, HealthAndReadinessNeedNoAuth) {
    auto health = Client().Get("/health");
    EXPECT_EQ(health.status, 200);
    EXPECT_EQ(health.Json().at("status"), "ok");
    auto ready = Client().Get("/ready");
    EXPECT_EQ(ready.status, 200);
    EXPECT_EQ(ready.Json().at("database"), "ok");
}

// Only PostgreSQL can become unreachable; an embedded SQLite file cannot.
class PostgresOperationsApi : public ApiTest {};

TEST_P(PostgresOperationsApi, ReadinessFailsWhenTheDatabaseIsGone) {
    // Cut the server's connections and rename its database away so reconnecting fails.
    const std::string maintenance = pg_.Url(pg_.Superuser(), "postgres");
    test::PgExec(maintenance,
                 "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
                 {db_.name});
    test::PgExec(maintenance,
                 "ALTER DATABASE \"" + db_.name + "\" RENAME TO \"" + db_.name + "_away\"");
    auto ready = Client().Get("/ready");
    EXPECT_EQ(ready.status, 503);
    EXPECT_EQ(ready.body.find("FATAL"), std::string::npos);
    auto api = Client().Get("/api/auth/status");
    EXPECT_EQ(api.status, 503);
    EXPECT_EQ(api.Json().at("error").at("code"), "unavailable");
    EXPECT_EQ(api.body.find("database \""), std::string::npos);
    test::PgExec(maintenance,
                 "ALTER DATABASE \"" + db_.name + "_away\" RENAME TO \"" + db_.name + "\"");
    EXPECT_EQ(Client().Get("/ready").status, 200);
}

TEST_P(OperationsApi, LogsOneStructuredLinePerRequestWithoutSecrets) {
    const std::string password = "canary-password-7f3a";
    SetupOwner(Client(), "owner@example.com", password);
    auto token = Client().Post("/api/tokens", json::object{{"name", "t"}});
    const std::string token_text(token.Json().at("token").as_string());
    auto me = Client().Get("/api/me?user_id=x", {{"X-Request-Id", "req-12345"}});
    EXPECT_EQ(me.Header("X-Request-Id"), "req-12345");
    NewClient().Get("/api/me", {{"Authorization", "Bearer " + token_text}});

    ASSERT_TRUE(Server().WaitForStderr(
        [](const std::string& text) {
            return text.find("\"msg\":\"request\"") != std::string::npos &&
                   text.find("req-12345") != std::string::npos;
        },
        std::chrono::milliseconds(5000)));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the last request's line
    const std::string logs = Server().Stderr();
    bool found = false;
    std::istringstream lines(logs);
    std::string line;
    int request_lines = 0;
    while (std::getline(lines, line)) {
        auto j = json::parse(line);  // every line is one JSON object
        if (j.at("msg") == "request") {
            ++request_lines;
            for (const char* field : {"method", "route", "status", "duration_ms", "request_id"}) {
                EXPECT_TRUE(j.as_object().contains(field)) << line;
            }
        }
        if (j.as_object().contains("request_id") && j.at("request_id") == "req-12345") {
            found = true;
            EXPECT_EQ(j.at("route"), "/api/me");
            EXPECT_EQ(j.at("status"), 200);
            EXPECT_EQ(j.at("method"), "GET");
        }
    }
    EXPECT_TRUE(found) << logs;
    EXPECT_GE(request_lines, 4);
    EXPECT_EQ(logs.find(password), std::string::npos);
    EXPECT_EQ(logs.find(token_text), std::string::npos);
    EXPECT_EQ(logs.find(Client().Cookie("gc_session")), std::string::npos);
}

// Opens a raw connection and sends the headers and half the body of a request.
int StartSlowRequest(int port, const std::string& body) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(uint16_t(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        return -1;
    }
    const std::string head =
        "POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/json\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, body.size() / 2);
    (void)!::write(fd, head.data(), head.size());
    return fd;
}

TEST_P(OperationsApi, SigtermLetsTheRequestInFlightFinishThenExitsZero) {
    SetupOwner(Client());
    const std::string body = R"({"email":"owner@example.com","password":"correct horse battery"})";
    const int fd = StartSlowRequest(Server().Port(), body);
    ASSERT_GE(fd, 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the server has read the headers
    ::kill(Server().Pid(), SIGTERM);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const std::string rest = body.substr(body.size() / 2);
    (void)!::write(fd, rest.data(), rest.size());
    std::string answer;
    char buf[4096];
    ssize_t n = 0;
    while ((n = ::read(fd, buf, sizeof buf)) > 0) {
        answer.append(buf, std::size_t(n));
    }
    ::close(fd);
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 200")) << answer.substr(0, 100);
    EXPECT_EQ(Server().Stop(), 0);
    EXPECT_NE(Server().Stderr().find("\"msg\":\"stopped\""), std::string::npos);
}

TEST_P(OperationsApi, EveryCommandHasHelp) {
    for (const std::vector<std::string>& args : {std::vector<std::string>{"--help"},
                                                 {"serve", "--help"},
                                                 {"migrate", "--help"},
                                                 {"keygen", "--help"},
                                                 {"users", "add", "--help"},
                                                 {"tokens", "create", "--help"}}) {
        auto r = Cli(args);
        EXPECT_EQ(r.exit_code, 0) << args.front();
        EXPECT_NE(r.stdout_text.find("Usage"), std::string::npos) << args.front();
    }
}

TEST_P(OperationsApi, KeygenPrintsAFernetKey) {
    auto r = Cli({"keygen"});
    ASSERT_EQ(r.exit_code, 0);
    ASSERT_EQ(r.stdout_text.size(), 45u);  // 44 characters of url-safe base64 and a newline
    ASSERT_EQ(r.stdout_text.back(), '\n');
    const std::string key = r.stdout_text.substr(0, 44);
    // A Fernet key is 32 bytes (signing key, then encryption key) in url-safe base64.
    auto bytes = core::Base64UrlDecode(key);
    ASSERT_TRUE(bytes.has_value()) << "not url-safe base64";
    EXPECT_EQ(bytes->size(), 32u);
    EXPECT_NE(Cli({"keygen"}).stdout_text, r.stdout_text);  // fresh randomness each time
    // The server takes it as its keyring and seals a credential with it.
    Start({{"CONNECTOR_ENCRYPTION_KEYS", key}});
    SetupOwner(Client());
    json::object integration = SeedIntegration("keyed").as_object();
    integration["auth_type"] = "api_key";
    auto created = Client().Post("/api/custom-integrations", integration);
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string id(created.Json().at("id").as_string());
    auto stored = Client().Request("POST", "/api/custom-integrations/" + id + "/credentials",
                                   R"({"type":"api_key","value":"sk_live_abcdefgh12345678"})",
                                   {{"Content-Type", "application/json"}});
    EXPECT_EQ(stored.status, 201) << stored.body;
}

TEST_P(OperationsApi, MigrateIsIdempotent) {
    // serve applied every migration; data written since must survive migrate, run twice.
    SetupOwner(Client());
    auto first = Cli({"migrate"});
    ASSERT_EQ(first.exit_code, 0) << first.stderr_text;
    auto second = Cli({"migrate"});
    ASSERT_EQ(second.exit_code, 0) << second.stderr_text;
    EXPECT_EQ(first.stdout_text.find("applied"), std::string::npos) << first.stdout_text;
    EXPECT_EQ(second.stdout_text.find("applied"), std::string::npos) << second.stdout_text;
    const auto at = first.stdout_text.find("schema version ");
    ASSERT_NE(at, std::string::npos) << first.stdout_text;
    EXPECT_GT(std::stoi(first.stdout_text.substr(at + 15)), 0);
    EXPECT_EQ(second.stdout_text, first.stdout_text);  // same version, nothing applied
    // The owner created before both runs still signs in.
    auto login = NewClient().Post(
        "/api/auth/login",
        json::object{{"email", "owner@example.com"}, {"password", "correct horse battery"}});
    EXPECT_EQ(login.status, 200) << login.body;
}

TEST_P(OperationsApi, UsersAddReadsThePasswordFromStdinAndTheUserCanSignIn) {
    auto r =
        Cli({"users", "add", "--email", "cli@example.com", "--name", "Cli"}, "from stdin pw\n");
    ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
    auto login = NewClient().Post("/api/auth/login", json::object{{"email", "cli@example.com"},
                                                                  {"password", "from stdin pw"}});
    EXPECT_EQ(login.status, 200);
    auto dup = Cli({"users", "add", "--email", "cli@example.com"}, "from stdin pw\n");
    EXPECT_NE(dup.exit_code, 0);
    auto weak = Cli({"users", "add", "--email", "weak@example.com"}, "short\n");
    EXPECT_NE(weak.exit_code, 0);
    EXPECT_NE(weak.stderr_text.find("password"), std::string::npos);
}

TEST_P(OperationsApi, ABadSettingStopsTheProgramNamingTheVariable) {
    test::EnvMap env = DatabaseEnv();
    env["CONNECTOR_DATABASE_POOL_SIZE"] = "lots";
    auto r = test::RunCommand(GC_CONNECTOR_BIN, {"serve"}, env);
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.stderr_text.find("CONNECTOR_DATABASE_POOL_SIZE"), std::string::npos)
        << r.stderr_text;
}

TEST_P(OperationsApi, SettingsAreReadFromADotEnvFile) {
    const std::string dir = test::MakeTempDir("gc-dotenv");
    { std::ofstream(dir + "/.env") << "# comment\nCONNECTOR_LOG_LEVEL=shouting\n"; }
    auto r = test::RunCommand(GC_CONNECTOR_BIN, {"migrate"}, DatabaseEnv(), "",
                              std::chrono::milliseconds(30000), dir);
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.stderr_text.find("CONNECTOR_LOG_LEVEL"), std::string::npos) << r.stderr_text;
    test::RemoveTree(dir);
}

INSTANTIATE_TEST_SUITE_P(Backends, PostgresOperationsApi, ::testing::Values(Backend::kPostgres),
                         BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, OperationsApi,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

// The embedded default: with no database settings, SQLite at ./data/connector.db, mode 0600.
TEST(EmbeddedDefault, KeepsSqliteInDataDirectoryReadableOnlyByOwner) {
    test::ConnectorOptions options;
    options.binary = GC_CONNECTOR_BIN;
    options.env["CONNECTOR_DATA_DIR"] = "";
    test::ConnectorProcess server(options);
    test::HttpClient client(server.BaseUrl());
    EXPECT_EQ(client.Get("/ready").status, 200);
    struct stat st {};
    ASSERT_EQ(::stat((server.WorkDir() + "/data/connector.db").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    ASSERT_EQ(::stat((server.WorkDir() + "/data").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0077, 0u);
    EXPECT_EQ(server.Stop(), 0);
}

}  // namespace
}  // namespace gc::apitest
