// The call log on SQLite: migration 005 (a clustered table with ascending indexes) keeps every
// record of an older database, and the list queries read an index in order instead of sorting.
#include "store/execution_repository.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "store/migrations.hpp"

namespace gc::store {
namespace {

constexpr int kBeforeClustering = 4;  // the last migration with the rowid table

class ExecutionRepositoryTest : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/gc-executions-XXXXXX";
        dir_ = mkdtemp(tmpl);
        auto db = OpenDatabase({.url = "", .sqlite_path = dir_ + "/connector.db", .pool_size = 1});
        ASSERT_TRUE(db.has_value());
        db_ = std::move(*db);
    }
    void TearDown() override {
        db_.reset();
        std::filesystem::remove_all(dir_);
    }

    // A workspace "w1" with user "u1" and integration "i1".
    void AddOwners() {
        ASSERT_TRUE(db_->Transact({}, [](Tx& tx) {
            tx.Exec(
                "INSERT INTO users (id, email, name, password_hash, created_at, updated_at)"
                " VALUES ('u1', 'ada@example.com', 'Ada', 'x', 't', 't')");
            tx.Exec(
                "INSERT INTO workspaces (id, name, personal, created_at, updated_at)"
                " VALUES ('w1', 'Ada', 1, 't', 't')");
            tx.Exec(
                "INSERT INTO custom_integrations (id, workspace_id, name, display_name, auth_type,"
                " base_url, created_at, updated_at)"
                " VALUES ('i1', 'w1', 'stripe', 'Stripe', 'bearer', 'https://api.example.com',"
                " 't', 't')");
        }));
    }

    static ExecutionRecord Record(const std::string& id, const std::string& created_at,
                                  const std::string& status) {
        ExecutionRecord r;
        r.id = id;
        r.workspace_id = "w1";
        r.user_id = "u1";
        r.integration_id = "i1";
        r.integration_name = "stripe";
        r.action_id = status == "success" ? "list_charges" : "";
        r.kind = status == "success" ? "execute" : "test";
        r.method = "GET";
        r.url = "https://api.example.com/charges?api_key=%5Bredacted%5D";
        r.status = status;
        if (status == "success") {
            r.status_code = 200;
        } else {
            r.error_code = "upstream_timeout";
            r.error_message = "api.example.com:443 did not answer within 30000 ms";
        }
        r.attempts = 3;
        r.duration_ms = 42;
        r.created_at = created_at;
        return r;
    }

    std::vector<ExecutionRecord> List(const ExecutionFilter& filter) {
        std::vector<ExecutionRecord> out;
        bool has_more = false;
        EXPECT_TRUE(
            db_->Transact({}, [&](Tx& tx) { out = ListExecutions(tx, "w1", filter, has_more); }));
        return out;
    }

    // The lines of SQLite's plan for ListExecutions with this filter.
    std::string PlanOf(const ExecutionFilter& filter) {
        const SqlStatement st = ListExecutionsStatement("w1", filter);
        std::string plan;
        EXPECT_TRUE(db_->Transact({}, [&](Tx& tx) {
            for (const Row& r : tx.Query("EXPLAIN QUERY PLAN " + st.sql, st.params)) {
                plan += r.Text(3) + "\n";
            }
        }));
        return plan;
    }

    std::string dir_;
    std::unique_ptr<Database> db_;
};

void ExpectSameRecord(const ExecutionRecord& got, const ExecutionRecord& want) {
    EXPECT_EQ(got.id, want.id);
    EXPECT_EQ(got.workspace_id, want.workspace_id);
    EXPECT_EQ(got.user_id, want.user_id);
    EXPECT_EQ(got.integration_id, want.integration_id);
    EXPECT_EQ(got.integration_name, want.integration_name);
    EXPECT_EQ(got.action_id, want.action_id);
    EXPECT_EQ(got.kind, want.kind);
    EXPECT_EQ(got.method, want.method);
    EXPECT_EQ(got.url, want.url);
    EXPECT_EQ(got.status, want.status);
    EXPECT_EQ(got.status_code, want.status_code);
    EXPECT_EQ(got.attempts, want.attempts);
    EXPECT_EQ(got.duration_ms, want.duration_ms);
    EXPECT_EQ(got.error_code, want.error_code);
    EXPECT_EQ(got.error_message, want.error_message);
    EXPECT_EQ(got.created_at, want.created_at);
}

