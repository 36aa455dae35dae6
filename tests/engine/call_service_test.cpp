// CallService on a real SQLite database, the real outbound client and a local mock API: which
// steps of a call go to a worker (on_worker) and which run on the calling thread. The network
// thread calls Test and ExecuteStep directly, so whatever reads the database must go through
// on_worker, and nothing else should (each hand-off costs a thread wake-up per call).
#include "engine/call_service.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/json/parse.hpp>
#include <filesystem>
#include <future>
#include <thread>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "engine/execution_log.hpp"
#include "integrations/integration_service.hpp"
#include "outbound/egress_guard.hpp"
#include "outbound/outbound_client.hpp"
#include "outbound/resolver.hpp"
#include "store/migrations.hpp"
#include "support/mock_upstream.hpp"
#include "vault/credential_service.hpp"
#include "vault/fernet.hpp"
#include "vault/keyring.hpp"

namespace gc::engine {
namespace {

namespace json = boost::json;

// An on_worker that runs each job on a pool thread, as the server does from its network thread,
// and counts the hand-offs.
class CountingWorkers {
  public:
    PostBlocking Post() {
        return [this](std::function<void()> job) {
            ++posts_;
            boost::asio::post(pool_, std::move(job));
        };
    }
    int posts() const { return posts_.load(); }

  private:
    std::atomic<int> posts_{0};
    boost::asio::thread_pool pool_{2};
};

class CallServiceTest : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/gc-calls-XXXXXX";
        dir_ = mkdtemp(tmpl);
        auto db = store::OpenDatabase({.sqlite_path = dir_ + "/connector.db", .pool_size = 2});
        ASSERT_TRUE(db.has_value());
        db_ = std::move(*db);
        ASSERT_TRUE(store::Migrate(*db_).has_value());
        scope_.workspace_id = core::NewUuid();
        scope_.role = core::Role::kOwner;
        auto r = db_->Transact({}, [&](store::Tx& tx) {
            tx.Exec(
                "INSERT INTO workspaces (id, name, personal, created_at, updated_at)"
                " VALUES ($1, 'w', 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
                {scope_.workspace_id});
        });
        ASSERT_TRUE(r.has_value()) << r.error().internal;
        integrations_ = std::make_unique<integrations::IntegrationService>(*db_, clock_);
        credentials_ = std::make_unique<vault::CredentialService>(*db_, keyring_, clock_);
        log_ = std::make_unique<ExecutionLog>(*db_);
        client_ = std::make_unique<outbound::OutboundClient>(egress_, resolver_, clock_);
        calls_ = std::make_unique<CallService>(
            *integrations_, *credentials_, *client_, *log_,
            [this](std::function<void()> job) { boost::asio::post(follow_ups_, std::move(job)); },
            nullptr);
        mock_.On("GET", "/v1/users/*", test::MockResponse::Json(200, R"({"ok":true})"));
    }
    void TearDown() override {
        calls_.reset();
        client_.reset();
        log_.reset();
        db_.reset();
        std::filesystem::remove_all(dir_);
    }

    std::string NewIntegration(const std::string& auth_type) {
        auto r = integrations_->Create(
            scope_, json::parse(R"({"name": "mock_)" + core::NewUuid().substr(0, 8) +
                                R"(", "auth_type": ")" + auth_type + R"(", "base_url": ")" +
                                mock_.BaseUrl() + R"(/v1", "actions": [
                  {"action_id": "get_user", "http_method": "GET", "endpoint": "/users/{id}",
                   "parameters": [{"name": "id", "in": "path", "type": "string",
                                   "required": true}]}]})"));
        EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
        return r ? r->id : std::string();
    }

    // ExecuteStep from this thread; the result once done ran, and whether done ran here.
    core::Result<CallResult> Execute(const std::string& integration_id, CountingWorkers& workers,
                                     const json::value& params = json::object{{"id", "7"}}) {
        std::promise<core::Result<CallResult>> result;
        calls_->ExecuteStep(scope_, "custom_" + integration_id, "get_user", params, StepOptions{},
                            workers.Post(),
                            [&](core::Result<CallResult> r) { result.set_value(std::move(r)); });
        return result.get_future().get();
    }

    std::string dir_;
    std::unique_ptr<store::Database> db_;
    core::SystemClock clock_;
    core::Scope scope_;
    vault::Keyring keyring_ =
        vault::Keyring::Parse("k1:" + vault::FernetKey::Generate().ToBase64()).value();
    outbound::EgressPolicy egress_ = outbound::EgressPolicy::Parse("127.0.0.1").value();
    outbound::SystemResolver resolver_;
    boost::asio::thread_pool follow_ups_{1};
    test::MockUpstream mock_;
    std::unique_ptr<integrations::IntegrationService> integrations_;
    std::unique_ptr<vault::CredentialService> credentials_;
    std::unique_ptr<ExecutionLog> log_;
    std::unique_ptr<outbound::OutboundClient> client_;
    std::unique_ptr<CallService> calls_;
};

