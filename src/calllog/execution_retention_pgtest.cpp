// Call-log retention on PostgreSQL under row level security: the owner role, in a retention
// transaction, sweeps every workspace (timestamptz boundaries included); the server's role cannot
// use that opening, and the opening grants reading and deleting call records only.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "calllog/execution_retention.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "store/execution_repository.hpp"
#include "store/migrations.hpp"
#include "support/test_pg.hpp"

namespace gc::calllog {
namespace {

using namespace std::chrono_literals;

constexpr const char* kWsA = "aaaaaaaa-0000-4000-8000-00000000000a";
constexpr const char* kWsB = "bbbbbbbb-0000-4000-8000-00000000000b";

class ExecutionRetentionPg : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_TRUE(pg_.Available()) << pg_.Reason();
        tdb_ = pg_.CreateDatabase();
        auto owner = store::OpenDatabase({.url = tdb_.owner_url, .pool_size = 1});
        ASSERT_TRUE(owner.has_value()) << owner.error().internal;
        owner_ = std::move(*owner);
        ASSERT_TRUE(store::Migrate(*owner_, store::RoleFromPostgresUrl(tdb_.app_url)).has_value());
        for (const char* ws : {kWsA, kWsB}) {
            test::PgExec(tdb_.superuser_url,
                         "INSERT INTO workspaces (id, name, personal, created_at, updated_at)"
                         " VALUES ($1, 'w', true, now(), now())",
                         {ws});
        }
    }

    // A record of ws made age before now_; returns its id.
    std::string Add(const char* ws, std::chrono::milliseconds age) {
        std::string id = core::NewTimeOrderedUuid();
        test::PgExec(
            tdb_.superuser_url,
            "INSERT INTO executions (id, workspace_id, integration_name, kind, method, url,"
            " status, created_at) VALUES ($1, $2, 'api', 'execute', 'GET',"
            " 'https://api.example.com/x', 'success', $3)",
            {id, ws, core::FormatTimestamp(now_ - age)});
        return id;
    }

    std::string Count(const char* ws) {
        return test::PgExec(tdb_.superuser_url,
                            "SELECT count(*) FROM executions WHERE workspace_id = $1", {ws})
            .at(0)
            .at(0);
    }

    const core::TimePoint now_ = std::chrono::system_clock::now();
    test::TestPg pg_;
    test::TestDatabase tdb_;
    std::unique_ptr<store::Database> owner_;
};

TEST_F(ExecutionRetentionPg, TheOwnerSweepsEveryWorkspaceByAgeAndByCount) {
    for (const char* ws : {kWsA, kWsB}) {
        Add(ws, 24h * 40);
        Add(ws, 24h * 30 + 1s);
    }
    // Four made at the same microsecond in A: the cap's boundary falls between equal times.
    const std::string same_time = core::FormatTimestamp(now_ - 1h);
    std::vector<std::string> tied;
    for (int i = 0; i < 4; ++i) {
        tied.push_back(core::NewTimeOrderedUuid());
        test::PgExec(
            tdb_.superuser_url,
            "INSERT INTO executions (id, workspace_id, integration_name, kind, method, url,"
            " status, created_at) VALUES ($1, $2, 'api', 'execute', 'GET', 'u',"
            " 'success', $3)",
            {tied.back(), kWsA, same_time});
    }
    std::sort(tied.begin(), tied.end());
    const std::string newest = Add(kWsA, 1min);
    Add(kWsB, 1min);

    auto report = SweepExecutions(*owner_, {.max_age = 24h * 30, .max_per_workspace = 3}, now_);
    ASSERT_TRUE(report.has_value()) << report.error().internal;
    EXPECT_EQ(report->workspaces, 2);
    EXPECT_EQ(report->deleted_by_age, 4);
    EXPECT_EQ(report->deleted_by_count, 2);
    EXPECT_EQ(Count(kWsA), "3");
    EXPECT_EQ(Count(kWsB), "1");
    // Kept in A: the newest, then the two tied records with the greatest ids.
    const auto kept = test::PgExec(tdb_.superuser_url,
                                   "SELECT id FROM executions WHERE workspace_id = $1"
                                   " ORDER BY created_at DESC, id DESC",
                                   {kWsA});
    ASSERT_EQ(kept.size(), 3u);
    EXPECT_EQ(kept[0][0], newest);
    EXPECT_EQ(kept[1][0], tied[3]);
    EXPECT_EQ(kept[2][0], tied[2]);
}

TEST_F(ExecutionRetentionPg, TheServersRoleCannotUseTheRetentionOpening) {
    Add(kWsA, 24h * 40);
    auto app = store::OpenDatabase({.url = tdb_.app_url, .pool_size = 1});
    ASSERT_TRUE(app.has_value()) << app.error().internal;
    auto report = SweepExecutions(**app, {.max_age = 24h}, now_);
    ASSERT_TRUE(report.has_value()) << report.error().internal;
    EXPECT_EQ(report->workspaces, 0);  // no workspace is visible to it
    test::PgConnection as_app(tdb_.app_url);
    as_app.Exec("BEGIN; SELECT set_config('app.maintenance', 'retention', true)");
    EXPECT_EQ(as_app.Exec("SELECT count(*) FROM executions").at(0).at(0), "0");
    as_app.Exec("DELETE FROM executions");
    as_app.Exec("COMMIT");
    EXPECT_EQ(Count(kWsA), "1");
}

TEST_F(ExecutionRetentionPg, TheOpeningReadsAndDeletesCallRecordsOnly) {
    const std::string id = Add(kWsA, 1h);
    test::PgConnection as_owner(tdb_.owner_url);
    as_owner.Exec("BEGIN; SELECT set_config('app.maintenance', 'retention', true)");
    EXPECT_EQ(as_owner.Exec("SELECT count(*) FROM executions").at(0).at(0), "1");
    EXPECT_EQ(as_owner.Exec("SELECT count(*) FROM workspaces").at(0).at(0), "2");
    as_owner.Exec("UPDATE executions SET url = 'changed'");  // no policy lets it see a row
    as_owner.Exec("COMMIT");
    EXPECT_EQ(test::PgExec(tdb_.superuser_url, "SELECT url FROM executions WHERE id = $1", {id})
                  .at(0)
                  .at(0),
              "https://api.example.com/x");
    // Without the setting the owner sees no call record at all.
    EXPECT_EQ(test::PgExec(tdb_.owner_url, "SELECT count(*) FROM executions").at(0).at(0), "0");
    auto insert = test::PgTry(tdb_.owner_url,
                              "BEGIN; SELECT set_config('app.maintenance', 'retention', true);"
                              " INSERT INTO executions (id, workspace_id, integration_name, kind,"
                              " method, url, status, created_at) VALUES (gen_random_uuid(), '" +
                                  std::string(kWsB) +
                                  "', 'api', 'execute', 'GET', 'u', 'success', now()); COMMIT");
    EXPECT_FALSE(insert.has_value());
}

}  // namespace
}  // namespace gc::calllog
