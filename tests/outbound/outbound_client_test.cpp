// OutboundClient against MockUpstream on 127.0.0.1: round trips, concurrency, redirects and the
// egress guard, credential stripping, retries, timeouts, the size cap and rate limits.
#include "outbound/outbound_client.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "outbound/fake_resolver.hpp"
#include "support/mock_upstream.hpp"

namespace gc::outbound {
namespace {

using core::ErrorCode;
using std::chrono::milliseconds;
using Steady = std::chrono::steady_clock;
using test::MockResponse;
using test::MockUpstream;
using test::RecordedRequest;

class FakeClock final : public core::Clock {
  public:
    explicit FakeClock(core::TimePoint now) : now_(now) {}
    core::TimePoint Now() const override { return now_; }

  private:
    core::TimePoint now_;
};

std::string Allow(std::initializer_list<const MockUpstream*> mocks) {
    std::string allow;
    for (const MockUpstream* mock : mocks) {
        allow += "127.0.0.1:" + std::to_string(mock->Port()) + ",";
    }
    return allow;
}

// A port on 127.0.0.1 where nothing listens (bound once, then closed).
std::uint16_t ClosedPort() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t length = sizeof(addr);
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length) != 0) {
        close(fd);
        return 0;
    }
    close(fd);
    return ntohs(addr.sin_port);
}

std::string HttpDate(core::TimePoint t) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char text[64];
    std::strftime(text, sizeof(text), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return text;
}

std::string HeaderOf(const OutboundResponse& response, const std::string& name) {
    for (const auto& [key, value] : response.headers) {
        if (strcasecmp(key.c_str(), name.c_str()) == 0) {
            return value;
        }
    }
    return {};
}

long ElapsedMs(Steady::time_point since) {
    return static_cast<long>(
        std::chrono::duration_cast<milliseconds>(Steady::now() - since).count());
}

// Gathers the results of calls sent with Send, in completion order.
class Collector {
  public:
    Completion Slot(int index) {
        return [this, index](core::Result<OutboundResponse> result) {
            std::lock_guard lock(mu_);
            order_.push_back(index);
            results_.push_back(std::move(result));
            cv_.notify_all();
        };
    }
    bool WaitFor(std::size_t n, milliseconds timeout) {
        std::unique_lock lock(mu_);
        return cv_.wait_for(lock, timeout, [&] { return results_.size() >= n; });
    }
    std::vector<core::Result<OutboundResponse>> Results() {
        std::lock_guard lock(mu_);
        return results_;
    }
    std::vector<int> Order() {
        std::lock_guard lock(mu_);
        return order_;
    }

  private:
    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<int> order_;
    std::vector<core::Result<OutboundResponse>> results_;
};

extern "C" char** environ;

// True when this process's network namespace has no interface but loopback (ctest runs this
// binary through tests/support/netns_run.sh). Tests that name a destination off the machine
// assert it first, so even a guard that let them through could reach nothing.
bool OnlyLoopbackNetwork() {
    std::FILE* dev = std::fopen("/proc/self/net/dev", "r");
    if (dev == nullptr) {
        return false;
    }
    char line[512];
    int interfaces = 0;
    bool only_lo = true;
    for (int n = 0; std::fgets(line, sizeof(line), dev) != nullptr; ++n) {
        if (n < 2) {
            continue;  // the two header lines
        }
        std::string_view name(line);
        name = name.substr(0, name.find(':'));
        name.remove_prefix(std::min(name.find_first_not_of(' '), name.size()));
        ++interfaces;
        only_lo = only_lo && name == "lo";
    }
    std::fclose(dev);
    return interfaces > 0 && only_lo;
}

constexpr const char* kRunIsolated =
    "this test names destinations off the machine: run it through ctest, which wraps it in "
    "tests/support/netns_run.sh (a network namespace with only loopback)";

// `openssl s_server -www` on 127.0.0.1 with a fresh self-signed certificate for IP 127.0.0.1: a
// TLS upstream no system CA store trusts. Answers GET with `HTTP/1.0 200 ok` and a status page.
class SelfSignedTlsServer {
  public:
    SelfSignedTlsServer() : port_(ClosedPort()) {
        char tmpl[] = "/tmp/gc-tls-XXXXXX";
        dir_ = mkdtemp(tmpl);
        const std::string make_cert =
            "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1"
            " -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout " +
            dir_ + "/key.pem -out " + CertPath() + " >" + dir_ + "/req.log 2>&1";
        if (std::system(make_cert.c_str()) != 0) {
            return;
        }
        const std::string accept = "127.0.0.1:" + std::to_string(port_);
        const std::string key = dir_ + "/key.pem";
        const std::string cert = CertPath();
        std::vector<std::string> args{"openssl", "s_server", "-quiet", "-www", "-accept",
                                      accept,    "-cert",    cert,     "-key", key};
        std::vector<char*> argv;
        argv.reserve(args.size() + 1);
        for (auto& a : args) {
            argv.push_back(a.data());
        }
        argv.push_back(nullptr);
        posix_spawn_file_actions_t files;
        posix_spawn_file_actions_init(&files);
        posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&files, 1, (dir_ + "/server.log").c_str(),
                                         O_WRONLY | O_CREAT | O_TRUNC, 0600);
        posix_spawn_file_actions_adddup2(&files, 1, 2);
        if (posix_spawnp(&pid_, "openssl", &files, nullptr, argv.data(), environ) != 0) {
            pid_ = -1;
        }
        posix_spawn_file_actions_destroy(&files);
        // Listening once a connection is accepted (at most 5 s).
        for (int i = 0; i < 100 && pid_ > 0 && !started_; ++i) {
            const int fd = socket(AF_INET, SOCK_STREAM, 0);
            sockaddr_in addr{};
            addr.sin_family = AF_INET;
            addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            addr.sin_port = htons(port_);
            started_ = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
            close(fd);
            if (!started_) {
                std::this_thread::sleep_for(milliseconds(50));
            }
        }
    }
    ~SelfSignedTlsServer() {
        if (pid_ > 0) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
        }
        std::filesystem::remove_all(dir_);
    }
    SelfSignedTlsServer(const SelfSignedTlsServer&) = delete;
    SelfSignedTlsServer& operator=(const SelfSignedTlsServer&) = delete;

    bool Started() const { return started_; }
    std::uint16_t Port() const { return port_; }
    std::string CertPath() const { return dir_ + "/cert.pem"; }

  private:
    std::uint16_t port_;
    std::string dir_;
    pid_t pid_ = -1;
    bool started_ = false;
};