TEST_F(CallServiceTest, ACachedIntegrationWithoutAuthIsCalledWithoutAWorker) {
    const std::string id = NewIntegration("none");
    CountingWorkers first;
    auto r = Execute(id, first);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->status_code, 200);
    EXPECT_EQ(first.posts(), 1) << "the first call reads the integration on a worker";

    CountingWorkers later;
    for (int i = 0; i < 3; ++i) {
        auto again = Execute(id, later);
        ASSERT_TRUE(again.has_value()) << again.error().message;
        EXPECT_EQ(again->status_code, 200);
    }
    EXPECT_EQ(later.posts(), 0) << "a cached integration that needs no credential never waits "
                                   "for a worker";
    EXPECT_EQ(mock_.RequestCount(), 4U);
}

TEST_F(CallServiceTest, ACredentialIsOpenedOnAWorkerOnceEvenWhenTheIntegrationIsNotCached) {
    const std::string id = NewIntegration("bearer");
    ASSERT_TRUE(
        credentials_->Put(scope_, id, json::parse(R"({"type":"bearer","value":"tok_canary"})")));
    CountingWorkers cold;
    auto r = Execute(id, cold);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->status_code, 200);
    EXPECT_EQ(cold.posts(), 1) << "the integration and the credential are read in one hand-off";

    CountingWorkers warm;
    ASSERT_TRUE(Execute(id, warm).has_value());
    EXPECT_EQ(warm.posts(), 1) << "the credential is never cached: it is read on a worker";
    EXPECT_EQ(mock_.Requests().back().Header("authorization"), "Bearer tok_canary");
}

TEST_F(CallServiceTest, BadParametersAreRefusedOnTheCallingThreadWithoutACall) {
    const std::string id = NewIntegration("none");
    CountingWorkers warm_up;
    ASSERT_TRUE(Execute(id, warm_up).has_value());
    const auto calls_before = mock_.RequestCount();

    CountingWorkers workers;
    const auto caller = std::this_thread::get_id();
    std::thread::id answered_on;
    core::Result<CallResult> result = core::Error::Internal("not answered");
    calls_->ExecuteStep(scope_, "custom_" + id, "get_user", json::object{}, StepOptions{},
                        workers.Post(), [&](core::Result<CallResult> r) {
                            answered_on = std::this_thread::get_id();
                            result = std::move(r);
                        });
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, core::ErrorCode::kValidation);
    EXPECT_EQ(answered_on, caller);
    EXPECT_EQ(workers.posts(), 0);
    EXPECT_EQ(mock_.RequestCount(), calls_before);
}

TEST_F(CallServiceTest, AnIntegrationOfAnotherWorkspaceIsNotFoundAfterItsWorkerRead) {
    const std::string id = NewIntegration("none");
    CountingWorkers warm_up;
    ASSERT_TRUE(Execute(id, warm_up).has_value());
    const core::Scope mine = scope_;
    scope_.workspace_id = core::NewUuid();
    CountingWorkers workers;
    auto r = Execute(id, workers);
    scope_ = mine;
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(workers.posts(), 1) << "another workspace's cache entry is never served";
}

}  // namespace
}  // namespace gc::engine
