// The one interface to the database, with a SQLite and a PostgreSQL backend. SQL lives only in
// store/; services run their repository calls inside Database::Transact.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/error.hpp"

namespace gc::store {

enum class Backend { kSqlite, kPostgres };

// A bind parameter. SQL text uses $1, $2, ... on both backends.
using Param = std::variant<std::nullptr_t, std::string, std::int64_t, bool>;

// One result row; values are text as the backend returned them (NULL is nullopt).
class Row {
  public:
    explicit Row(std::vector<std::optional<std::string>> values) : values_(std::move(values)) {}
    bool IsNull(std::size_t i) const { return !values_.at(i).has_value(); }
    // The text, or "" for NULL.
    const std::string& Text(std::size_t i) const;
    std::optional<std::string> OptText(std::size_t i) const { return values_.at(i); }
    std::int64_t Int(std::size_t i) const;
    // Accepts both backends' spellings: 1/0 (SQLite) and t/f (PostgreSQL).
    bool Bool(std::size_t i) const;
    // A timestamp column normalised to RFC 3339 ("...T...Z"); "" for NULL.
    std::string Time(std::size_t i) const;

  private:
    std::vector<std::optional<std::string>> values_;
};

using Rows = std::vector<Row>;

// Why a statement failed. Repositories and Database::Transact map these to core errors.
enum class DbErrorKind { kUniqueViolation, kForeignKey, kCheck, kPolicy, kUnavailable, kOther };

// Thrown inside store/ only; Database::Transact turns it into a core::Error, so it never reaches
// a service caller. what() holds the backend's text, which goes to the log, never to a client.
struct DbError : std::runtime_error {
    DbError(DbErrorKind k, const std::string& detail) : std::runtime_error(detail), kind(k) {}
    DbErrorKind kind;
};

// A transaction in progress. Not thread-safe; lives only inside Transact's callback.
class Tx {
  public:
    virtual ~Tx() = default;
    virtual Backend backend() const = 0;
    // Runs one statement and returns its rows. Throws DbError.
    virtual Rows Query(std::string_view sql, const std::vector<Param>& params = {}) = 0;
    // Runs one statement and returns the number of rows it changed. Throws DbError.
    virtual std::int64_t Exec(std::string_view sql, const std::vector<Param>& params = {}) = 0;
    // Runs several ';'-separated statements without parameters (migrations). Throws DbError.
    virtual void ExecScript(const std::string& sql) = 0;
};

// Who the transaction runs for. On PostgreSQL these become app.workspace_id / app.user_id for
// this transaction only (set_config(..., true)), which row level security reads.
struct TxContext {
    std::string workspace_id;
    std::string user_id;
    bool read_only = false;
};

class Database {
  public:
    virtual ~Database() = default;
    virtual Backend backend() const = 0;

    // Runs fn in one transaction on a pooled connection: commits when fn returns, rolls back when
    // it throws. A core::ErrorException thrown by fn comes back as its Error (services use this to
    // abort with a specific error); a DbError comes back as kConflict (unique violation),
    // kUnavailable (connection lost, pool exhausted) or kInternal with the detail kept internal.
    // Blocks the calling thread: call it only from worker threads, never from network threads.
    // Thread-safe.
    core::Result<void> Transact(const TxContext& ctx, const std::function<void(Tx&)>& fn);

    // A trivial query; kUnavailable when the database cannot be reached.
    virtual core::Result<void> Ping() = 0;

  protected:
    // Backend part of Transact: may throw DbError or anything fn throws.
    virtual void RunTransaction(const TxContext& ctx, const std::function<void(Tx&)>& fn) = 0;
};

struct DatabaseSettings {
    // "" or "sqlite:<path>" for SQLite; "postgres://..." or "postgresql://..." for PostgreSQL.
    std::string url;
    // SQLite file used when url is empty.
    std::string sqlite_path;
    int pool_size = 8;
};

// Opens (and, for SQLite, creates with mode 0600) the database. Does not migrate.
core::Result<std::unique_ptr<Database>> OpenDatabase(const DatabaseSettings& settings);

bool IsPostgresUrl(std::string_view url);

}  // namespace gc::store
