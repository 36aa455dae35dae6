// Group commit of the call log on SQLite: everything queued is written, in few commits, a bad
// record fails alone, and nothing queued is lost when the writer stops.
#include "calllog/execution_writer.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "store/migrations.hpp"

namespace gc::calllog {
namespace {

constexpr const char* kWorkspace = "aaaaaaaa-0000-4000-8000-00000000000a";

class ExecutionWriterTest : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/gc-writer-XXXXXX";
        dir_ = mkdtemp(tmpl);
        auto db = store::OpenDatabase({.sqlite_path = dir_ + "/connector.db", .pool_size = 2});
        ASSERT_TRUE(db.has_value());
        db_ = std::move(*db);
        ASSERT_TRUE(store::Migrate(*db_).has_value());
        auto r = db_->Transact({}, [](store::Tx& tx) {
            tx.Exec(
                "INSERT INTO workspaces (id, name, personal, created_at, updated_at)"
                " VALUES ($1, 'w', 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
                {std::string(kWorkspace)});
        });
        ASSERT_TRUE(r.has_value()) << r.error().internal;
    }
    void TearDown() override {
        db_.reset();
        std::filesystem::remove_all(dir_);
    }

    static store::ExecutionRecord Record(const std::string& kind = "execute") {
        store::ExecutionRecord rec;
        rec.id = core::NewTimeOrderedUuid();
        rec.workspace_id = kWorkspace;
        rec.integration_name = "api";
        rec.kind = kind;
        rec.method = "GET";
        rec.url = "https://api.example.com/x";
        rec.status = "success";
        rec.status_code = 200;
        rec.attempts = 1;
        rec.created_at = core::FormatTimestamp(std::chrono::system_clock::now());
        return rec;
    }

    std::string Scalar(const std::string& sql) {
        std::string out;
        auto r = db_->Transact({.read_only = true}, [&](store::Tx& tx) {
            auto rows = tx.Query(sql);
            out = rows.empty() || rows[0].IsNull(0) ? "NULL" : rows[0].Text(0);
        });
        EXPECT_TRUE(r.has_value());
        return out;
    }

    std::string dir_;
    std::unique_ptr<store::Database> db_;
};

TEST_F(ExecutionWriterTest, EveryRecordQueuedFromManyThreadsIsWrittenOnce) {
    constexpr int kThreads = 4;
    constexpr int kEach = 250;
    std::atomic<int> ok{0};
    std::atomic<int> failed{0};
    {
        ExecutionWriter writer(*db_);
        std::vector<std::thread> threads;
        threads.reserve(kThreads);
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&] {
                for (int i = 0; i < kEach; ++i) {
                    writer.Write(Record(),
                                 [&](const core::Result<void>& r) { ++(r ? ok : failed); });
                }
            });
        }
        for (auto& t : threads) {
            t.join();
        }
        // Stopping the writer waits for everything queued.
    }
    EXPECT_EQ(ok.load(), kThreads * kEach);
    EXPECT_EQ(failed.load(), 0);
    EXPECT_EQ(Scalar("SELECT count(*) FROM executions"), std::to_string(kThreads * kEach));
}

TEST_F(ExecutionWriterTest, RecordsQueuedTogetherAreWrittenInOneCommit) {
    ExecutionWriter writer(*db_);
    std::atomic<int> done{0};
    // Hold the database's write lock so the writer's first commit waits while 300 more queue.
    std::promise<void> release;
    std::thread holder(
        [&] { (void)db_->Transact({}, [&](store::Tx&) { release.get_future().wait(); }); });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    for (int i = 0; i < 300; ++i) {
        writer.Write(Record(), [&](const core::Result<void>& r) {
            EXPECT_TRUE(r.has_value());
            ++done;
        });
    }
    release.set_value();
    holder.join();
    for (int i = 0; i < 500 && done.load() < 300; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_EQ(done.load(), 300);
    // At most: the first record alone, then batches of up to 256.
    EXPECT_LE(writer.commits(), 3u);
    EXPECT_EQ(writer.records_written(), 300u);
}

TEST_F(ExecutionWriterTest, ARecordThatCannotBeStoredFailsAloneNotItsBatch) {
    std::atomic<int> ok{0};
    std::atomic<int> failed{0};
    {
        ExecutionWriter writer(*db_);
        std::promise<void> release;
        std::thread holder(
            [&] { (void)db_->Transact({}, [&](store::Tx&) { release.get_future().wait(); }); });
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        for (int i = 0; i < 40; ++i) {
            // The CHECK on kind refuses this one.
            writer.Write(Record(i == 20 ? "bogus" : "execute"),
                         [&](const core::Result<void>& r) { ++(r ? ok : failed); });
        }
        release.set_value();
        holder.join();
    }
    EXPECT_EQ(failed.load(), 1);
    EXPECT_EQ(ok.load(), 39);
    EXPECT_EQ(Scalar("SELECT count(*) FROM executions"), "39");
}

TEST_F(ExecutionWriterTest, ACallWhoseIntegrationWasDeletedIsStillLoggedByName) {
    {
        ExecutionWriter writer(*db_);
        auto rec = Record();
        rec.integration_id = core::NewUuid();  // deleted while the call was in flight
        rec.integration_name = "gone";
        writer.Write(rec, [](const core::Result<void>& r) { EXPECT_TRUE(r.has_value()); });
    }
    EXPECT_EQ(Scalar("SELECT integration_name FROM executions"), "gone");
    EXPECT_EQ(Scalar("SELECT integration_id FROM executions"), "NULL");
}

}  // namespace
}  // namespace gc::calllog
