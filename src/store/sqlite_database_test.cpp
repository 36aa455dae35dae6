// The SQLite backend: migrations, transactions, file permissions, error mapping.
#include "store/sqlite_database.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "store/database.hpp"
#include "store/migrations.hpp"

namespace gc::store {
namespace {

class SqliteDatabaseTest : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/gc-sqlite-XXXXXX";
        dir_ = mkdtemp(tmpl);
        path_ = dir_ + "/connector.db";
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::unique_ptr<Database> Open() {
        auto db = OpenDatabase({.url = "", .sqlite_path = path_, .pool_size = 2});
        EXPECT_TRUE(db.has_value());
        return std::move(db.value());
    }

    std::string dir_;
    std::string path_;
};

TEST_F(SqliteDatabaseTest, CreatesFileReadableOnlyByOwner) {
    auto db = Open();
    struct stat st {};
    ASSERT_EQ(::stat(path_.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(SqliteDatabaseTest, AppliesEachMigrationOnce) {
    auto db = Open();
    auto first = Migrate(*db);
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->applied.size(), Embedded_sqlite().size());
    EXPECT_EQ(first->current_version, Embedded_sqlite().back().version);
    auto second = Migrate(*db);
    ASSERT_TRUE(second.has_value());
    EXPECT_TRUE(second->applied.empty());
    int recorded = 0;
    ASSERT_TRUE(db->Transact({}, [&](Tx& tx) {
        recorded = int(tx.Query("SELECT COUNT(*) FROM schema_migrations").at(0).Int(0));
    }));
    EXPECT_EQ(recorded, int(Embedded_sqlite().size()));
}

TEST_F(SqliteDatabaseTest, RollsBackWhenCallbackThrows) {
    auto db = Open();
    ASSERT_TRUE(Migrate(*db));
    auto r = db->Transact({}, [](Tx& tx) {
        tx.Exec(
            "INSERT INTO workspaces (id, name, personal, created_at, updated_at)"
            " VALUES ('w1', 'x', 1, 't', 't')");
        throw core::ErrorException(core::Error::NotFound("thing"));
    });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::ErrorCode::kNotFound);
    std::int64_t count = -1;
    ASSERT_TRUE(db->Transact(
        {}, [&](Tx& tx) { count = tx.Query("SELECT COUNT(*) FROM workspaces").at(0).Int(0); }));
    EXPECT_EQ(count, 0);
}

TEST_F(SqliteDatabaseTest, MapsUniqueViolationToConflictWithoutDatabaseText) {
    auto db = Open();
    ASSERT_TRUE(Migrate(*db));
    const std::string insert =
        "INSERT INTO workspaces (id, name, personal, created_at, updated_at)"
        " VALUES ('w1', 'x', 1, 't', 't')";
    ASSERT_TRUE(db->Transact({}, [&](Tx& tx) { tx.Exec(insert); }));
    auto r = db->Transact({}, [&](Tx& tx) { tx.Exec(insert); });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::ErrorCode::kConflict);
    EXPECT_EQ(r.error().message.find("UNIQUE"), std::string::npos);
    EXPECT_NE(r.error().internal.find("UNIQUE"), std::string::npos);
}

TEST_F(SqliteDatabaseTest, BindsNumberedParametersInAnyOrder) {
    auto db = Open();
    std::string got;
    ASSERT_TRUE(db->Transact({}, [&](Tx& tx) {
        got = tx.Query("SELECT $2 || $1 || $2", {std::string("a"), std::string("b")}).at(0).Text(0);
    }));
    EXPECT_EQ(got, "bab");
}

TEST_F(SqliteDatabaseTest, TheWalIsCheckpointedAsItGrows) {
    // SQLite's own checkpoint is off (it would stall the commit that crosses its threshold);
    // the database's checkpointer thread must keep the WAL from growing without end.
    auto db = Open();
    ASSERT_TRUE(db->Transact({}, [](Tx& tx) { tx.Exec("CREATE TABLE blobs (b blob)"); }));
    const std::string blob(std::size_t{256} * 1024, 'x');  // about 65 WAL pages a commit
    for (int i = 0; i < 40; ++i) {
        ASSERT_TRUE(
            db->Transact({}, [&](Tx& tx) { tx.Exec("INSERT INTO blobs VALUES ($1)", {blob}); }));
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    // 40 commits wrote about 10.7 MB of WAL; checkpoints every 1000 pages (4 MB) let the WAL
    // start over, so the file stays near that size.
    const auto wal_bytes = std::filesystem::file_size(path_ + "-wal");
    EXPECT_LT(wal_bytes, 8u * 1024 * 1024);
    std::int64_t rows = 0;
    ASSERT_TRUE(db->Transact(
        {}, [&](Tx& tx) { rows = tx.Query("SELECT count(*) FROM blobs").at(0).Int(0); }));
    EXPECT_EQ(rows, 40);
}

TEST_F(SqliteDatabaseTest, AnOversizedWalIsTruncatedOnceCommitsPauseNotByACommit) {
    auto opened = OpenSqliteDatabase(path_, 2,
                                     {.size_limit_bytes = std::uintmax_t{2} * 1024 * 1024,
                                      .idle = std::chrono::milliseconds(300)});
    ASSERT_TRUE(opened.has_value());
    auto& db = **opened;
    ASSERT_TRUE(db.Transact({}, [](Tx& tx) { tx.Exec("CREATE TABLE blobs (b blob)"); }));
    // A reader holding its snapshot keeps checkpoints from finishing, so the WAL grows past the
    // limit: 24 commits of 256 KiB, about 6 MB.
    sqlite3* reader = nullptr;
    ASSERT_EQ(sqlite3_open_v2(path_.c_str(), &reader, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(reader, "BEGIN; SELECT count(*) FROM blobs;", nullptr, nullptr, nullptr),
              SQLITE_OK);
    const std::string blob(std::size_t{256} * 1024, 'x');
    auto insert = [&] {
        ASSERT_TRUE(
            db.Transact({}, [&](Tx& tx) { tx.Exec("INSERT INTO blobs VALUES ($1)", {blob}); }));
    };
    for (int i = 0; i < 24; ++i) {
        insert();
    }
    sqlite3_exec(reader, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(reader);
    const auto wal = path_ + "-wal";
    ASSERT_GT(std::filesystem::file_size(wal), std::uintmax_t{4} * 1024 * 1024);
    // Commits keep coming faster than the idle time: the file keeps its size (no commit
    // truncates it), though checkpoints let the WAL start over inside it.
    for (int i = 0; i < 20; ++i) {
        insert();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_GT(std::filesystem::file_size(wal), std::uintmax_t{4} * 1024 * 1024);
    // Then a pause: the checkpointer truncates it.
    for (int i = 0; i < 100 && std::filesystem::file_size(wal) > std::uintmax_t{2} * 1024 * 1024;
         ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_LE(std::filesystem::file_size(wal), std::uintmax_t{2} * 1024 * 1024);
    std::int64_t rows = 0;
    ASSERT_TRUE(db.Transact(
        {}, [&](Tx& tx) { rows = tx.Query("SELECT count(*) FROM blobs").at(0).Int(0); }));
    EXPECT_EQ(rows, 44);
}

}  // namespace
}  // namespace gc::store
