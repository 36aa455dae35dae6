// Group commit on PostgreSQL, under row level security as the server's role: records of two
// workspaces queued together are written in one transaction per workspace, each carrying its
// own tenant.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "calllog/execution_writer.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "store/migrations.hpp"
#include "support/test_pg.hpp"

namespace gc::calllog {
namespace {

constexpr const char* kWsA = "aaaaaaaa-0000-4000-8000-00000000000a";
constexpr const char* kWsB = "bbbbbbbb-0000-4000-8000-00000000000b";

store::ExecutionRecord Record(const char* workspace) {
    store::ExecutionRecord rec;
    rec.id = core::NewTimeOrderedUuid();
    rec.workspace_id = workspace;
    rec.integration_name = "api";
    rec.kind = "execute";
    rec.method = "GET";
    rec.url = "https://api.example.com/x";
    rec.status = "success";
    rec.status_code = 200;
    rec.attempts = 1;
    rec.created_at = core::FormatTimestamp(std::chrono::system_clock::now());
    return rec;
}

TEST(ExecutionWriterPg, RecordsOfTwoWorkspacesShareCommitsOnePerWorkspace) {
    test::TestPg pg;
    ASSERT_TRUE(pg.Available()) << pg.Reason();
    auto tdb = pg.CreateDatabase();
    {
        auto owner = store::OpenDatabase({.url = tdb.owner_url, .pool_size = 1});
        ASSERT_TRUE(owner.has_value()) << owner.error().internal;
        ASSERT_TRUE(store::Migrate(**owner, store::RoleFromPostgresUrl(tdb.app_url)).has_value());
    }
    for (const char* ws : {kWsA, kWsB}) {
        test::PgExec(tdb.superuser_url,
                     "INSERT INTO workspaces (id, name, personal, created_at, updated_at)"
                     " VALUES ($1, 'w', true, now(), now())",
                     {ws});
    }
    auto app = store::OpenDatabase({.url = tdb.app_url, .pool_size = 2});
    ASSERT_TRUE(app.has_value()) << app.error().internal;

    constexpr int kRecords = 200;
    std::atomic<int> ok{0};
    std::atomic<int> failed{0};
    std::size_t commits = 0;
    {
        ExecutionWriter writer(**app);
        for (int i = 0; i < kRecords; ++i) {
            writer.Write(Record(i % 2 == 0 ? kWsA : kWsB),
                         [&](const core::Result<void>& r) { ++(r ? ok : failed); });
        }
        for (int i = 0; i < 1000 && ok.load() + failed.load() < kRecords; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        commits = writer.commits();
    }
    EXPECT_EQ(ok.load(), kRecords);
    EXPECT_EQ(failed.load(), 0);
    // Grouped by workspace, the 200 alternating records need a handful of commits; one
    // transaction for a mixed group would be refused by RLS and every record retried alone.
    EXPECT_LE(commits, 10u);
    for (const char* ws : {kWsA, kWsB}) {
        EXPECT_EQ(test::PgExec(tdb.superuser_url,
                               "SELECT count(*) FROM executions WHERE workspace_id = $1", {ws})
                      .at(0)
                      .at(0),
                  std::to_string(kRecords / 2));
    }
}

}  // namespace
}  // namespace gc::calllog