TEST_F(ExecutionRepositoryTest, UpgradingKeepsEveryRecordItsOrderAndItsForeignKeys) {
    auto old = MigrateTo(*db_, kBeforeClustering);
    ASSERT_TRUE(old.has_value());
    ASSERT_EQ(old->current_version, kBeforeClustering);
    AddOwners();
    // Two share a timestamp: the id breaks the tie, newest (largest) first.
    const std::vector<ExecutionRecord> written{
        Record("0190a000-0000-7000-8000-000000000001", "2026-11-30T10:00:00.000Z", "success"),
        Record("0190a000-0000-7000-8000-000000000002", "2026-11-30T10:00:01.000Z", "error"),
        Record("0190a000-0000-7000-8000-000000000003", "2026-11-30T10:00:01.000Z", "success"),
        Record("0190a000-0000-7000-8000-000000000004", "2026-11-30T10:00:02.000Z", "error")};
    ASSERT_TRUE(db_->Transact({}, [&](Tx& tx) {
        for (const auto& r : written) {
            InsertExecution(tx, r);
        }
    }));

    auto upgraded = Migrate(*db_);
    ASSERT_TRUE(upgraded.has_value());
    ASSERT_EQ(upgraded->applied, std::vector<std::string>{"005_executions_clustered"});

    const auto all = List({});
    ASSERT_EQ(all.size(), 4u);
    for (std::size_t i = 0; i < all.size(); ++i) {
        ExpectSameRecord(all[i], written[written.size() - 1 - i]);
    }
    const auto errors = List({.status = "error"});
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_EQ(errors[0].id, written[3].id);
    EXPECT_EQ(errors[1].id, written[1].id);
    const auto page = List({.after = ListPosition{written[2].created_at, written[2].id}});
    ASSERT_EQ(page.size(), 2u);
    EXPECT_EQ(page[0].id, written[1].id);
    EXPECT_EQ(page[1].id, written[0].id);

    // The rebuilt table's foreign keys still act: a deleted integration leaves its name, a
    // deleted workspace takes its log with it.
    ASSERT_TRUE(db_->Transact(
        {}, [](Tx& tx) { tx.Exec("DELETE FROM custom_integrations WHERE id = 'i1'"); }));
    const auto orphaned = List({});
    ASSERT_EQ(orphaned.size(), 4u);
    EXPECT_EQ(orphaned[0].integration_id, "");
    EXPECT_EQ(orphaned[0].integration_name, "stripe");
    ASSERT_TRUE(
        db_->Transact({}, [](Tx& tx) { tx.Exec("DELETE FROM workspaces WHERE id = 'w1'"); }));
    EXPECT_TRUE(List({}).empty());
}

TEST_F(ExecutionRepositoryTest, TheLogIsClusteredAndEveryListReadsAnIndexInOrder) {
    ASSERT_TRUE(Migrate(*db_).has_value());
    std::string ddl;
    ASSERT_TRUE(db_->Transact({}, [&](Tx& tx) {
        ddl = tx.Query("SELECT sql FROM sqlite_schema WHERE name = 'executions'").at(0).Text(0);
    }));
    EXPECT_NE(ddl.find("WITHOUT ROWID"), std::string::npos) << ddl;

    const ListPosition cursor{"2026-11-30T10:00:01.000Z", "0190a000-0000-7000-8000-000000000003"};
    const std::vector<std::pair<ExecutionFilter, std::string>> cases{
        {{}, "executions_list_idx"},
        {{.after = cursor}, "executions_list_idx"},
        {{.integration_id = "i1"}, "executions_integration_idx"},
        {{.integration_id = "i1", .after = cursor}, "executions_integration_idx"},
        {{.status = "error"}, "executions_status_idx"},
        {{.status = "error", .after = cursor}, "executions_status_idx"}};
    for (const auto& [filter, index] : cases) {
        const std::string plan = PlanOf(filter);
        EXPECT_NE(plan.find("USING INDEX " + index), std::string::npos) << plan;
        EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << "sorts instead:\n" << plan;
    }
}

}  // namespace
}  // namespace gc::store
