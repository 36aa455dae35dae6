// Row level security on PostgreSQL: the database itself keeps workspaces apart, even when a
// query leaves out the application's own workspace filter.
#include <gtest/gtest.h>

#include "store/database.hpp"
#include "store/migrations.hpp"
#include "support/test_pg.hpp"

namespace gc::store {
namespace {

constexpr const char* kWsA = "aaaaaaaa-0000-4000-8000-000000000001";
constexpr const char* kWsB = "bbbbbbbb-0000-4000-8000-000000000002";

class PostgresRls : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_TRUE(pg_.Available()) << pg_.Reason();
        tdb_ = pg_.CreateDatabase();
        {
            auto owner = OpenDatabase({.url = tdb_.owner_url, .pool_size = 1});
            ASSERT_TRUE(owner.has_value()) << owner.error().internal;
            auto m = Migrate(**owner, RoleFromPostgresUrl(tdb_.app_url));
            ASSERT_TRUE(m.has_value()) << m.error().message << " " << m.error().internal;
        }
        // Two workspaces with one integration each, written past RLS by the superuser.
        for (const char* ws : {kWsA, kWsB}) {
            test::PgExec(tdb_.superuser_url,
                         "INSERT INTO workspaces (id, name, personal, created_at, updated_at)"
                         " VALUES ($1, 'w', true, now(), now())",
                         {ws});
            test::PgExec(
                tdb_.superuser_url,
                "INSERT INTO custom_integrations (id, workspace_id, name, display_name,"
                " auth_type, base_url, created_at, updated_at)"
                " VALUES (gen_random_uuid(), $1, 'api', 'API', 'none', 'https://x', now(), now())",
                {ws});
        }
        auto app = OpenDatabase({.url = tdb_.app_url, .pool_size = 1});
        ASSERT_TRUE(app.has_value()) << app.error().internal;
        app_ = std::move(*app);
    }

    std::int64_t CountVisible(const TxContext& ctx) {
        std::int64_t n = -1;
        auto r = app_->Transact(ctx, [&](Tx& tx) {
            // No WHERE workspace_id: only the database's policy stands between the tenants.
            n = tx.Query("SELECT COUNT(*) FROM custom_integrations").at(0).Int(0);
        });
        EXPECT_TRUE(r.has_value()) << r.error().internal;
        return n;
    }

    test::TestPg pg_;
    test::TestDatabase tdb_;
    std::unique_ptr<Database> app_;
};

TEST_F(PostgresRls, NoTenantMeansNoRowsNotAnError) { EXPECT_EQ(CountVisible({}), 0); }

TEST_F(PostgresRls, ReadsOnlyTheTenantsRowsWithoutAnApplicationFilter) {
    EXPECT_EQ(CountVisible({.workspace_id = kWsA}), 1);
    std::string seen;
    ASSERT_TRUE(app_->Transact({.workspace_id = kWsA}, [&](Tx& tx) {
        seen = tx.Query("SELECT workspace_id FROM custom_integrations").at(0).Text(0);
    }));
    EXPECT_EQ(seen, kWsA);
}

TEST_F(PostgresRls, RefusesWritingAnotherWorkspacesRow) {
    auto r = app_->Transact({.workspace_id = kWsA}, [&](Tx& tx) {
        tx.Exec(
            "INSERT INTO custom_integrations (id, workspace_id, name, display_name, auth_type,"
            " base_url, created_at, updated_at) VALUES (gen_random_uuid(), $1, 'evil', 'e',"
            " 'none', 'https://x', now(), now())",
            {std::string(kWsB)});
    });
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().internal.find("row-level security"), std::string::npos)
        << r.error().internal;
    EXPECT_EQ(r.error().message.find("row-level"), std::string::npos);  // not shown to clients
}

TEST_F(PostgresRls, UpdatesAndDeletesOfAnotherWorkspaceChangeNothing) {
    std::int64_t updated = -1;
    std::int64_t deleted = -1;
    ASSERT_TRUE(app_->Transact({.workspace_id = kWsA}, [&](Tx& tx) {
        updated = tx.Exec("UPDATE custom_integrations SET name = 'taken' WHERE workspace_id = $1",
                          {std::string(kWsB)});
        deleted =
            tx.Exec("DELETE FROM custom_integrations WHERE workspace_id = $1", {std::string(kWsB)});
    }));
    EXPECT_EQ(updated, 0);
    EXPECT_EQ(deleted, 0);
    EXPECT_EQ(test::PgExec(tdb_.superuser_url,
                           "SELECT name FROM custom_integrations WHERE workspace_id = $1", {kWsB})
                  .at(0)
                  .at(0),
              "api");
}

