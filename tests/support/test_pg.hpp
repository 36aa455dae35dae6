// Throwaway PostgreSQL for tests: reads the cluster that pg_up.sh started (GC_PG_ENV_FILE), makes a
// fresh database per test, and runs SQL through libpq for assertions.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/error.hpp"

struct pg_conn;

namespace gc::test {

// Rows of a result as text; a SQL NULL comes back as kPgNull.
using PgRows = std::vector<std::vector<std::string>>;
inline constexpr const char* kPgNull = "\\N";

// One libpq connection, for tests that need several statements on the same session (transactions,
// set_config, pooled-connection checks). Not thread-safe; move-only.
class PgConnection {
  public:
    // Connects to a libpq URI (postgresql://user@/db?host=/sock&port=N). Throws std::runtime_error
    // with libpq's message when the connection fails.
    explicit PgConnection(const std::string& url);
    ~PgConnection();
    PgConnection(PgConnection&& other) noexcept;
    PgConnection& operator=(PgConnection&& other) noexcept;
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    // Runs sql (several statements allowed when params is empty; the last one's rows are returned).
    // params bind to $1..$n as text. Throws std::runtime_error with the server's message on error.
    PgRows Exec(const std::string& sql, const std::vector<std::string>& params = {});
    // As Exec, but a failing statement is a value: the error's message is "SQLSTATE: message"
    // (e.g. "42501: permission denied for table x"). Use it to assert what the database refuses.
    core::Result<PgRows> Try(const std::string& sql, const std::vector<std::string>& params = {});

  private:
    pg_conn* conn_ = nullptr;
};

// Opens a connection, runs Exec, closes. Throws std::runtime_error on any failure.
PgRows PgExec(const std::string& url, const std::string& sql,
              const std::vector<std::string>& params = {});
// Opens a connection, runs Try, closes. A failed connection is an error value too.
core::Result<PgRows> PgTry(const std::string& url, const std::string& sql,
                           const std::vector<std::string>& params = {});

// A database made for one test, owned by gc_owner; dropped (WITH FORCE, so a connector process
// still connected does not block it) when this object is destroyed or Drop() is called. Move-only.
class TestDatabase {
  public:
    TestDatabase() = default;
    TestDatabase(std::string name, std::string owner_url, std::string app_url,
                 std::string superuser_url, std::string maintenance_url);
    ~TestDatabase();
    TestDatabase(TestDatabase&& other) noexcept;
    TestDatabase& operator=(TestDatabase&& other) noexcept;
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;

    // Drops the database now. Safe to call twice. Throws std::runtime_error if the drop fails.
    void Drop();

    std::string name;           // e.g. gc_test_3f9a0c12d4e5b6a7
    std::string owner_url;      // gc_owner: migrations (CONNECTOR_DATABASE_MIGRATION_URL)
    std::string app_url;        // gc_app: the server's role (CONNECTOR_DATABASE_URL)
    std::string superuser_url;  // postgres: for assertions that must see past RLS

  private:
    std::string maintenance_url_;  // superuser on the postgres database, to drop this one
};

// The cluster described by a pg.env file (PG_SOCKET_DIR, PG_PORT, PG_SUPERUSER lines).
class TestPg {
  public:
    // Reads the file named by $GC_PG_ENV_FILE. Not available when the variable is unset; when it is
    // set but the file is unreadable or incomplete, Available() is false and Reason() says why.
    TestPg();
    // Reads the given pg.env file.
    explicit TestPg(const std::string& env_file);

    // True when the env file named a socket dir and port. Does not connect.
    bool Available() const { return available_; }
    // Why Available() is false ("" when it is true).
    const std::string& Reason() const { return reason_; }
    // True when GC_PG_ENV_FILE was set: a test run wired to the pg fixture must then fail, not
    // skip, when Available() is false.
    static bool Requested();

    // Creates a database with a random name owned by gc_owner. PUBLIC loses its default rights on
    // the database and on schema public; gc_app gets CONNECT and USAGE on schema public, nothing
    // else (the migrations grant table rights). Throws std::runtime_error if unavailable or on
    // any SQL failure.
    TestDatabase CreateDatabase() const;

    // postgresql:// URI for role on database, over the cluster's unix socket.
    std::string Url(const std::string& role, const std::string& database) const;

    const std::string& SocketDir() const { return socket_dir_; }
    int Port() const { return port_; }
    const std::string& Superuser() const { return superuser_; }

  private:
    void Load(const std::string& env_file);

    bool available_ = false;
    std::string reason_;
    std::string socket_dir_;
    int port_ = 0;
    std::string superuser_ = "postgres";
};

}  // namespace gc::test