// Sets (or, with nullopt, unsets) environment variables for its lifetime.
class ScopedEnvironment {
  public:
    explicit ScopedEnvironment(const std::map<std::string, std::optional<std::string>>& values) {
        for (const auto& [name, value] : values) {
            const char* before = std::getenv(name.c_str());
            saved_[name] = before ? std::optional<std::string>(before) : std::nullopt;
            Apply(name, value);
        }
    }
    ~ScopedEnvironment() {
        for (const auto& [name, value] : saved_) {
            Apply(name, value);
        }
    }
    ScopedEnvironment(const ScopedEnvironment&) = delete;
    ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

  private:
    static void Apply(const std::string& name, const std::optional<std::string>& value) {
        if (value) {
            setenv(name.c_str(), value->c_str(), 1);
        } else {
            unsetenv(name.c_str());
        }
    }
    std::map<std::string, std::optional<std::string>> saved_;
};

class OutboundClientTest : public ::testing::Test {
  protected:
    // Builds the client with an allowlist (CONNECTOR_EGRESS_ALLOW syntax).
    OutboundClient& Client(const std::string& allow, const core::Clock* clock = nullptr,
                           const ClientSettings& settings = {}) {
        auto parsed = EgressPolicy::Parse(allow);
        EXPECT_TRUE(parsed.has_value());
        policy_ = *parsed;
        client_ =
            std::make_unique<OutboundClient>(policy_, resolver_, clock ? *clock : clock_, settings);
        return *client_;
    }

    OutboundRequest Get(const std::string& url) {
        OutboundRequest request;
        request.method = "GET";
        request.url = url;
        request.retry.base_delay = milliseconds(20);
        return request;
    }

    MockUpstream mock_;
    FakeResolver resolver_;
    core::SystemClock clock_;
    EgressPolicy policy_;
    std::unique_ptr<OutboundClient> client_;  // last: destroyed before what it refers to
};

TEST_F(OutboundClientTest, RoundTripsGetAndPostWithHeadersAndBody) {
    mock_.On("GET", "/hello", [](const RecordedRequest& r) {
        MockResponse response = MockResponse::Json(200, R"({"hi":")" + r.Header("X-Test") + "\"}");
        response.headers.emplace_back("X-Reply", "yes");
        return response;
    });
    mock_.On("POST", "/echo",
             [](const RecordedRequest& r) { return MockResponse::Json(201, r.body); });
    auto& client = Client(Allow({&mock_}));

    OutboundRequest get = Get(mock_.BaseUrl() + "/hello?x=1");
    get.headers = {{"X-Test", "abc"}, {"Accept", "application/json"}};
    auto got = client.SendAndWait(get);
    ASSERT_TRUE(got.has_value()) << got.error().message;
    EXPECT_EQ(got->status, 200);
    EXPECT_EQ(got->body, R"({"hi":"abc"})");
    EXPECT_EQ(HeaderOf(*got, "X-Reply"), "yes");
    EXPECT_EQ(HeaderOf(*got, "content-type"), "application/json");
    EXPECT_EQ(got->attempts, 1);
    EXPECT_FALSE(got->truncated);
    EXPECT_EQ(got->final_url, mock_.BaseUrl() + "/hello?x=1");

    OutboundRequest post = Get(mock_.BaseUrl() + "/echo");
    post.method = "POST";
    post.headers = {{"Content-Type", "application/json"}};
    post.body = R"({"amount":42})";
    auto posted = client.SendAndWait(post);
    ASSERT_TRUE(posted.has_value()) << posted.error().message;
    EXPECT_EQ(posted->status, 201);
    EXPECT_EQ(posted->body, post.body);

    const auto requests = mock_.Requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[0].method, "GET");
    EXPECT_EQ(requests[0].target, "/hello?x=1");
    EXPECT_EQ(requests[0].Header("X-Test"), "abc");
    EXPECT_EQ(requests[0].Header("Accept"), "application/json");
    EXPECT_EQ(requests[0].Header("User-Agent"), "global-connector");
    EXPECT_EQ(requests[1].method, "POST");
    EXPECT_EQ(requests[1].body, R"({"amount":42})");
    EXPECT_EQ(requests[1].Header("Content-Type"), "application/json");
    EXPECT_EQ(requests[1].Header("Expect"), "");
}

TEST_F(OutboundClientTest, NothingOfACallCarriesOverToTheNext) {
    // Transfers reuse reset easy handles: each call must go out as if it were the first.
    mock_.On("*", "/first",
             [](const RecordedRequest& r) { return MockResponse::Json(200, r.body); });
    mock_.On("*", "/second", MockResponse::Json(200, std::string(1000, 'y')));
    test::MockUpstream other;
    other.On("*", "/third", MockResponse::Json(200, "other"));
    auto& client = Client(Allow({&mock_, &other}));

    OutboundRequest first = Get(mock_.BaseUrl() + "/first");
    first.method = "PUT";
    first.headers = {{"X-Only-First", "1"},
                     {"Content-Type", "application/json"},
                     {"Accept-Encoding", "identity"},
                     {"User-Agent", "first-agent"}};
    first.body = R"({"secret":"first-body"})";
    first.max_response_bytes = 4;
    auto one = client.SendAndWait(first);
    ASSERT_TRUE(one.has_value()) << one.error().message;
    EXPECT_TRUE(one->truncated);

    auto two = client.SendAndWait(Get(mock_.BaseUrl() + "/second"));
    ASSERT_TRUE(two.has_value()) << two.error().message;
    EXPECT_FALSE(two->truncated);
    EXPECT_EQ(two->body.size(), 1000u);
    auto three = client.SendAndWait(Get(other.BaseUrl() + "/third"));
    ASSERT_TRUE(three.has_value()) << three.error().message;
    EXPECT_EQ(three->body, "other") << "the pinned address of the calls before must not stick";

    const auto requests = mock_.Requests();
    ASSERT_EQ(requests.size(), 2u);
    const RecordedRequest& second = requests[1];
    EXPECT_EQ(second.method, "GET");
    EXPECT_EQ(second.target, "/second");
    EXPECT_EQ(second.body, "");
    EXPECT_EQ(second.Header("X-Only-First"), "");
    EXPECT_EQ(second.Header("Content-Type"), "");
    EXPECT_EQ(second.Header("Content-Length"), "");
    EXPECT_EQ(second.Header("User-Agent"), "global-connector");
    EXPECT_NE(second.Header("Accept-Encoding"), "identity");
    ASSERT_EQ(other.Requests().size(), 1u);
    EXPECT_EQ(other.Requests()[0].Header("X-Only-First"), "");
}

