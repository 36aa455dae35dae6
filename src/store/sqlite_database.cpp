#include "store/sqlite_database.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mutex>
#include <unordered_map>

#include "store/connection_pool.hpp"

namespace gc::store {
namespace {

DbErrorKind KindOf(int rc) {
    switch (rc & 0xff) {
        case SQLITE_CONSTRAINT:
            if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
                return DbErrorKind::kUniqueViolation;
            }
            if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
                return DbErrorKind::kForeignKey;
            }
            return DbErrorKind::kCheck;
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
        case SQLITE_CANTOPEN:
        case SQLITE_IOERR:
        case SQLITE_FULL:
            return DbErrorKind::kUnavailable;
        default:
            return DbErrorKind::kOther;
    }
}

class SqliteConnection {
  public:
    explicit SqliteConnection(sqlite3* db) : db_(db) {}
    ~SqliteConnection() {
        for (auto& [sql, stmt] : statements_) {
            sqlite3_finalize(stmt);
        }
        sqlite3_close_v2(db_);
    }
    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;

    [[noreturn]] void Fail(int rc, std::string_view what) {
        throw DbError(KindOf(sqlite3_extended_errcode(db_) ? sqlite3_extended_errcode(db_) : rc),
                      std::string(what) + ": " + sqlite3_errmsg(db_));
    }

    void ExecScript(const std::string& sql) {
        char* err = nullptr;
        const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
        if (rc != SQLITE_OK) {
            std::string msg = err ? err : "sqlite error";
            sqlite3_free(err);
            throw DbError(KindOf(rc), msg);
        }
    }

    // Prepared statements are cached per connection, keyed by their SQL text.
    sqlite3_stmt* Prepare(std::string_view sql) {
        std::string key(sql);
        auto it = statements_.find(key);
        if (it != statements_.end()) {
            sqlite3_reset(it->second);
            sqlite3_clear_bindings(it->second);
            return it->second;
        }
        sqlite3_stmt* stmt = nullptr;
        const int rc = sqlite3_prepare_v2(db_, key.c_str(), int(key.size()), &stmt, nullptr);
        if (rc != SQLITE_OK) {
            Fail(rc, "prepare");
        }
        statements_.emplace(std::move(key), stmt);
        return stmt;
    }

    void Bind(sqlite3_stmt* stmt, const std::vector<Param>& params) {
        for (std::size_t i = 0; i < params.size(); ++i) {
            const std::string name = "$" + std::to_string(i + 1);
            const int idx = sqlite3_bind_parameter_index(stmt, name.c_str());
            if (idx == 0) {
                continue;  // parameter not used by this statement
            }
            int rc = SQLITE_OK;
            std::visit(
                [&](const auto& v) {
                    using T = std::decay_t<decltype(v)>;
                    if constexpr (std::is_same_v<T, std::nullptr_t>) {
                        rc = sqlite3_bind_null(stmt, idx);
                    } else if constexpr (std::is_same_v<T, std::string>) {
                        rc =
                            sqlite3_bind_text(stmt, idx, v.data(), int(v.size()), SQLITE_TRANSIENT);
                    } else if constexpr (std::is_same_v<T, bool>) {
                        rc = sqlite3_bind_int(stmt, idx, v ? 1 : 0);
                    } else {
                        rc = sqlite3_bind_int64(stmt, idx, v);
                    }
                },
                params[i]);
            if (rc != SQLITE_OK) {
                Fail(rc, "bind");
            }
        }
    }

    Rows Query(std::string_view sql, const std::vector<Param>& params) {
        sqlite3_stmt* stmt = Prepare(sql);
        Bind(stmt, params);
        Rows rows;
        const int ncol = sqlite3_column_count(stmt);
        for (;;) {
            const int rc = sqlite3_step(stmt);
            if (rc == SQLITE_DONE) {
                break;
            }
            if (rc != SQLITE_ROW) {
                sqlite3_reset(stmt);
                Fail(rc, "step");
            }
            std::vector<std::optional<std::string>> values;
            values.reserve(std::size_t(ncol));
            for (int c = 0; c < ncol; ++c) {
                if (sqlite3_column_type(stmt, c) == SQLITE_NULL) {
                    values.emplace_back(std::nullopt);
                } else {
                    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
                    values.emplace_back(
                        std::string(text, std::size_t(sqlite3_column_bytes(stmt, c))));
                }
            }
            rows.emplace_back(std::move(values));
        }
        sqlite3_reset(stmt);
        return rows;
    }

