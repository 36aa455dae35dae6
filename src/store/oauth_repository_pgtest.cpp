// oauth_states and the refresh lease on PostgreSQL as the server's role: row level security
// keeps each workspace's states to itself, a state is consumed once, and a lease has one holder.
#include <gtest/gtest.h>

#include "store/database.hpp"
#include "store/migrations.hpp"
#include "store/oauth_repository.hpp"
#include "support/test_pg.hpp"

namespace gc::store {
namespace {

constexpr const char* kWsA = "aaaaaaaa-0000-4000-8000-00000000000a";
constexpr const char* kWsB = "bbbbbbbb-0000-4000-8000-00000000000b";
constexpr const char* kUserA = "aaaaaaaa-0000-4000-8000-0000000000aa";
constexpr const char* kUserB = "bbbbbbbb-0000-4000-8000-0000000000bb";
constexpr const char* kIntegrationA = "aaaaaaaa-0000-4000-8000-000000000a01";
constexpr const char* kCredentialA = "aaaaaaaa-0000-4000-8000-000000000c01";
constexpr const char* kNow = "2026-11-25T08:00:00.000Z";

class OAuthRepository : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_TRUE(pg_.Available()) << pg_.Reason();
        tdb_ = pg_.CreateDatabase();
        auto owner = OpenDatabase({.url = tdb_.owner_url, .pool_size = 1});
        ASSERT_TRUE(owner.has_value()) << owner.error().internal;
        auto m = Migrate(**owner, RoleFromPostgresUrl(tdb_.app_url));
        ASSERT_TRUE(m.has_value()) << m.error().message << " " << m.error().internal;
        const std::string su = tdb_.superuser_url;
        for (const auto& [ws, user] : {std::pair{kWsA, kUserA}, std::pair{kWsB, kUserB}}) {
            test::PgExec(su,
                         "INSERT INTO workspaces (id, name, personal, created_at, updated_at)"
                         " VALUES ($1, 'w', true, now(), now())",
                         {ws});
            test::PgExec(su,
                         "INSERT INTO users (id, email, password_hash, created_at, updated_at)"
                         " VALUES ($1::uuid, $1::text || '@example.com', 'x', now(), now())",
                         {user});
        }
        test::PgExec(su,
                     "INSERT INTO custom_integrations (id, workspace_id, name, display_name,"
                     " auth_type, base_url, created_at, updated_at) VALUES ($1, $2, 'api', 'API',"
                     " 'oauth2', 'https://x', now(), now())",
                     {kIntegrationA, kWsA});
        test::PgExec(su,
                     "INSERT INTO custom_integration_credentials (id, workspace_id, integration_id,"
                     " credential_type, encrypted_value, key_id, created_at, updated_at) VALUES"
                     " ($1, $2, $3, 'oauth2', 'gAAAAA', 'k1', now(), now())",
                     {kCredentialA, kWsA, kIntegrationA});
        auto app = OpenDatabase({.url = tdb_.app_url, .pool_size = 1});
        ASSERT_TRUE(app.has_value()) << app.error().internal;
        app_ = std::move(*app);
    }

    static OAuthStateRecord State(const std::string& hash) {
        return OAuthStateRecord{.id = "aaaaaaaa-0000-4000-8000-000000000501",
                                .workspace_id = kWsA,
                                .user_id = kUserA,
                                .integration_id = kIntegrationA,
                                .state_hash = hash,
                                .code_verifier = "gAAAAAverifier",
                                .key_id = "k1",
                                .redirect_uri = "http://127.0.0.1/api/oauth/callback",
                                .created_at = kNow,
                                .expires_at = "2026-11-25T08:10:00.000Z"};
    }

    static TxContext As(const char* ws, const char* user) {
        return {.workspace_id = ws, .user_id = user};
    }

    test::TestPg pg_;
    test::TestDatabase tdb_;
    std::unique_ptr<Database> app_;
};