TEST_F(OutboundClientTest, PostWithoutContentTypeGetsNoneAddedAndPutSendsEmptyBody) {
    mock_.On("*", "/x", MockResponse::Json(200, "{}"));
    auto& client = Client(Allow({&mock_}));
    OutboundRequest post = Get(mock_.BaseUrl() + "/x");
    post.method = "POST";
    post.body = "raw";
    ASSERT_TRUE(client.SendAndWait(post).has_value());
    OutboundRequest put = Get(mock_.BaseUrl() + "/x");
    put.method = "PUT";
    ASSERT_TRUE(client.SendAndWait(put).has_value());
    OutboundRequest del = Get(mock_.BaseUrl() + "/x");
    del.method = "DELETE";
    ASSERT_TRUE(client.SendAndWait(del).has_value());
    OutboundRequest head = Get(mock_.BaseUrl() + "/x");
    head.method = "HEAD";
    auto headed = client.SendAndWait(head);
    ASSERT_TRUE(headed.has_value());
    EXPECT_EQ(headed->body, "");

    const auto requests = mock_.Requests();
    ASSERT_EQ(requests.size(), 4u);
    EXPECT_EQ(requests[0].Header("Content-Type"), "");
    EXPECT_EQ(requests[0].body, "raw");
    EXPECT_EQ(requests[1].method, "PUT");
    EXPECT_EQ(requests[1].Header("Content-Length"), "0");
    EXPECT_EQ(requests[2].method, "DELETE");
    EXPECT_EQ(requests[3].method, "HEAD");
}

TEST_F(OutboundClientTest, SixtyFourSlowCallsRunConcurrently) {
    MockResponse slow = MockResponse::Json(200, R"({"ok":true})");
    slow.delay = milliseconds(200);
    mock_.On("GET", "/slow", slow);
    auto& client = Client(Allow({&mock_}));

    constexpr int kCalls = 64;
    Collector collector;
    const auto start = Steady::now();
    for (int i = 0; i < kCalls; ++i) {
        client.Send(Get(mock_.BaseUrl() + "/slow?i=" + std::to_string(i)), collector.Slot(i));
    }
    ASSERT_TRUE(collector.WaitFor(kCalls, milliseconds(15000)));
    const long elapsed = ElapsedMs(start);
    for (const auto& result : collector.Results()) {
        ASSERT_TRUE(result.has_value()) << result.error().message;
        EXPECT_EQ(result->status, 200);
    }
    // Sequentially this is 64 * 200 ms = 12.8 s; concurrently about one delay.
    std::printf("[ figures ] 64 concurrent calls to a 200 ms route: %ld ms\n", elapsed);
    EXPECT_LT(elapsed, 2000);
    EXPECT_EQ(mock_.RequestCount(), static_cast<std::size_t>(kCalls));
}

TEST_F(OutboundClientTest, AThousandCallsInFlightAtOnce) {
    // Two sockets per call (ours and the mock's): make sure the descriptor limit allows it.
    rlimit files{};
    ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &files), 0);
    if (files.rlim_cur < 2500 && files.rlim_max >= 2500) {
        files.rlim_cur = 2500;
        ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &files), 0);
    }
    if (files.rlim_cur < 2500) {
        GTEST_SKIP() << "needs 2500 file descriptors, the hard limit is " << files.rlim_max;
    }
    MockResponse slow = MockResponse::Json(200, "ok");
    slow.delay = milliseconds(1000);
    mock_.On("GET", "/slow", slow);
    auto& client = Client(Allow({&mock_}));

    constexpr int kCalls = 1000;
    Collector collector;
    const auto start = Steady::now();
    for (int i = 0; i < kCalls; ++i) {
        client.Send(Get(mock_.BaseUrl() + "/slow"), collector.Slot(i));
    }
    // Every call is in flight at the same time: the mock holds them all before answering any.
    ASSERT_TRUE(mock_.WaitForRequests(kCalls, milliseconds(20000)));
    EXPECT_TRUE(collector.Results().empty());
    ASSERT_TRUE(collector.WaitFor(kCalls, milliseconds(30000)));
    const long elapsed = ElapsedMs(start);
    std::size_t ok = 0;
    for (const auto& result : collector.Results()) {
        ok += result.has_value() && result->status == 200 ? 1 : 0;
    }
    EXPECT_EQ(ok, static_cast<std::size_t>(kCalls));
    std::printf("[ figures ] 1000 concurrent calls to a 1 s route: %ld ms\n", elapsed);
    EXPECT_LT(elapsed, 10000);
}

TEST_F(OutboundClientTest, SlowUpstreamDoesNotDelayAFastCallSentAfterIt) {
    MockResponse slow = MockResponse::Json(200, "slow");
    slow.delay = milliseconds(1500);
    mock_.On("GET", "/slow", slow);
    mock_.On("GET", "/fast", MockResponse::Json(200, "fast"));
    auto& client = Client(Allow({&mock_}));

    Collector collector;
    client.Send(Get(mock_.BaseUrl() + "/slow"), collector.Slot(0));
    ASSERT_TRUE(mock_.WaitForRequests(1, milliseconds(5000)));
    const auto start = Steady::now();
    auto fast = client.SendAndWait(Get(mock_.BaseUrl() + "/fast"));
    const long fast_ms = ElapsedMs(start);
    ASSERT_TRUE(fast.has_value()) << fast.error().message;
    EXPECT_EQ(fast->body, "fast");
    EXPECT_LT(fast_ms, 700);
    EXPECT_TRUE(collector.Results().empty());  // the slow one is still running
    ASSERT_TRUE(collector.WaitFor(1, milliseconds(5000)));
}

TEST_F(OutboundClientTest, FollowsRedirectsAndReportsTheFinalUrl) {
    mock_.On("GET", "/old", MockResponse{302, {{"Location", "/new?page=2"}}, "", {}, false});
    mock_.On("GET", "/new", MockResponse::Json(200, "moved here"));
    auto& client = Client(Allow({&mock_}));
    auto result = client.SendAndWait(Get(mock_.BaseUrl() + "/old"));
    ASSERT_TRUE(result.has_value()) << result.error().message;
    EXPECT_EQ(result->status, 200);
    EXPECT_EQ(result->body, "moved here");
    EXPECT_EQ(result->final_url, mock_.BaseUrl() + "/new?page=2");
    EXPECT_EQ(result->attempts, 1);
    EXPECT_EQ(mock_.RequestCount(), 2u);
}

TEST_F(OutboundClientTest, SeeOtherTurnsPostIntoGetAndTemporaryRedirectKeepsIt) {
    mock_.On("POST", "/create", MockResponse{303, {{"Location", "/result"}}, "", {}, false});
    mock_.On("POST", "/again", MockResponse{307, {{"Location", "/result"}}, "", {}, false});
    mock_.On("*", "/result", [](const RecordedRequest& r) {
        return MockResponse::Json(200, r.method + ":" + r.body);
    });
    auto& client = Client(Allow({&mock_}));

    OutboundRequest post = Get(mock_.BaseUrl() + "/create");
    post.method = "POST";
    post.body = "payload";
    post.headers = {{"Content-Type", "text/plain"}};
    auto see_other = client.SendAndWait(post);
    ASSERT_TRUE(see_other.has_value()) << see_other.error().message;
    EXPECT_EQ(see_other->body, "GET:");

    post.url = mock_.BaseUrl() + "/again";
    auto temporary = client.SendAndWait(post);
    ASSERT_TRUE(temporary.has_value()) << temporary.error().message;
    EXPECT_EQ(temporary->body, "POST:payload");

    const auto requests = mock_.Requests();
    ASSERT_EQ(requests.size(), 4u);
    EXPECT_EQ(requests[1].Header("Content-Type"), "");  // body headers went with the body
    EXPECT_EQ(requests[3].Header("Content-Type"), "text/plain");
}