    std::int64_t Exec(std::string_view sql, const std::vector<Param>& params) {
        Query(sql, params);
        return sqlite3_changes64(db_);
    }

  private:
    sqlite3* db_;
    std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

class SqliteTx final : public Tx {
  public:
    explicit SqliteTx(SqliteConnection& c) : c_(c) {}
    Backend backend() const override { return Backend::kSqlite; }
    Rows Query(std::string_view sql, const std::vector<Param>& params) override {
        return c_.Query(sql, params);
    }
    std::int64_t Exec(std::string_view sql, const std::vector<Param>& params) override {
        return c_.Exec(sql, params);
    }
    void ExecScript(const std::string& sql) override { c_.ExecScript(sql); }

  private:
    SqliteConnection& c_;
};

class SqliteDatabase final : public Database {
  public:
    Backend backend() const override { return Backend::kSqlite; }

    core::Result<void> Ping() override {
        return Transact({.read_only = true}, [](Tx& tx) { tx.Query("SELECT 1"); });
    }

    ConnectionPool<SqliteConnection>& pool() { return pool_; }

  protected:
    void RunTransaction(const TxContext& ctx, const std::function<void(Tx&)>& fn) override {
        auto raw = pool_.Acquire(std::chrono::seconds(10));
        if (!raw) {
            throw DbError(DbErrorKind::kUnavailable, "sqlite pool exhausted");
        }
        PooledConnection<SqliteConnection> conn(pool_, std::move(raw));
        // SQLite has one writer. Writers of this process wait their turn on a mutex, in order,
        // instead of polling SQLite's lock with the busy handler's sleeps; other processes (the
        // CLI) still meet busy_timeout.
        std::unique_lock<std::mutex> writer;
        if (!ctx.read_only) {
            writer = std::unique_lock<std::mutex>(write_mu_);
        }
        // IMMEDIATE takes the write lock up front, so two writers never deadlock on upgrade.
        conn->Query(ctx.read_only ? "BEGIN" : "BEGIN IMMEDIATE", {});
        try {
            SqliteTx tx(*conn);
            fn(tx);
            conn->Query("COMMIT", {});
        } catch (...) {
            try {
                conn->ExecScript("ROLLBACK");
            } catch (const DbError&) {
                // The transaction may already be gone (e.g. after SQLITE_FULL); nothing to undo.
            }
            throw;
        }
    }

  private:
    ConnectionPool<SqliteConnection> pool_;
    std::mutex write_mu_;  // held for the whole of a write transaction
};

}  // namespace

core::Result<std::unique_ptr<Database>> OpenSqliteDatabase(const std::string& path, int pool_size) {
    // Create the file ourselves so it is 0600 from its first byte.
    if (path != ":memory:") {
        const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0) {
            return core::Error::Make(core::ErrorCode::kUnavailable,
                                     "cannot open the SQLite database file", path);
        }
        ::close(fd);
    }
    auto db = std::make_unique<SqliteDatabase>();
    for (int i = 0; i < std::max(1, pool_size); ++i) {
        sqlite3* handle = nullptr;
        const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
        if (sqlite3_open_v2(path.c_str(), &handle, flags, nullptr) != SQLITE_OK) {
            std::string detail = handle ? sqlite3_errmsg(handle) : "out of memory";
            sqlite3_close_v2(handle);
            return core::Error::Make(core::ErrorCode::kUnavailable, "cannot open the database",
                                     detail);
        }
        auto conn = std::make_unique<SqliteConnection>(handle);
        try {
            sqlite3_busy_timeout(handle, 10000);
            conn->ExecScript(
                "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;"
                // Checkpoint every ~40 MB of WAL rather than every 4 MB: hot pages are copied
                // back once per checkpoint, not once per few commits.
                "PRAGMA wal_autocheckpoint=10000; PRAGMA journal_size_limit=67108864;");
        } catch (const DbError& e) {
            return core::Error::Make(core::ErrorCode::kUnavailable, "cannot open the database",
                                     e.what());
        }
        db->pool().Add(std::move(conn));
    }
    return std::unique_ptr<Database>(std::move(db));
}

}  // namespace gc::store