TEST_F(OAuthRepository, StatesAreVisibleOnlyInTheirWorkspace) {
    ASSERT_TRUE(
        app_->Transact(As(kWsA, kUserA), [](Tx& tx) { InsertOAuthState(tx, State("h1")); }));
    std::string seen_b = "unset";
    ASSERT_TRUE(app_->Transact(As(kWsB, kUserB), [&](Tx& tx) {
        seen_b = tx.Query("SELECT COUNT(*) FROM oauth_states").at(0).Text(0);
    }));
    EXPECT_EQ(seen_b, "0");
    std::string seen_none = "unset";
    ASSERT_TRUE(app_->Transact({}, [&](Tx& tx) {
        seen_none = tx.Query("SELECT COUNT(*) FROM oauth_states").at(0).Text(0);
    }));
    EXPECT_EQ(seen_none, "0");
    // Writing a row for workspace A while acting for B is refused by the policy.
    OAuthStateRecord forged = State("h2");
    forged.id = "aaaaaaaa-0000-4000-8000-000000000502";
    EXPECT_FALSE(app_->Transact(As(kWsB, kUserB), [&](Tx& tx) { InsertOAuthState(tx, forged); }));
}

TEST_F(OAuthRepository, AStateIsConsumedOnceByItsUserBeforeItExpires) {
    ASSERT_TRUE(
        app_->Transact(As(kWsA, kUserA), [](Tx& tx) { InsertOAuthState(tx, State("h1")); }));
    std::optional<OAuthStateRecord> wrong_user;
    std::optional<OAuthStateRecord> late;
    std::optional<OAuthStateRecord> first;
    std::optional<OAuthStateRecord> second;
    std::optional<OAuthStateRecord> found;
    ASSERT_TRUE(app_->Transact(As(kWsA, kUserA), [&](Tx& tx) {
        wrong_user = ConsumeOAuthState(tx, kWsA, kUserB, "h1", kNow);
        late = ConsumeOAuthState(tx, kWsA, kUserA, "h1", "2026-11-25T08:10:00.000Z");
        first = ConsumeOAuthState(tx, kWsA, kUserA, "h1", kNow);
        second = ConsumeOAuthState(tx, kWsA, kUserA, "h1", kNow);
        found = FindOAuthState(tx, kWsA, "h1");
    }));
    EXPECT_FALSE(wrong_user);
    EXPECT_FALSE(late);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->integration_id, kIntegrationA);
    EXPECT_EQ(first->code_verifier, "gAAAAAverifier");
    EXPECT_EQ(first->used_at, kNow);
    EXPECT_FALSE(second);
    ASSERT_TRUE(found);
    EXPECT_TRUE(found->used_at);
}

TEST_F(OAuthRepository, ALeaseHasOneHolderUntilItEndsOrIsReleased) {
    const auto take = [&](const char* owner, const char* now, const char* until) {
        bool took = false;
        EXPECT_TRUE(app_->Transact(As(kWsA, kUserA), [&](Tx& tx) {
            took = TakeCredentialRefreshLease(tx, kWsA, kCredentialA, owner, now, until);
        }));
        return took;
    };
    EXPECT_TRUE(take("p1", kNow, "2026-11-25T08:00:30.000Z"));
    EXPECT_FALSE(take("p2", "2026-11-25T08:00:10.000Z", "2026-11-25T08:00:40.000Z"));
    EXPECT_TRUE(take("p2", "2026-11-25T08:00:30.000Z", "2026-11-25T08:01:00.000Z"));  // p1's ended
    bool released_by_other = true;
    bool released = false;
    ASSERT_TRUE(app_->Transact(As(kWsA, kUserA), [&](Tx& tx) {
        released_by_other = ReleaseCredentialRefreshLease(tx, kWsA, kCredentialA, "p1");
        released = ReleaseCredentialRefreshLease(tx, kWsA, kCredentialA, "p2");
    }));
    EXPECT_FALSE(released_by_other);
    EXPECT_TRUE(released);
    EXPECT_TRUE(take("p3", "2026-11-25T08:00:31.000Z", "2026-11-25T08:01:01.000Z"));
    // Another workspace cannot take it.
    bool took_b = true;
    ASSERT_TRUE(app_->Transact(As(kWsB, kUserB), [&](Tx& tx) {
        took_b = TakeCredentialRefreshLease(tx, kWsA, kCredentialA, "p4",
                                            "2027-01-01T00:00:00.000Z", "2027-01-01T00:01:00.000Z");
    }));
    EXPECT_FALSE(took_b);
}

}  // namespace
}  // namespace gc::store