TEST_F(OutboundClientTest, RedirectToMetadataAddressIsRefusedBeforeConnecting) {
    ASSERT_TRUE(OnlyLoopbackNetwork()) << kRunIsolated;
    mock_.On("GET", "/go",
             MockResponse{
                 302, {{"Location", "http://169.254.169.254/latest/meta-data"}}, "", {}, false});
    auto& client = Client(Allow({&mock_}));
    auto result = client.SendAndWait(Get(mock_.BaseUrl() + "/go"));
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::kDestinationNotAllowed);
    EXPECT_EQ(result.error().message, "destination not allowed: link-local");
}

TEST_F(OutboundClientTest, RedirectToANotAllowedPortIsRefusedWithoutConnecting) {
    ASSERT_TRUE(OnlyLoopbackNetwork()) << kRunIsolated;
    MockUpstream forbidden;
    forbidden.On("*", "*", MockResponse::Json(200, "should never be reached"));
    mock_.On("GET", "/go",
             MockResponse{307, {{"Location", forbidden.BaseUrl() + "/x"}}, "", {}, false});
    auto& client = Client(Allow({&mock_}));
    auto result = client.SendAndWait(Get(mock_.BaseUrl() + "/go"));
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::kDestinationNotAllowed);
    EXPECT_EQ(forbidden.RequestCount(), 0u);
}

TEST_F(OutboundClientTest, CredentialHeadersAreDroppedOnCrossOriginRedirectOnly) {
    MockUpstream other;
    other.On("GET", "/landing", MockResponse::Json(200, "other"));
    mock_.On("GET", "/away",
             MockResponse{302, {{"Location", other.BaseUrl() + "/landing"}}, "", {}, false});
    mock_.On("GET", "/stay", MockResponse{302, {{"Location", "/landing"}}, "", {}, false});
    mock_.On("GET", "/landing", MockResponse::Json(200, "same"));
    auto& client = Client(Allow({&mock_, &other}));

    OutboundRequest request = Get(mock_.BaseUrl() + "/away");
    request.headers = {{"X-Api-Key", "k-123"}, {"Authorization", "Bearer t-456"}, {"X-Trace", "7"}};
    request.credential_headers = {"x-api-key"};
    auto away = client.SendAndWait(request);
    ASSERT_TRUE(away.has_value()) << away.error().message;
    EXPECT_EQ(away->body, "other");
    const auto landed = other.Requests();
    ASSERT_EQ(landed.size(), 1u);
    EXPECT_EQ(landed[0].Header("X-Api-Key"), "");
    EXPECT_EQ(landed[0].Header("Authorization"), "");
    EXPECT_EQ(landed[0].Header("X-Trace"), "7");

    request.url = mock_.BaseUrl() + "/stay";
    auto stay = client.SendAndWait(request);
    ASSERT_TRUE(stay.has_value()) << stay.error().message;
    EXPECT_EQ(stay->body, "same");
    const auto requests = mock_.Requests();
    ASSERT_EQ(requests.size(), 3u);
    EXPECT_EQ(requests[2].path, "/landing");
    EXPECT_EQ(requests[2].Header("X-Api-Key"), "k-123");
    EXPECT_EQ(requests[2].Header("Authorization"), "Bearer t-456");
}

TEST_F(OutboundClientTest, TooManyRedirectsStops) {
    mock_.On("GET", "/loop", MockResponse{302, {{"Location", "/loop"}}, "", {}, false});
    auto& client = Client(Allow({&mock_}));
    OutboundRequest request = Get(mock_.BaseUrl() + "/loop");
    request.max_redirects = 3;
    auto result = client.SendAndWait(request);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::kTooManyRedirects);
    EXPECT_EQ(mock_.RequestCount(), 4u);

    request.max_redirects = 0;  // not followed: the 3xx comes back as it is
    auto unfollowed = client.SendAndWait(request);
    ASSERT_TRUE(unfollowed.has_value());
    EXPECT_EQ(unfollowed->status, 302);
    EXPECT_EQ(HeaderOf(*unfollowed, "Location"), "/loop");
}

TEST_F(OutboundClientTest, RetriesGetAfter503) {
    std::atomic<int> hits{0};
    mock_.On("GET", "/flaky", [&hits](const RecordedRequest&) {
        return ++hits == 1 ? MockResponse::Json(503, "busy") : MockResponse::Json(200, "ok");
    });
    auto& client = Client(Allow({&mock_}));
    auto result = client.SendAndWait(Get(mock_.BaseUrl() + "/flaky"));
    ASSERT_TRUE(result.has_value()) << result.error().message;
    EXPECT_EQ(result->status, 200);
    EXPECT_EQ(result->attempts, 2);
    EXPECT_EQ(hits.load(), 2);
}

TEST_F(OutboundClientTest, PostIsRetriedOnlyWithAnIdempotencyKey) {
    mock_.On("POST", "/pay", MockResponse::Json(503, "busy"));
    auto& client = Client(Allow({&mock_}));
    OutboundRequest post = Get(mock_.BaseUrl() + "/pay");
    post.method = "POST";
    post.body = "{}";
    auto once = client.SendAndWait(post);
    ASSERT_TRUE(once.has_value()) << once.error().message;
    EXPECT_EQ(once->status, 503);
    EXPECT_EQ(once->attempts, 1);
    EXPECT_EQ(mock_.RequestCount(), 1u);

    post.headers = {{"Idempotency-Key", "abc"}};
    post.idempotency_key_present = true;
    auto retried = client.SendAndWait(post);
    ASSERT_TRUE(retried.has_value()) << retried.error().message;
    EXPECT_EQ(retried->status, 503);  // the last response once retries are spent
    EXPECT_EQ(retried->attempts, 3);
    EXPECT_EQ(mock_.RequestCount(), 4u);
}

TEST_F(OutboundClientTest, OtherStatusesAreNotRetried) {
    mock_.On("GET", "/broken", MockResponse::Json(500, "oops"));
    auto& client = Client(Allow({&mock_}));
    auto result = client.SendAndWait(Get(mock_.BaseUrl() + "/broken"));
    ASSERT_TRUE(result.has_value());
    EXPECT_EQ(result->status, 500);
    EXPECT_EQ(result->attempts, 1);
    EXPECT_EQ(mock_.RequestCount(), 1u);
}

