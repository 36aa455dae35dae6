// Smoke test of the pg fixture: the roles pg_up.sh creates are enough for the server's design
// (gc_owner owns and migrates, gc_app is held by FORCE'd row level security).
#include <gtest/gtest.h>

#include "support/test_pg.hpp"

namespace gc::test {
namespace {

TEST(PgSmoke, AppRoleIsBoundByRowLevelSecurityOwnerIsNot) {
    TestPg pg;
    ASSERT_TRUE(pg.Available()) << pg.Reason();
    TestDatabase db = pg.CreateDatabase();
    PgExec(db.owner_url, R"sql(
        CREATE TABLE notes(id serial PRIMARY KEY, workspace_id text NOT NULL, v text);
        GRANT SELECT, INSERT, UPDATE, DELETE ON notes TO gc_app;
        GRANT USAGE ON SEQUENCE notes_id_seq TO gc_app;
        ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
        ALTER TABLE notes FORCE ROW LEVEL SECURITY;
        CREATE POLICY tenant ON notes
          USING (workspace_id = NULLIF(current_setting('app.workspace_id', true), ''))
          WITH CHECK (workspace_id = NULLIF(current_setting('app.workspace_id', true), ''));
    )sql");
    PgExec(db.superuser_url, "INSERT INTO notes(workspace_id, v) VALUES ('w1','a'), ('w2','b')");

    PgConnection app(db.app_url);
    EXPECT_TRUE(app.Exec("SELECT v FROM notes").empty());  // no tenant: no rows, no error
    app.Exec("BEGIN");
    app.Exec("SELECT set_config('app.workspace_id', $1, true)", {"w1"});
    EXPECT_EQ(app.Exec("SELECT v FROM notes"), (PgRows{{"a"}}));
    auto foreign = app.Try("INSERT INTO notes(workspace_id, v) VALUES ('w2', 'x')");
    ASSERT_FALSE(foreign);
    EXPECT_EQ(foreign.error().message.substr(0, 5), "42501") << foreign.error().message;
    app.Exec("ROLLBACK");
    // The tenant was transaction-local: the same session sees nothing again.
    EXPECT_TRUE(app.Exec("SELECT v FROM notes").empty());

    EXPECT_FALSE(app.Try("ALTER TABLE notes DISABLE ROW LEVEL SECURITY"));
    EXPECT_FALSE(app.Try("TRUNCATE notes"));
    EXPECT_EQ(PgExec(db.superuser_url, "SELECT count(*) FROM notes")[0][0], "2");
}

}  // namespace
}  // namespace gc::test
