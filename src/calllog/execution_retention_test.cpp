// Call-log retention on SQLite: records past the maximum age and beyond a workspace's newest N
// are deleted in every workspace, in bounded batches; the rest, and other workspaces' records,
// stay; the background sweeper runs at start and stops at once when destroyed.
#include "calllog/execution_retention.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "store/execution_repository.hpp"
#include "store/migrations.hpp"

namespace gc::calllog {
namespace {

using namespace std::chrono_literals;

constexpr const char* kWsA = "aaaaaaaa-0000-4000-8000-00000000000a";
constexpr const char* kWsB = "bbbbbbbb-0000-4000-8000-00000000000b";

class FixedClock final : public core::Clock {
  public:
    explicit FixedClock(core::TimePoint t) : t_(t) {}
    core::TimePoint Now() const override { return t_; }

  private:
    core::TimePoint t_;
};

class ExecutionRetentionTest : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/gc-retention-XXXXXX";
        dir_ = mkdtemp(tmpl);
        auto db = store::OpenDatabase({.sqlite_path = dir_ + "/connector.db", .pool_size = 2});
        ASSERT_TRUE(db.has_value());
        db_ = std::move(*db);
        ASSERT_TRUE(store::Migrate(*db_).has_value());
        for (const char* ws : {kWsA, kWsB}) {
            ASSERT_TRUE(db_->Transact({}, [ws](store::Tx& tx) {
                tx.Exec(
                    "INSERT INTO workspaces (id, name, personal, created_at, updated_at)"
                    " VALUES ($1, 'w', 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
                    {std::string(ws)});
            }));
        }
    }
    void TearDown() override {
        db_.reset();
        std::filesystem::remove_all(dir_);
    }

    // A record of workspace ws made age before now_, with id "<ws prefix>-<n>".
    void Add(const char* ws, int n, std::chrono::milliseconds age) {
        store::ExecutionRecord rec;
        rec.id = std::string(ws).substr(0, 8) + "-" + std::to_string(1000 + n);
        rec.workspace_id = ws;
        rec.integration_name = "api";
        rec.kind = "execute";
        rec.method = "GET";
        rec.url = "https://api.example.com/x";
        rec.status = "success";
        rec.created_at = core::FormatTimestamp(now_ - age);
        ASSERT_TRUE(db_->Transact({}, [&](store::Tx& tx) { store::InsertExecution(tx, rec); }));
    }

    // The workspace's record ids, newest first.
    std::vector<std::string> Ids(const char* ws) {
        std::vector<std::string> ids;
        EXPECT_TRUE(db_->Transact({.read_only = true}, [&](store::Tx& tx) {
            bool more = false;
            for (const auto& r : store::ListExecutions(tx, ws, {.limit = 1000}, more)) {
                ids.push_back(r.id);
            }
        }));
        return ids;
    }

    const core::TimePoint now_ = std::chrono::system_clock::now();
    std::string dir_;
    std::unique_ptr<store::Database> db_;
};

TEST_F(ExecutionRetentionTest, RecordsPastTheMaximumAgeGoInEveryWorkspace) {
    for (const char* ws : {kWsA, kWsB}) {
        Add(ws, 1, 24h * 40);
        Add(ws, 2, 24h * 30 + 1min);
        Add(ws, 3, 24h * 30 - 1min);
        Add(ws, 4, 1h);
    }
    auto report = SweepExecutions(*db_, {.max_age = 24h * 30}, now_);
    ASSERT_TRUE(report.has_value()) << report.error().internal;
    EXPECT_EQ(report->deleted_by_age, 4);
    EXPECT_EQ(report->deleted_by_count, 0);
    EXPECT_EQ(report->workspaces, 2);
    EXPECT_EQ(Ids(kWsA), (std::vector<std::string>{"aaaaaaaa-1004", "aaaaaaaa-1003"}));
    EXPECT_EQ(Ids(kWsB), (std::vector<std::string>{"bbbbbbbb-1004", "bbbbbbbb-1003"}));
}