TEST_F(OutboundClientTest, HonoursRetryAfterSeconds) {
    std::atomic<int> hits{0};
    mock_.On("GET", "/busy", [&hits](const RecordedRequest&) {
        if (++hits == 1) {
            MockResponse busy = MockResponse::Json(503, "busy");
            busy.headers.emplace_back("Retry-After", "1");
            return busy;
        }
        return MockResponse::Json(200, "ok");
    });
    auto& client = Client(Allow({&mock_}));
    const auto start = Steady::now();
    auto result = client.SendAndWait(Get(mock_.BaseUrl() + "/busy"));
    const long elapsed = ElapsedMs(start);
    ASSERT_TRUE(result.has_value()) << result.error().message;
    EXPECT_EQ(result->status, 200);
    EXPECT_EQ(result->attempts, 2);
    EXPECT_GE(elapsed, 990);
    EXPECT_GE(result->duration.count(), 990);
}

TEST_F(OutboundClientTest, HonoursRetryAfterHttpDateAgainstTheInjectedClock) {
    // The clock says 2026-11-25 06:38:05 UTC; the server asks for one second after that.
    const core::TimePoint now = std::chrono::sys_days(std::chrono::year(2026) / 11 / 25) +
                                std::chrono::hours(6) + std::chrono::minutes(38) +
                                std::chrono::seconds(5);
    FakeClock clock(now);
    std::atomic<int> hits{0};
    const std::string date = HttpDate(now + std::chrono::seconds(1));
    mock_.On("GET", "/limited", [&hits, date](const RecordedRequest&) {
        if (++hits == 1) {
            MockResponse limited = MockResponse::Json(429, "slow down");
            limited.headers.emplace_back("Retry-After", date);
            return limited;
        }
        return MockResponse::Json(200, "ok");
    });
    auto& client = Client(Allow({&mock_}), &clock);
    const auto start = Steady::now();
    auto result = client.SendAndWait(Get(mock_.BaseUrl() + "/limited"));
    const long elapsed = ElapsedMs(start);
    ASSERT_TRUE(result.has_value()) << result.error().message;
    EXPECT_EQ(result->status, 200);
    EXPECT_EQ(result->attempts, 2);
    EXPECT_GE(elapsed, 990);
    EXPECT_LT(elapsed, 3000);
}

TEST_F(OutboundClientTest, RetryAfterBeyondMaxDelayReturnsTheResponseAtOnce) {
    MockResponse limited = MockResponse::Json(429, "slow down");
    limited.headers.emplace_back("Retry-After", "3600");
    mock_.On("GET", "/limited", limited);
    auto& client = Client(Allow({&mock_}));
    const auto start = Steady::now();
    auto result = client.SendAndWait(Get(mock_.BaseUrl() + "/limited"));
    ASSERT_TRUE(result.has_value());
    EXPECT_EQ(result->status, 429);
    EXPECT_EQ(result->attempts, 1);
    EXPECT_EQ(HeaderOf(*result, "Retry-After"), "3600");
    EXPECT_LT(ElapsedMs(start), 1000);
}

TEST_F(OutboundClientTest, ConnectionRefusedIsUnreachableAfterRetries) {
    const std::uint16_t port = ClosedPort();
    ASSERT_NE(port, 0);
    auto& client = Client("127.0.0.1:" + std::to_string(port));
    auto result = client.SendAndWait(
        Get("http://127.0.0.1:" + std::to_string(port) + "/v1?api_key=SECRET123"));
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::kUpstreamUnreachable);
    EXPECT_EQ(result.error().message, "upstream unreachable: could not connect to 127.0.0.1:" +
                                          std::to_string(port) + " (after 3 attempts)");
    EXPECT_EQ(result.error().message.find("SECRET123"), std::string::npos);
    EXPECT_EQ(result.error().internal.find("SECRET123"), std::string::npos);
}

TEST_F(OutboundClientTest, ConnectionDroppedIsUnreachable) {
    MockResponse drop;
    drop.drop_connection = true;
    mock_.On("GET", "/drop", drop);
    auto& client = Client(Allow({&mock_}));
    auto result = client.SendAndWait(Get(mock_.BaseUrl() + "/drop"));
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::kUpstreamUnreachable);
    EXPECT_EQ(mock_.RequestCount(), 3u);  // GET retries a reset
}

TEST_F(OutboundClientTest, SlowAnswerIsATimeoutAndIsRetried) {
    MockResponse slow = MockResponse::Json(200, "late");
    slow.delay = milliseconds(3000);
    mock_.On("GET", "/slow", slow);
    auto& client = Client(Allow({&mock_}));
    OutboundRequest request = Get(mock_.BaseUrl() + "/slow");
    request.total_timeout = milliseconds(200);
    request.retry.max_attempts = 2;
    const auto start = Steady::now();
    auto result = client.SendAndWait(request);
    const long elapsed = ElapsedMs(start);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::kUpstreamTimeout);
    EXPECT_EQ(mock_.RequestCount(), 2u);
    EXPECT_GE(elapsed, 400);
    EXPECT_LT(elapsed, 2000);
}

TEST_F(OutboundClientTest, MaxTotalBoundsTheWholeCall) {
    MockResponse slow = MockResponse::Json(200, "late");
    slow.delay = milliseconds(3000);
    mock_.On("GET", "/slow", slow);
    auto& client = Client(Allow({&mock_}));
    OutboundRequest request = Get(mock_.BaseUrl() + "/slow");
    request.retry.max_total = milliseconds(500);  // shorter than total_timeout (30 s)
    const auto start = Steady::now();
    auto result = client.SendAndWait(request);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::kUpstreamTimeout);
    EXPECT_LT(ElapsedMs(start), 1500);
}

TEST_F(OutboundClientTest, ResponseOverTheCapIsTruncated) {
    mock_.On("GET", "/big", MockResponse::Json(200, std::string(200000, 'x')));
    mock_.On("GET", "/exact", MockResponse::Json(200, std::string(1000, 'y')));
    auto& client = Client(Allow({&mock_}));
    OutboundRequest request = Get(mock_.BaseUrl() + "/big");
    request.max_response_bytes = 1000;
    auto big = client.SendAndWait(request);
    ASSERT_TRUE(big.has_value()) << big.error().message;
    EXPECT_EQ(big->status, 200);
    EXPECT_TRUE(big->truncated);
    EXPECT_EQ(big->body, std::string(1000, 'x'));
    EXPECT_EQ(big->attempts, 1);

    request.url = mock_.BaseUrl() + "/exact";
    auto exact = client.SendAndWait(request);
    ASSERT_TRUE(exact.has_value()) << exact.error().message;
    EXPECT_FALSE(exact->truncated);
    EXPECT_EQ(exact->body.size(), 1000u);
}