TEST_F(PostgresRls, MovingARowToAnotherWorkspaceIsRefused) {
    auto r = app_->Transact({.workspace_id = kWsA}, [&](Tx& tx) {
        tx.Exec("UPDATE custom_integrations SET workspace_id = $1", {std::string(kWsB)});
    });
    EXPECT_FALSE(r.has_value());
}

TEST_F(PostgresRls, APooledConnectionCarriesNoTenantIntoTheNextTransaction) {
    // pool_size 1: both transactions run on the same connection.
    EXPECT_EQ(CountVisible({.workspace_id = kWsA}), 1);
    std::string leftover = "unset";
    ASSERT_TRUE(app_->Transact({}, [&](Tx& tx) {
        leftover = tx.Query("SELECT COALESCE(current_setting('app.workspace_id', true), '')")
                       .at(0)
                       .Text(0);
    }));
    EXPECT_EQ(leftover, "");
    EXPECT_EQ(CountVisible({}), 0);
    EXPECT_EQ(CountVisible({.workspace_id = kWsB}), 1);
}

TEST_F(PostgresRls, TheServersRoleIsNeitherOwnerNorSuperuserNorBypassrlsNorTruncator) {
    std::string role, super, bypass, owner, truncate;
    ASSERT_TRUE(app_->Transact({}, [&](Tx& tx) {
        auto row =
            tx.Query(
                  "SELECT current_user, r.rolsuper::text, r.rolbypassrls::text,"
                  " (SELECT tableowner FROM pg_tables WHERE tablename = 'custom_integrations'),"
                  " has_table_privilege('custom_integrations', 'TRUNCATE')::text"
                  " FROM pg_roles r WHERE r.rolname = current_user")
                .at(0);
        role = row.Text(0);
        super = row.Text(1);
        bypass = row.Text(2);
        owner = row.Text(3);
        truncate = row.Text(4);
    }));
    EXPECT_EQ(super, "false");
    EXPECT_EQ(bypass, "false");
    EXPECT_NE(owner, role);
    EXPECT_EQ(truncate, "false");
    auto r = app_->Transact({}, [&](Tx& tx) {
        tx.ExecScript("ALTER TABLE custom_integrations DISABLE ROW LEVEL SECURITY");
    });
    EXPECT_FALSE(r.has_value());
}

TEST_F(PostgresRls, EveryTenantTableHasForcedRlsAndPoliciesWithCheck) {
    auto rows = test::PgExec(
        tdb_.superuser_url,
        "SELECT c.relname, c.relrowsecurity::text, c.relforcerowsecurity::text,"
        // A policy that lets rows be written must check them; SELECT and DELETE policies write
        // nothing and cannot have WITH CHECK.
        " (SELECT COUNT(*) FROM pg_policies p WHERE p.tablename = c.relname"
        " AND p.cmd IN ('ALL', 'INSERT', 'UPDATE') AND p.with_check IS NULL)"
        " FROM pg_class c JOIN information_schema.columns col ON col.table_name = c.relname"
        " WHERE col.column_name = 'workspace_id' AND col.table_schema = 'public' AND c.relkind = "
        "'r'"
        " AND c.relname NOT IN ('sessions', 'api_tokens')");
    ASSERT_GE(rows.size(), 4u);
    for (const auto& r : rows) {
        EXPECT_EQ(r.at(1), "true") << r.at(0);
        EXPECT_EQ(r.at(2), "true") << r.at(0);
        EXPECT_EQ(r.at(3), "0") << r.at(0) << " has a policy without WITH CHECK";
    }
}

TEST_F(PostgresRls, MigrationsAreRecordedAndAppliedOnce) {
    auto owner = OpenDatabase({.url = tdb_.owner_url, .pool_size = 1});
    ASSERT_TRUE(owner.has_value());
    auto again = Migrate(**owner, RoleFromPostgresUrl(tdb_.app_url));
    ASSERT_TRUE(again.has_value());
    EXPECT_TRUE(again->applied.empty());
    EXPECT_EQ(
        test::PgExec(tdb_.superuser_url, "SELECT COUNT(*) FROM schema_migrations").at(0).at(0),
        std::to_string(Embedded_pg().size()));
}

}  // namespace
}  // namespace gc::store
