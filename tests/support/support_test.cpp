// Self-tests of the test harness: MockUpstream, HttpClient, ConnectorProcess (against
// fake_connector), RunCommand, TestPg and the pg_up.sh / pg_down.sh scripts.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "support/connector_process.hpp"
#include "support/http_client.hpp"
#include "support/mock_upstream.hpp"
#include "support/test_pg.hpp"

namespace gc::test {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

bool Exists(const std::string& path) { return std::filesystem::exists(path); }

bool Contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

TEST(SupportMockUpstream, AnswersProgrammedRouteAnd404sOtherwise) {
    MockUpstream mock;
    mock.On("GET", "/v1/ping", MockResponse::Json(200, R"({"pong":true})"));
    HttpClient client(mock.BaseUrl());

    auto ok = client.Get("/v1/ping?x=1", {{"X-Test", "abc"}});
    EXPECT_EQ(ok.status, 200) << ok.error;
    EXPECT_EQ(ok.Header("content-type"), "application/json");
    EXPECT_EQ(ok.Json().at("pong").as_bool(), true);

    EXPECT_EQ(client.Get("/v1/other").status, 404);
    EXPECT_EQ(client.Delete("/v1/ping").status, 404);  // method differs

    auto requests = mock.Requests();
    ASSERT_EQ(requests.size(), 3u);
    EXPECT_EQ(requests[0].method, "GET");
    EXPECT_EQ(requests[0].target, "/v1/ping?x=1");
    EXPECT_EQ(requests[0].path, "/v1/ping");
    EXPECT_EQ(requests[0].query, "x=1");
    EXPECT_EQ(requests[0].Header("x-test"), "abc");
    EXPECT_EQ(requests[2].method, "DELETE");
    mock.ClearRequests();
    EXPECT_EQ(mock.RequestCount(), 0u);
}

TEST(SupportMockUpstream, LaterRouteWinsPrefixAndHandlerSeeBody) {
    MockUpstream mock;
    mock.On("*", "/users/*", MockResponse{.status = 201, .body = "prefix"});
    mock.On("POST", "/users/echo", [](const RecordedRequest& r) {
        return MockResponse{.status = 200, .headers = {{"X-Method", r.method}}, .body = r.body};
    });
    mock.On("GET", "/boom", [](const RecordedRequest&) -> MockResponse {
        throw std::runtime_error("handler failed");
    });
    HttpClient client(mock.BaseUrl());

    auto echo = client.Post("/users/echo", boost::json::parse(R"({"a":1})"));
    EXPECT_EQ(echo.status, 200);
    EXPECT_EQ(echo.body, R"({"a":1})");
    EXPECT_EQ(echo.Header("X-Method"), "POST");
    EXPECT_EQ(mock.Requests().back().Header("Content-Type"), "application/json");

    EXPECT_EQ(client.Get("/users/42").status, 201);
    EXPECT_EQ(client.Get("/users/42").body, "prefix");
    EXPECT_EQ(client.Get("/usersX").status, 404);

    auto boom = client.Get("/boom");
    EXPECT_EQ(boom.status, 500);
    EXPECT_EQ(boom.body, "handler failed");

    mock.On("GET", "/users/42", MockResponse{.status = 204});
    EXPECT_EQ(client.Get("/users/42").status, 204);
    mock.ClearRoutes();
    EXPECT_EQ(client.Get("/users/42").status, 404);
}

TEST(SupportMockUpstream, DelayedRouteDoesNotBlockOtherConnections) {
    MockUpstream mock;
    mock.On("GET", "/slow",
            MockResponse{.status = 200, .body = "late", .delay = milliseconds(200)});
    constexpr int kCalls = 50;
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    auto start = Clock::now();
    for (int i = 0; i < kCalls; ++i) {
        threads.emplace_back([&] {
            HttpClient client(mock.BaseUrl());
            if (client.Get("/slow").status == 200) {
                ++ok;
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    auto elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
    EXPECT_EQ(ok.load(), kCalls);
    EXPECT_EQ(mock.RequestCount(), static_cast<std::size_t>(kCalls));
    // Served one after another this would take 50 * 200 ms = 10 s; concurrently about 200 ms.
    EXPECT_LT(elapsed.count(), 2500) << "delays appear to block each other";
}

TEST(SupportMockUpstream, KeepsAliveClosesOnRequestAndCanDrop) {
    MockUpstream mock;
    mock.On("GET", "/a", MockResponse{.status = 200, .body = "A"});
    mock.On("GET", "/drop", MockResponse{.drop_connection = true});
    // Two requests on one connection: the first keeps it open, the second asks to close.
    std::string raw = RawRequest("127.0.0.1", mock.Port(),
                                 "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
                                 "GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                                 milliseconds(5000));
    auto first = raw.find("HTTP/1.1 200 OK");
    ASSERT_NE(first, std::string::npos) << raw;
    EXPECT_NE(raw.find("HTTP/1.1 200 OK", first + 1), std::string::npos) << raw;

    HttpClient client(mock.BaseUrl());
    auto dropped = client.Get("/drop");
    EXPECT_EQ(dropped.status, 0);
    EXPECT_FALSE(dropped.error.empty());
    EXPECT_TRUE(mock.WaitForRequests(3, milliseconds(1000)));
}

TEST(SupportMockUpstream, StopsCleanlyWithOpenAndPendingConnections) {
    auto mock = std::make_unique<MockUpstream>();
    mock->On("GET", "/forever", MockResponse{.delay = milliseconds(30000)});
    std::thread caller([port = mock->Port()] {
        HttpClient client("http://127.0.0.1:" + std::to_string(port));
        client.SetTimeout(milliseconds(20000));
        auto r = client.Get("/forever");
        EXPECT_EQ(r.status, 0);  // the mock went away mid-request
    });
    ASSERT_TRUE(mock->WaitForRequests(1, milliseconds(5000)));
    auto start = Clock::now();
    mock.reset();
    caller.join();
    EXPECT_LT(std::chrono::duration_cast<milliseconds>(Clock::now() - start).count(), 5000);
}

TEST(SupportHttpClient, CookieJarKeepsCookiesPerClient) {
    MockUpstream mock;
    mock.On("POST", "/login",
            MockResponse{.status = 200,
                         .headers = {{"Set-Cookie", "sid=abc123; Path=/; HttpOnly; SameSite=Lax"},
                                     {"Set-Cookie", "csrf=tok; Path=/"}}});
    mock.On("GET", "/me", [](const RecordedRequest& r) {
        return MockResponse{.status = 200, .body = r.Header("Cookie")};
    });
    HttpClient browser(mock.BaseUrl());
    auto login = browser.Request("POST", "/login");
    ASSERT_EQ(login.status, 200);
    EXPECT_EQ(login.Headers("set-cookie").size(), 2u);
    EXPECT_EQ(browser.Cookie("sid"), "abc123");
    EXPECT_EQ(browser.Cookie("csrf"), "tok");

    auto me = browser.Get("/me");
    EXPECT_TRUE(Contains(me.body, "sid=abc123")) << me.body;
    EXPECT_TRUE(Contains(me.body, "csrf=tok")) << me.body;

    HttpClient stranger(mock.BaseUrl());
    EXPECT_EQ(stranger.Get("/me").body, "");

    HttpClient moved = std::move(browser);  // the session moves with the client
    EXPECT_TRUE(Contains(moved.Get("/me").body, "sid=abc123"));
    browser = std::move(moved);

    browser.ClearCookies();
    EXPECT_EQ(browser.Cookie("sid"), "");
    EXPECT_EQ(browser.Get("/me").body, "");
}

TEST(SupportHttpClient, DefaultHeadersOverridesAndNoImplicitContentType) {
    MockUpstream mock;
    mock.On("*", "*", MockResponse{.status = 200});
    HttpClient client(mock.BaseUrl());
    client.SetDefaultHeader("Authorization", "Bearer one");
    client.SetDefaultHeader("authorization", "Bearer two");  // replaces, case-insensitively
    client.SetDefaultHeader("X-CSRF-Token", "t");

    client.Get("/a");
    client.Get("/b", {{"X-CSRF-Token", "override"}});
    client.Get("/c", {{"Authorization", ""}});  // removed for this request
    client.Request("POST", "/d", "not json");
    client.RemoveDefaultHeader("X-CSRF-Token");
    client.Request("PUT", "/e", "{}", {{"Content-Type", "text/plain"}});

    auto r = mock.Requests();
    ASSERT_EQ(r.size(), 5u);
    EXPECT_EQ(r[0].Header("Authorization"), "Bearer two");
    EXPECT_EQ(r[0].Header("X-CSRF-Token"), "t");
    EXPECT_EQ(r[1].Header("X-CSRF-Token"), "override");
    EXPECT_EQ(r[2].Header("Authorization"), "");
    EXPECT_EQ(r[3].method, "POST");
    EXPECT_EQ(r[3].body, "not json");
    EXPECT_EQ(r[3].Header("Content-Type"), "");
    EXPECT_EQ(r[3].Header("Expect"), "");
    EXPECT_EQ(r[4].method, "PUT");
    EXPECT_EQ(r[4].Header("Content-Type"), "text/plain");
    EXPECT_EQ(r[4].Header("X-CSRF-Token"), "");
}

TEST(SupportHttpClient, RefusesEverythingButLoopback) {
    EXPECT_THROW(HttpClient("http://example.com"), std::logic_error);
    EXPECT_THROW(HttpClient("http://10.0.0.1:80"), std::logic_error);
    EXPECT_THROW(HttpClient("https://127.0.0.1:443"), std::logic_error);
    EXPECT_THROW(RawRequest("192.168.1.1", 80, "x"), std::logic_error);
    HttpClient client("http://127.0.0.1:9");
    EXPECT_THROW(client.Get("@example.com/"), std::logic_error);
    for (const char* host :
         {"127.0.0.1", "127.255.0.9", "::1", "[::1]", "localhost", "LOCALHOST"}) {
        EXPECT_TRUE(IsLoopbackHost(host)) << host;
    }
    for (const char* host : {"128.0.0.1", "0.0.0.0", "::", "::ffff:10.0.0.1", "localhost.evil.com",
                             "", "169.254.169.254"}) {
        EXPECT_FALSE(IsLoopbackHost(host)) << host;
    }
}

TEST(SupportHttpClient, ReportsTransportErrorsAsStatusZero) {
    int port = 0;
    {
        MockUpstream gone;
        port = gone.Port();
    }
    HttpClient client("http://127.0.0.1:" + std::to_string(port));
    auto r = client.Get("/");
    EXPECT_EQ(r.status, 0);
    EXPECT_FALSE(r.error.empty());

    MockUpstream slow;
    slow.On("GET", "/slow", MockResponse{.delay = milliseconds(3000)});
    HttpClient impatient(slow.BaseUrl());
    impatient.SetTimeout(milliseconds(200));
    auto start = Clock::now();
    auto timed_out = impatient.Get("/slow");
    EXPECT_EQ(timed_out.status, 0);
    EXPECT_LT(std::chrono::duration_cast<milliseconds>(Clock::now() - start).count(), 2000);
}

TEST(SupportHttpClient, RawRequestReturnsWhatTheServerSent) {
    MockUpstream mock;
    mock.On("GET", "/x", MockResponse{.status = 200, .body = "hello"});
    std::string reply = RawRequest("127.0.0.1", mock.Port(),
                                   "GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(reply.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << reply;
    EXPECT_TRUE(Contains(reply, "\r\n\r\nhello")) << reply;
    // Garbage: Beast gives up on the connection; RawRequest returns when it closes.
    auto start = Clock::now();
    std::string garbage =
        RawRequest("127.0.0.1", mock.Port(), "\x01\x02 nonsense\r\n\r\n", milliseconds(3000), true);
    EXPECT_LT(std::chrono::duration_cast<milliseconds>(Clock::now() - start).count(), 2500);
    EXPECT_EQ(mock.RequestCount(), 1u);
}

ConnectorOptions FakeOptions(EnvMap env = {}) {
    ConnectorOptions options;
    options.binary = GC_FAKE_CONNECTOR_BIN;
    options.env = std::move(env);
    return options;
}

TEST(SupportConnectorProcess, StartsWithHermeticEnvAndStopsGracefully) {
    setenv("CONNECTOR_STRAY_SETTING", "from the developer's shell", 1);
    std::string work_dir;
    {
        ConnectorProcess proc(FakeOptions({{"CONNECTOR_EGRESS_ALLOW", "127.0.0.1"}}));
        work_dir = proc.WorkDir();
        EXPECT_TRUE(proc.Running());
        EXPECT_GT(proc.Port(), 0);
        EXPECT_EQ(proc.BaseUrl(), "http://127.0.0.1:" + std::to_string(proc.Port()));
        HttpClient client(proc.BaseUrl());
        EXPECT_EQ(client.Get("/env/CONNECTOR_DATA_DIR").body, proc.DataDir());
        EXPECT_EQ(client.Get("/env/CONNECTOR_LISTEN").body, "127.0.0.1:0");
        EXPECT_EQ(client.Get("/env/CONNECTOR_EGRESS_ALLOW").body, "127.0.0.1");
        EXPECT_EQ(client.Get("/env/CONNECTOR_STRAY_SETTING").status, 404);
        EXPECT_EQ(client.Get("/env/PATH").status, 200);
        EXPECT_EQ(client.Get("/cwd").body, proc.WorkDir());
        EXPECT_TRUE(Exists(proc.DataDir()));

        auto has_listening = [](const std::string& log) { return Contains(log, "listening"); };
        EXPECT_TRUE(proc.WaitForStderr(has_listening));
        EXPECT_FALSE(proc.WaitForStderr(
            [](const std::string& log) { return Contains(log, "stopped"); }, milliseconds(50)));

        EXPECT_EQ(proc.Stop(), 0);
        EXPECT_FALSE(proc.Running());
        EXPECT_EQ(proc.Stop(), 0);  // idempotent
        EXPECT_TRUE(Contains(proc.Stderr(), R"("msg":"stopped")")) << proc.Logs();
        EXPECT_TRUE(Contains(proc.Stdout(), "stdout line"));
        EXPECT_TRUE(Contains(proc.Logs(), "listening"));
    }
    unsetenv("CONNECTOR_STRAY_SETTING");
    EXPECT_FALSE(Exists(work_dir));
}

TEST(SupportConnectorProcess, KeepsWorkDirAndUsesGivenDataDir) {
    std::string data = MakeTempDir("gc-support-data");
    std::string work_dir;
    {
        auto options = FakeOptions();
        options.data_dir = data;
        options.keep_work_dir = true;
        ConnectorProcess proc(options);
        work_dir = proc.WorkDir();
        EXPECT_EQ(HttpClient(proc.BaseUrl()).Get("/env/CONNECTOR_DATA_DIR").body, data);
    }
    EXPECT_TRUE(Exists(work_dir + "/stderr.log"));
    EXPECT_TRUE(Exists(data));
    RemoveTree(work_dir);
    RemoveTree(data);
}

TEST(SupportConnectorProcess, EarlyExitFailsWithTheLog) {
    try {
        ConnectorProcess proc(FakeOptions({{"FAKE_CONNECTOR_MODE", "exit"}}));
        FAIL() << "expected the start to fail";
    } catch (const std::runtime_error& e) {
        EXPECT_TRUE(Contains(e.what(), "exited with status 3")) << e.what();
        EXPECT_TRUE(Contains(e.what(), "CONNECTOR_LISTEN is invalid")) << e.what();
    }
}

TEST(SupportConnectorProcess, MissingPortFileTimesOutAndKills) {
    auto options = FakeOptions({{"FAKE_CONNECTOR_MODE", "hang"}});
    options.start_timeout = milliseconds(300);
    auto start = Clock::now();
    try {
        ConnectorProcess proc(options);
        FAIL() << "expected a timeout";
    } catch (const std::runtime_error& e) {
        EXPECT_TRUE(Contains(e.what(), "did not write its port file")) << e.what();
        EXPECT_TRUE(Contains(e.what(), "fake connector starting")) << e.what();
    }
    EXPECT_LT(std::chrono::duration_cast<milliseconds>(Clock::now() - start).count(), 3000);
}

TEST(SupportConnectorProcess, UnstartableBinaryFails) {
    auto options = FakeOptions();
    options.binary = "/nonexistent/connector";
    EXPECT_THROW(ConnectorProcess proc(options), std::runtime_error);
}

TEST(SupportConnectorProcess, StopEscalatesToSigkillAndKill9Works) {
    ConnectorProcess stubborn(FakeOptions({{"FAKE_CONNECTOR_MODE", "ignore-term"}}));
    auto start = Clock::now();
    EXPECT_EQ(stubborn.Stop(milliseconds(200)), 128 + 9);
    EXPECT_LT(std::chrono::duration_cast<milliseconds>(Clock::now() - start).count(), 3000);

    ConnectorProcess victim(FakeOptions());
    int port = victim.Port();
    EXPECT_EQ(victim.Kill9(), 128 + 9);
    EXPECT_FALSE(victim.Running());
    EXPECT_EQ(HttpClient("http://127.0.0.1:" + std::to_string(port)).Get("/").status, 0);
}

TEST(SupportRunCommand, CapturesStdoutStderrExitCodeAndStdin) {
    setenv("CONNECTOR_STRAY_SETTING", "x", 1);
    auto r = RunCommand(
        "/bin/sh", {"-c", "cat; echo \"err $FOO ${CONNECTOR_STRAY_SETTING:-none}\" >&2; exit 3"},
        {{"FOO", "bar"}}, "hello\n");
    unsetenv("CONNECTOR_STRAY_SETTING");
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_FALSE(r.timed_out);
    EXPECT_EQ(r.stdout_text, "hello\n");
    EXPECT_EQ(r.stderr_text, "err bar none\n");

    std::string big(1 << 20, 'x');  // larger than any pipe buffer: needs the poll loop
    auto echo = RunCommand("cat", {}, {}, big);
    EXPECT_EQ(echo.exit_code, 0);
    EXPECT_EQ(echo.stdout_text.size(), big.size());

    auto early_close = RunCommand("/bin/sh", {"-c", "exec 0<&-; echo done"}, {}, big);
    EXPECT_EQ(early_close.exit_code, 0);
    EXPECT_EQ(early_close.stdout_text, "done\n");

    std::string dir = MakeTempDir("gc-support-cwd");
    EXPECT_EQ(RunCommand("pwd", {}, {}, {}, milliseconds(5000), dir).stdout_text, dir + "\n");
    RemoveTree(dir);
}

TEST(SupportRunCommand, KillsOnTimeout) {
    auto start = Clock::now();
    auto r = RunCommand("/bin/sh", {"-c", "echo before; exec sleep 20"}, {}, {}, milliseconds(300));
    EXPECT_TRUE(r.timed_out);
    EXPECT_EQ(r.exit_code, 128 + 9);
    EXPECT_EQ(r.stdout_text, "before\n");
    EXPECT_LT(std::chrono::duration_cast<milliseconds>(Clock::now() - start).count(), 5000);
}

// Needs the pg fixture (ctest provides GC_PG_ENV_FILE); skipped when run by hand without it.
TEST(SupportTestPg, CreatesDatabaseTheAppRoleCanUseAndDropsIt) {
    if (!TestPg::Requested()) {
        GTEST_SKIP() << "GC_PG_ENV_FILE not set";
    }
    TestPg pg;
    ASSERT_TRUE(pg.Available()) << pg.Reason();
    std::string name;
    std::string app_url;
    {
        TestDatabase db = pg.CreateDatabase();
        name = db.name;
        app_url = db.app_url;
        EXPECT_EQ(db.name.rfind("gc_test_", 0), 0u);
        EXPECT_TRUE(Contains(db.app_url, "postgresql://gc_app@/" + db.name + "?host="));

        auto who = PgExec(db.app_url,
                          "SELECT current_user, current_database(), "
                          "(SELECT rolsuper::text || rolbypassrls::text || rolcreatedb::text "
                          " FROM pg_roles WHERE rolname = current_user)");
        ASSERT_EQ(who.size(), 1u);
        EXPECT_EQ(who[0][0], "gc_app");
        EXPECT_EQ(who[0][1], db.name);
        EXPECT_EQ(who[0][2], "falsefalsefalse");
        EXPECT_EQ(PgExec(db.superuser_url,
                         "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = $1",
                         {db.name})[0][0],
                  "gc_owner");

        // The app role can use schema public but not create in it; the owner can.
        auto create = PgTry(db.app_url, "CREATE TABLE t(x int)");
        ASSERT_FALSE(create);
        EXPECT_EQ(create.error().message.substr(0, 5), "42501") << create.error().message;
        PgExec(
            db.owner_url,
            "CREATE TABLE t(x int); INSERT INTO t VALUES (1), (NULL); GRANT SELECT ON t TO gc_app");
        EXPECT_EQ(PgExec(db.app_url, "SELECT x FROM t ORDER BY x"), (PgRows{{"1"}, {kPgNull}}));

        // A second session keeps state across statements.
        PgConnection conn(db.app_url);
        conn.Exec("SELECT set_config('app.workspace_id', 'w1', false)");
        EXPECT_EQ(conn.Exec("SELECT current_setting('app.workspace_id')")[0][0], "w1");
        // Dropping works even with a session still connected.
    }
    EXPECT_TRUE(PgExec(pg.Url(pg.Superuser(), "postgres"),
                       "SELECT 1 FROM pg_database WHERE datname = $1", {name})
                    .empty());
    EXPECT_FALSE(PgTry(app_url, "SELECT 1"));
}

TEST(SupportTestPg, UnavailableWithoutEnvFile) {
    TestPg pg("/nonexistent/pg.env");
    EXPECT_FALSE(pg.Available());
    EXPECT_FALSE(pg.Reason().empty());
    EXPECT_THROW(pg.CreateDatabase(), std::runtime_error);
}

TEST(SupportPgScripts, UpIsIdempotentAndDownRemovesEverything) {
    std::string state = MakeTempDir("gc-support-pgstate");
    std::string up = std::string(GC_SUPPORT_DIR) + "/pg_up.sh";
    std::string down = std::string(GC_SUPPORT_DIR) + "/pg_down.sh";

    auto first = RunCommand(up, {state}, {}, {}, milliseconds(60000));
    ASSERT_EQ(first.exit_code, 0) << first.stdout_text << first.stderr_text;
    TestPg pg1(state + "/pg.env");
    ASSERT_TRUE(pg1.Available()) << pg1.Reason();
    std::string su1 = pg1.Url(pg1.Superuser(), "postgres");
    auto roles = PgExec(su1,
                        "SELECT rolname, rolcanlogin, rolsuper, rolcreatedb, rolbypassrls "
                        "FROM pg_roles WHERE rolname LIKE 'gc\\_%' ORDER BY rolname");
    EXPECT_EQ(roles, (PgRows{{"gc_app", "t", "f", "f", "f"}, {"gc_owner", "t", "f", "t", "f"}}));
    EXPECT_EQ(PgExec(su1, "SHOW listen_addresses")[0][0], "");
    EXPECT_EQ(PgExec(su1, "SHOW fsync")[0][0], "off");
    std::string dir1 = std::filesystem::path(pg1.SocketDir()).parent_path().string();

    // Running up again on the same state dir replaces the cluster.
    auto second = RunCommand(up, {state}, {}, {}, milliseconds(60000));
    ASSERT_EQ(second.exit_code, 0) << second.stdout_text << second.stderr_text;
    EXPECT_FALSE(Exists(dir1));
    EXPECT_FALSE(PgTry(su1, "SELECT 1"));
    TestPg pg2(state + "/pg.env");
    ASSERT_TRUE(pg2.Available());
    std::string su2 = pg2.Url(pg2.Superuser(), "postgres");
    EXPECT_EQ(PgExec(su2, "SELECT 1")[0][0], "1");
    std::string dir2 = std::filesystem::path(pg2.SocketDir()).parent_path().string();

    auto stopped = RunCommand(down, {state}, {}, {}, milliseconds(60000));
    EXPECT_EQ(stopped.exit_code, 0) << stopped.stderr_text;
    EXPECT_FALSE(Exists(dir2));
    EXPECT_FALSE(Exists(state + "/pg.env"));
    EXPECT_FALSE(PgTry(su2, "SELECT 1"));
    EXPECT_EQ(RunCommand(down, {state}).exit_code, 0);  // nothing left to stop
    EXPECT_EQ(RunCommand(up, {}).exit_code, 2);         // usage
    RemoveTree(state);
}

}  // namespace
}  // namespace gc::test