// Answers one connection on 127.0.0.1 with fixed bytes, whatever was asked: for responses that
// MockUpstream (Beast, whose fields hold at most 64 KiB each) cannot write.
class RawAnswer {
  public:
    explicit RawAnswer(std::string answer) : answer_(std::move(answer)) {
        listener_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof(addr);
        if (bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
            listen(listener_, 1) != 0 ||
            getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &length) != 0) {
            return;
        }
        port_ = ntohs(addr.sin_port);
        thread_ = std::thread([this] {
            const int fd = accept(listener_, nullptr, nullptr);
            if (fd < 0) {
                return;
            }
            std::string request;
            char buffer[4096];
            while (request.find("\r\n\r\n") == std::string::npos) {
                const ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
                if (n <= 0) {
                    break;
                }
                request.append(buffer, std::size_t(n));
            }
            std::size_t sent = 0;
            while (sent < answer_.size()) {
                const ssize_t n =
                    send(fd, answer_.data() + sent, answer_.size() - sent, MSG_NOSIGNAL);
                if (n <= 0) {
                    break;
                }
                sent += std::size_t(n);
            }
            close(fd);
        });
    }
    ~RawAnswer() {
        shutdown(listener_, SHUT_RDWR);
        if (thread_.joinable()) {
            thread_.join();
        }
        close(listener_);
    }
    RawAnswer(const RawAnswer&) = delete;
    RawAnswer& operator=(const RawAnswer&) = delete;
    std::uint16_t Port() const { return port_; }

  private:
    std::string answer_;
    int listener_ = -1;
    std::uint16_t port_ = 0;
    std::thread thread_;
};

TEST_F(OutboundClientTest, ResponseHeadersOverTheLimitAreUpstreamTooLarge) {
    // Many header lines past the client's own 256 KiB cap.
    MockResponse many{200, {}, "{}"};
    for (int i = 0; i < 300; ++i) {
        many.headers.emplace_back("X-Filler-" + std::to_string(i), std::string(1024, 'h'));
    }
    mock_.On("GET", "/many-headers", many);
    // One header line longer than libcurl itself accepts (100 KiB).
    RawAnswer giant("HTTP/1.1 200 OK\r\nX-Giant: " + std::string(std::size_t{150} * 1024, 'h') +
                    "\r\nContent-Length: 2\r\n\r\n{}");
    ASSERT_NE(giant.Port(), 0);
    auto& client = Client(Allow({&mock_}) + "127.0.0.1:" + std::to_string(giant.Port()));
    const std::string giant_url = "http://127.0.0.1:" + std::to_string(giant.Port()) + "/";
    for (const std::string& url : {mock_.BaseUrl() + "/many-headers", giant_url}) {
        OutboundRequest request = Get(url);
        request.retry.max_attempts = 1;
        auto result = client.SendAndWait(request);
        ASSERT_FALSE(result.has_value()) << url;
        EXPECT_EQ(result.error().code, ErrorCode::kUpstreamTooLarge)
            << url << ": " << result.error().message << " / " << result.error().internal;
        EXPECT_EQ(result.error().message.find("hhhh"), std::string::npos);
    }
}

