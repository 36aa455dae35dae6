// The vault_maintenance policy on PostgreSQL: the migration role sees every workspace's
// credentials only in a transaction that asks for it, and the server's role never does.
#include <gtest/gtest.h>

#include "store/credential_repository.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"
#include "support/test_pg.hpp"

namespace gc::store {
namespace {

constexpr const char* kWsA = "aaaaaaaa-0000-4000-8000-00000000000a";
constexpr const char* kWsB = "bbbbbbbb-0000-4000-8000-00000000000b";

class VaultMaintenancePolicy : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_TRUE(pg_.Available()) << pg_.Reason();
        tdb_ = pg_.CreateDatabase();
        auto owner = OpenDatabase({.url = tdb_.owner_url, .pool_size = 1});
        ASSERT_TRUE(owner.has_value()) << owner.error().internal;
        owner_ = std::move(*owner);
        auto m = Migrate(*owner_, RoleFromPostgresUrl(tdb_.app_url));
        ASSERT_TRUE(m.has_value()) << m.error().message << " " << m.error().internal;
        // One credential in each of two workspaces, written past RLS by the superuser.
        for (const char* ws : {kWsA, kWsB}) {
            test::PgExec(tdb_.superuser_url,
                         "INSERT INTO workspaces (id, name, personal, created_at, updated_at)"
                         " VALUES ($1, 'w', true, now(), now())",
                         {ws});
            test::PgExec(tdb_.superuser_url,
                         "WITH i AS (INSERT INTO custom_integrations (id, workspace_id, name,"
                         " display_name, auth_type, base_url, created_at, updated_at) VALUES"
                         " (gen_random_uuid(), $1, 'api', 'API', 'api_key', 'https://x', now(),"
                         " now()) RETURNING id)"
                         " INSERT INTO custom_integration_credentials (id, workspace_id,"
                         " integration_id, credential_type, encrypted_value, key_id, created_at,"
                         " updated_at) SELECT gen_random_uuid(), $1, id, 'api_key', 'gAAAAA', 'k1',"
                         " now(), now() FROM i",
                         {ws});
        }
        auto app = OpenDatabase({.url = tdb_.app_url, .pool_size = 1});
        ASSERT_TRUE(app.has_value()) << app.error().internal;
        app_ = std::move(*app);
    }

    // Credentials visible in one transaction on db, with or without BeginVaultMaintenance.
    std::int64_t Visible(Database& db, bool maintenance, const TxContext& ctx = {}) {
        std::int64_t n = -1;
        auto r = db.Transact(ctx, [&](Tx& tx) {
            if (maintenance) {
                BeginVaultMaintenance(tx);
            }
            n = 0;
            for (const auto& kc : CountCredentialsByKey(tx)) {
                n += kc.count;
            }
        });
        EXPECT_TRUE(r.has_value()) << r.error().internal;
        return n;
    }

    test::TestPg pg_;
    test::TestDatabase tdb_;
    std::unique_ptr<Database> owner_;
    std::unique_ptr<Database> app_;
};

TEST_F(VaultMaintenancePolicy, TheMigrationRoleSeesEveryWorkspaceOnlyWhenItAsks) {
    EXPECT_EQ(Visible(*owner_, false), 0);
    EXPECT_EQ(Visible(*owner_, true), 2);
    // The setting is per transaction: the next one on the same pooled connection sees nothing.
    EXPECT_EQ(Visible(*owner_, false), 0);
    bool rewrapped = false;
    ASSERT_TRUE(owner_->Transact({}, [&](Tx& tx) {
        BeginVaultMaintenance(tx);
        auto rows = ListCredentialsNotOnKey(tx, "k2", kNilUuid, 10);
        ASSERT_EQ(rows.size(), 2u);
        rewrapped = RewrapCredential(tx, rows[0], "k2", "gAAAAB");
    }));
    EXPECT_TRUE(rewrapped);
}

TEST_F(VaultMaintenancePolicy, TheServersRoleCannotUseIt) {
    EXPECT_EQ(Visible(*app_, true), 0);
    EXPECT_EQ(Visible(*app_, true, {.workspace_id = kWsA}), 1);
    auto r = app_->Transact({}, [&](Tx& tx) {
        BeginVaultMaintenance(tx);
        EXPECT_EQ(tx.Exec("UPDATE custom_integration_credentials SET key_id = 'x'"), 0);
    });
    EXPECT_TRUE(r.has_value());
    EXPECT_EQ(test::PgExec(tdb_.superuser_url,
                           "SELECT COUNT(*) FROM custom_integration_credentials WHERE key_id = 'x'")
                  .at(0)
                  .at(0),
              "0");
}

}  // namespace
}  // namespace gc::store