TEST_F(ExecutionRetentionTest, EachWorkspaceKeepsItsNewestRecordsUpToTheCap) {
    // 25 records in A, pairs of them made at the same millisecond (the id breaks the tie, as the
    // list does); 3 in B, under the cap.
    for (int n = 0; n < 25; ++n) {
        Add(kWsA, n, std::chrono::milliseconds(1000 - (n / 2) * 10));
    }
    for (int n = 0; n < 3; ++n) {
        Add(kWsB, n, std::chrono::milliseconds(1000 - n));
    }
    const auto newest_a = Ids(kWsA);
    auto report = SweepExecutions(*db_, {.max_per_workspace = 10, .batch_size = 4}, now_);
    ASSERT_TRUE(report.has_value()) << report.error().internal;
    EXPECT_EQ(report->deleted_by_count, 15);
    // 15 deletions four at a time: batches of 4, 4, 4, 3 (the short one ends the walk); B, under
    // the cap, needs none.
    EXPECT_EQ(report->delete_transactions, 4);
    EXPECT_EQ(Ids(kWsA), std::vector<std::string>(newest_a.begin(), newest_a.begin() + 10));
    EXPECT_EQ(Ids(kWsB).size(), 3u);

    auto again = SweepExecutions(*db_, {.max_per_workspace = 10}, now_);
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->deleted_by_count, 0);
}

TEST_F(ExecutionRetentionTest, AgeAndCountApplyTogetherAndLargeBacklogsGoInBatches) {
    for (int n = 0; n < 2500; ++n) {
        Add(kWsA, n, 24h * 60 - std::chrono::milliseconds(n));
    }
    for (int n = 0; n < 20; ++n) {
        Add(kWsA, 5000 + n, std::chrono::minutes(60 - n));
    }
    auto report = SweepExecutions(
        *db_, {.max_age = 24h * 30, .max_per_workspace = 5, .batch_size = 1000}, now_);
    ASSERT_TRUE(report.has_value()) << report.error().internal;
    EXPECT_EQ(report->deleted_by_age, 2500);
    EXPECT_EQ(report->deleted_by_count, 15);
    EXPECT_EQ(Ids(kWsA).front(), "aaaaaaaa-6019");
    EXPECT_EQ(Ids(kWsA).size(), 5u);
    // A: 1000 + 1000 + 500 by age, then 15 by count; B: one by age that finds nothing.
    EXPECT_EQ(report->delete_transactions, 3 + 1 + 1);
}

TEST_F(ExecutionRetentionTest, APolicyOfZerosKeepsEverythingAndTouchesNothing) {
    Add(kWsA, 1, 24h * 3650);
    auto report = SweepExecutions(*db_, {}, now_);
    ASSERT_TRUE(report.has_value());
    EXPECT_EQ(report->delete_transactions, 0);
    EXPECT_EQ(Ids(kWsA).size(), 1u);
}

TEST_F(ExecutionRetentionTest, AStopRequestEndsTheSweepBeforeItsNextBatch) {
    for (int n = 0; n < 10; ++n) {
        Add(kWsA, n, 24h * 40);
    }
    std::stop_source stop;
    stop.request_stop();
    auto report = SweepExecutions(*db_, {.max_age = 24h, .batch_size = 2}, now_, stop.get_token());
    ASSERT_TRUE(report.has_value());
    EXPECT_EQ(report->delete_transactions, 0);
    EXPECT_EQ(Ids(kWsA).size(), 10u);
}

TEST_F(ExecutionRetentionTest, TheSweeperRunsAtStartAndStopsWithoutWaitingOutItsInterval) {
    Add(kWsA, 1, 24h * 40);
    Add(kWsA, 2, 1h);
    FixedClock clock(now_);
    const auto started = std::chrono::steady_clock::now();
    {
        ExecutionRetention sweeper(*db_, {.max_age = 24h * 30}, clock, std::chrono::hours(1));
        for (int i = 0; i < 200 && Ids(kWsA).size() != 1; ++i) {
            std::this_thread::sleep_for(10ms);
        }
        EXPECT_EQ(Ids(kWsA), std::vector<std::string>{"aaaaaaaa-1002"});
    }
    EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

}  // namespace
}  // namespace gc::calllog