// text compressed as gzip (zlib's deflate with a gzip wrapper).
std::string Gzip(const std::string& text) {
    z_stream z{};
    if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        return {};
    }
    std::string out(deflateBound(&z, uLong(text.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    z.avail_in = uInt(text.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = uInt(out.size());
    const int rc = deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return rc == Z_STREAM_END ? out : std::string();
}

TEST_F(OutboundClientTest, CompressedAnswersAreAskedForAndDecoded) {
    const std::string json = R"({"items":[)" + std::string(4000, ' ') + R"("done"]})";
    mock_.On("GET", "/gzip", [&](const RecordedRequest& r) {
        if (r.Header("Accept-Encoding").find("gzip") == std::string::npos) {
            return MockResponse::Json(200, json);
        }
        return MockResponse{
            200, {{"Content-Type", "application/json"}, {"Content-Encoding", "gzip"}}, Gzip(json)};
    });
    auto& client = Client(Allow({&mock_}));
    auto decoded = client.SendAndWait(Get(mock_.BaseUrl() + "/gzip"));
    ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
    EXPECT_EQ(decoded->body, json);
    EXPECT_EQ(HeaderOf(*decoded, "Content-Encoding"), "");
    EXPECT_EQ(HeaderOf(*decoded, "Content-Length"), "") << "the encoded length is dropped";
    EXPECT_EQ(HeaderOf(*decoded, "Content-Type"), "application/json");
    EXPECT_NE(mock_.Requests().back().Header("Accept-Encoding").find("gzip"), std::string::npos);

    // A caller that sets its own Accept-Encoding gets the bytes as the upstream sent them.
    OutboundRequest raw = Get(mock_.BaseUrl() + "/gzip");
    raw.headers = {{"Accept-Encoding", "gzip"}};
    auto passed = client.SendAndWait(raw);
    ASSERT_TRUE(passed.has_value()) << passed.error().message;
    EXPECT_EQ(passed->body, Gzip(json));
    EXPECT_EQ(HeaderOf(*passed, "Content-Encoding"), "gzip");
}

TEST_F(OutboundClientTest, ABodyThatDoesNotDecodeIsAnErrorSaidOnceAndNotRetried) {
    mock_.On("GET", "/corrupt",
             MockResponse{200, {{"Content-Encoding", "gzip"}}, "this is not gzip at all"});
    mock_.On("GET", "/unknown", MockResponse{200, {{"Content-Encoding", "x-custom"}}, "raw"});
    auto& client = Client(Allow({&mock_}));
    for (const std::string path : {"/corrupt", "/unknown"}) {
        mock_.ClearRequests();
        auto result = client.SendAndWait(Get(mock_.BaseUrl() + path));
        ASSERT_FALSE(result.has_value()) << path;
        EXPECT_EQ(result.error().code, ErrorCode::kUpstreamUnreachable) << path;
        EXPECT_NE(result.error().message.find("cannot be decoded"), std::string::npos)
            << result.error().message;
        EXPECT_EQ(mock_.RequestCount(), 1u) << path << ": the upstream answered; not retried";
    }
}

TEST_F(OutboundClientTest, TheSizeCapCountsDecodedBytes) {
    // 8 MiB of zeros compress to a few KiB: the cap must hold against what they expand to.
    const std::string bomb = Gzip(std::string(std::size_t{8} * 1024 * 1024, '0'));
    ASSERT_LT(bomb.size(), std::size_t{64} * 1024);
    mock_.On(
        "GET", "/bomb",
        MockResponse{200, {{"Content-Type", "text/plain"}, {"Content-Encoding", "gzip"}}, bomb});
    auto& client = Client(Allow({&mock_}));
    OutboundRequest request = Get(mock_.BaseUrl() + "/bomb");
    request.max_response_bytes = std::size_t{256} * 1024;
    auto result = client.SendAndWait(request);
    ASSERT_TRUE(result.has_value()) << result.error().message;
    EXPECT_TRUE(result->truncated);
    EXPECT_EQ(result->body.size(), std::size_t{256} * 1024);
}

TEST_F(OutboundClientTest, RateLimitMakesCallsWaitTheirTurn) {
    mock_.On("GET", "/limited", MockResponse::Json(200, "ok"));
    auto& client = Client(Allow({&mock_}));
    Collector collector;
    const auto start = Steady::now();
    for (int i = 0; i < 6; ++i) {
        OutboundRequest request = Get(mock_.BaseUrl() + "/limited");
        request.rate_limit_key = "integration-1";
        request.rate_limit = RateLimit{5, 1};
        client.Send(request, collector.Slot(i));
    }
    // Another key is not held up by the first one's queue.
    auto other = [&] {
        OutboundRequest request = Get(mock_.BaseUrl() + "/limited");
        request.rate_limit_key = "integration-2";
        request.rate_limit = RateLimit{5, 1};
        return request;
    }();
    auto free_call = client.SendAndWait(other);
    ASSERT_TRUE(free_call.has_value());
    EXPECT_LT(ElapsedMs(start), 500);

    ASSERT_TRUE(collector.WaitFor(6, milliseconds(5000)));
    const long elapsed = ElapsedMs(start);
    for (const auto& result : collector.Results()) {
        ASSERT_TRUE(result.has_value()) << result.error().message;
        EXPECT_EQ(result->status, 200);
    }
    EXPECT_EQ(collector.Order(), (std::vector<int>{0, 1, 2, 3, 4, 5}));
    EXPECT_GE(elapsed, 990);  // tokens at 0, 200, 400, 600, 800, 1000 ms
    EXPECT_LT(elapsed, 3000);
}

TEST_F(OutboundClientTest, NotAllowedDestinationMakesNoConnection) {
    MockUpstream forbidden;
    forbidden.On("*", "*", MockResponse::Json(200, "should never be reached"));
    auto& client = Client(Allow({&mock_}));  // forbidden's port is not in the list
    auto result = client.SendAndWait(Get(forbidden.BaseUrl() + "/x"));
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::kDestinationNotAllowed);
    EXPECT_EQ(result.error().message, "destination not allowed: loopback");
    for (const std::string& url :
         std::vector<std::string>{"http://169.254.169.254/latest/meta-data",
                                  "http://2130706433:" + std::to_string(forbidden.Port()) + "/",
                                  "http://0x7f.1:" + std::to_string(forbidden.Port()) + "/",
                                  "http://[::ffff:127.0.0.1]:" + std::to_string(forbidden.Port()),
                                  "ftp://example.com/"}) {
        auto refused = client.SendAndWait(Get(url));
        ASSERT_FALSE(refused.has_value()) << url;
        EXPECT_EQ(refused.error().code, ErrorCode::kDestinationNotAllowed) << url;
    }
    EXPECT_EQ(forbidden.RequestCount(), 0u);
    EXPECT_EQ(resolver_.calls(), 0);  // numeric hosts never reach DNS
}

TEST_F(OutboundClientTest, NamesAreResolvedOffTheLoopAndTheAddressPinned) {
    mock_.On("GET", "/named",
             [](const RecordedRequest& r) { return MockResponse::Json(200, r.Header("Host")); });
    // The system resolver knows neither name; curl only reaches the mock through the pin.
    resolver_.Add("api.test", {*ParseNumericHost("127.0.0.1")});
    resolver_.Add("evil.test", {*ParseNumericHost("127.0.0.1")});
    const std::string port = std::to_string(mock_.Port());
    auto& client = Client("api.test:" + port);

    auto named = client.SendAndWait(Get("http://api.test:" + port + "/named"));
    ASSERT_TRUE(named.has_value()) << named.error().message;
    EXPECT_EQ(named->status, 200);
    EXPECT_EQ(named->body, "api.test:" + port);
    EXPECT_EQ(resolver_.calls(), 1);

    auto evil = client.SendAndWait(Get("http://evil.test:" + port + "/named"));
    ASSERT_FALSE(evil.has_value());
    EXPECT_EQ(evil.error().code, ErrorCode::kDestinationNotAllowed);
    EXPECT_EQ(evil.error().message, "destination not allowed: loopback");
    EXPECT_EQ(mock_.RequestCount(), 1u);

    auto unknown = client.SendAndWait(Get("http://unknown.test:" + port + "/named"));
    ASSERT_FALSE(unknown.has_value());
    EXPECT_EQ(unknown.error().code, ErrorCode::kUpstreamUnreachable);
}

TEST_F(OutboundClientTest, ANamesAnswerIsReusedForItsTtlAndCheckedOnEveryUse) {
    mock_.On("GET", "/named", MockResponse::Json(200, "{}"));
    resolver_.Add("api.test", {*ParseNumericHost("127.0.0.1")});
    resolver_.Add("evil.test", {*ParseNumericHost("127.0.0.1")});
    const std::string port = std::to_string(mock_.Port());
    auto& client =
        Client("api.test:" + port, nullptr, ClientSettings{.dns_cache_ttl = milliseconds(400)});

    for (int i = 0; i < 3; ++i) {
        auto named = client.SendAndWait(Get("http://api.test:" + port + "/named"));
        ASSERT_TRUE(named.has_value()) << named.error().message;
        EXPECT_EQ(named->status, 200);
    }
    EXPECT_EQ(resolver_.calls(), 1) << "the answer is reused within its ttl";

    // A kept answer is checked again each time: a forbidden one stays refused.
    for (int i = 0; i < 2; ++i) {
        auto evil = client.SendAndWait(Get("http://evil.test:" + port + "/named"));
        ASSERT_FALSE(evil.has_value());
        EXPECT_EQ(evil.error().code, ErrorCode::kDestinationNotAllowed);
    }
    EXPECT_EQ(resolver_.calls(), 2);
    EXPECT_EQ(mock_.RequestCount(), 3u);

    std::this_thread::sleep_for(milliseconds(500));
    ASSERT_TRUE(client.SendAndWait(Get("http://api.test:" + port + "/named")).has_value());
    EXPECT_EQ(resolver_.calls(), 3) << "an expired answer is looked up again";
}

TEST_F(OutboundClientTest, ABurstOfCallsToANewNameMakesOneLookup) {
    mock_.On("GET", "/named", MockResponse::Json(200, "{}"));
    resolver_.Add("api.test", {*ParseNumericHost("127.0.0.1")});
    resolver_.SetDelay(milliseconds(200));
    const std::string port = std::to_string(mock_.Port());
    // With no answer kept at all, calls made while a lookup is on its way still share it.
    auto& client = Client("api.test:" + port, nullptr, ClientSettings{.dns_cache_ttl = {}});
    Collector collector;
    constexpr int kCalls = 20;
    for (int i = 0; i < kCalls; ++i) {
        client.Send(Get("http://api.test:" + port + "/named"), collector.Slot(i));
    }
    ASSERT_TRUE(collector.WaitFor(kCalls, milliseconds(10000)));
    for (const auto& result : collector.Results()) {
        ASSERT_TRUE(result.has_value()) << result.error().message;
        EXPECT_EQ(result->status, 200);
    }
    EXPECT_EQ(resolver_.calls(), 1);

    ASSERT_TRUE(client.SendAndWait(Get("http://api.test:" + port + "/named")).has_value());
    EXPECT_EQ(resolver_.calls(), 2) << "dns_cache_ttl 0 keeps no answer once it was used";
}

TEST_F(OutboundClientTest, AFailedLookupIsNotKept) {
    mock_.On("GET", "/named", MockResponse::Json(200, "{}"));
    const std::string port = std::to_string(mock_.Port());
    auto& client = Client("late.test:" + port);
    auto unknown = client.SendAndWait(Get("http://late.test:" + port + "/named"));
    ASSERT_FALSE(unknown.has_value());
    EXPECT_EQ(unknown.error().code, ErrorCode::kUpstreamUnreachable);

    resolver_.Add("late.test", {*ParseNumericHost("127.0.0.1")});
    auto found = client.SendAndWait(Get("http://late.test:" + port + "/named"));
    ASSERT_TRUE(found.has_value()) << found.error().message;
    EXPECT_EQ(found->status, 200);
}

TEST_F(OutboundClientTest, TlsHandshakeFailureIsUpstreamTls) {
    // The mock speaks plain HTTP, so the TLS handshake fails; nothing leaves 127.0.0.1.
    auto& client = Client(Allow({&mock_}));
    auto result =
        client.SendAndWait(Get("https://127.0.0.1:" + std::to_string(mock_.Port()) + "/"));
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::kUpstreamTls);
}

TEST_F(OutboundClientTest, TlsIsVerifiedAgainstTheSystemStoreOrTheGivenBundle) {
    SelfSignedTlsServer tls;
    ASSERT_TRUE(tls.Started()) << "openssl s_server did not start";
    const std::string url = "https://127.0.0.1:" + std::to_string(tls.Port()) + "/";
    const std::string allow = "127.0.0.1:" + std::to_string(tls.Port());

    auto refused = Client(allow).SendAndWait(Get(url));
    ASSERT_FALSE(refused.has_value()) << "a self-signed certificate must not be accepted";
    EXPECT_EQ(refused.error().code, ErrorCode::kUpstreamTls);

    auto trusted =
        Client(allow, nullptr, ClientSettings{.ca_file = tls.CertPath()}).SendAndWait(Get(url));
    ASSERT_TRUE(trusted.has_value()) << trusted.error().message << " " << trusted.error().internal;
    EXPECT_EQ(trusted->status, 200);
}

TEST_F(OutboundClientTest, ProxiesFromTheEnvironmentAreIgnored) {
    mock_.On("GET", "/direct", MockResponse::Json(200, R"({"via":"direct"})"));
    MockUpstream proxy;
    proxy.On("*", "*", MockResponse::Json(502, R"({"via":"proxy"})"));
    const std::string proxy_url = proxy.BaseUrl();
    client_.reset();
    {
        // libcurl would send every call through these; the guard allows the proxy too, so only
        // the client's own setting keeps the call direct.
        ScopedEnvironment env({{"http_proxy", proxy_url},
                               {"https_proxy", proxy_url},
                               {"HTTPS_PROXY", proxy_url},
                               {"all_proxy", proxy_url},
                               {"ALL_PROXY", proxy_url},
                               {"no_proxy", std::nullopt},
                               {"NO_PROXY", std::nullopt}});
        auto& client = Client(Allow({&mock_, &proxy}));
        auto result = client.SendAndWait(Get(mock_.BaseUrl() + "/direct"));
        client_.reset();
        ASSERT_TRUE(result.has_value()) << result.error().message;
        EXPECT_EQ(result->status, 200);
        EXPECT_EQ(result->body, R"({"via":"direct"})");
    }
    EXPECT_EQ(proxy.RequestCount(), 0u);
    EXPECT_EQ(mock_.RequestCount(), 1u);
}

TEST_F(OutboundClientTest, MalformedRequestsAreRefusedWithoutConnecting) {
    auto& client = Client(Allow({&mock_}));
    OutboundRequest bad_method = Get(mock_.BaseUrl() + "/");
    bad_method.method = "GE T";
    OutboundRequest bad_header = Get(mock_.BaseUrl() + "/");
    bad_header.headers = {{"X-Evil", "a\r\nHost: elsewhere"}};
    OutboundRequest bad_name = Get(mock_.BaseUrl() + "/");
    bad_name.headers = {{"X Evil", "a"}};
    OutboundRequest bad_url = Get("not a url");
    for (const auto& request : {bad_method, bad_header, bad_name, bad_url}) {
        auto result = client.SendAndWait(request);
        ASSERT_FALSE(result.has_value());
        EXPECT_EQ(result.error().code, ErrorCode::kBadRequest) << result.error().message;
        EXPECT_EQ(result.error().message.find("elsewhere"), std::string::npos);
    }
    EXPECT_EQ(mock_.RequestCount(), 0u);
}

TEST_F(OutboundClientTest, DestructionCompletesCallsInFlight) {
    MockResponse slow = MockResponse::Json(200, "late");
    slow.delay = milliseconds(5000);
    mock_.On("GET", "/slow", slow);
    auto& client = Client(Allow({&mock_}));
    Collector collector;
    client.Send(Get(mock_.BaseUrl() + "/slow"), collector.Slot(0));
    OutboundRequest waiting = Get(mock_.BaseUrl() + "/slow");
    waiting.rate_limit_key = "k";
    waiting.rate_limit = RateLimit{0.1, 1};
    client.Send(waiting, collector.Slot(1));
    client.Send(waiting, collector.Slot(2));  // waits ten seconds for a token
    ASSERT_TRUE(mock_.WaitForRequests(2, milliseconds(5000)));
    const auto start = Steady::now();
    client_.reset();
    EXPECT_LT(ElapsedMs(start), 1000);
    ASSERT_TRUE(collector.WaitFor(3, milliseconds(0)));
    for (const auto& result : collector.Results()) {
        ASSERT_FALSE(result.has_value());
        EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
    }
}

}  // namespace
}  // namespace gc::outbound
