#include "store/sqlite_database.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "core/thread_name.hpp"
#include "store/connection_pool.hpp"
#include "store/fifo_mutex.hpp"

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
        for (auto& [sql, st] : statements_) {
            sqlite3_finalize(st.stmt);
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

    // A prepared statement and where each of $1, $2, ... binds (0: not used by it).
    struct Statement {
        sqlite3_stmt* stmt = nullptr;
        std::vector<int> slots;
    };

    // Prepared statements are cached per connection, keyed by their SQL text.
    Statement& Prepare(std::string_view sql) {
        auto it = statements_.find(sql);
        if (it != statements_.end()) {
            sqlite3_reset(it->second.stmt);
            sqlite3_clear_bindings(it->second.stmt);
            return it->second;
        }
        Statement st;
        const int rc = sqlite3_prepare_v2(db_, sql.data(), int(sql.size()), &st.stmt, nullptr);
        if (rc != SQLITE_OK) {
            Fail(rc, "prepare");
        }
        return statements_.emplace(std::string(sql), std::move(st)).first->second;
    }

    void Bind(Statement& st, const std::vector<Param>& params) {
        sqlite3_stmt* stmt = st.stmt;
        while (st.slots.size() < params.size()) {
            const std::string name = "$" + std::to_string(st.slots.size() + 1);
            st.slots.push_back(sqlite3_bind_parameter_index(stmt, name.c_str()));
        }
        for (std::size_t i = 0; i < params.size(); ++i) {
            const int idx = st.slots[i];
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
        Statement& st = Prepare(sql);
        Bind(st, params);
        sqlite3_stmt* stmt = st.stmt;
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

    sqlite3* handle() const { return db_; }

  private:
    struct TextHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const {
            return std::hash<std::string_view>{}(s);
        }
    };
    sqlite3* db_;
    std::unordered_map<std::string, Statement, TextHash, std::equal_to<>> statements_;
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

// Checkpoints the WAL on its own thread and connection, so no commit waits for one. SQLite's
// automatic checkpoint runs inside the commit that crosses its threshold: that commit, and every
// writer queued behind it, waits while the WAL is copied back and synced (about 100 ms under
// load here, the whole p99 of a call). When the WAL file has grown past its limit (a long read
// kept checkpoints from finishing under load), it truncates the file once commits pause, holding
// the process's writer lock so that writers queue on it instead of polling SQLite's lock.
class WalCheckpointer {
  public:
    // Takes ownership of connection (not one of the pool's). writer_lock is the database's.
    WalCheckpointer(sqlite3* connection, std::string wal_path, int threshold_pages,
                    SqliteWalLimits limits, FifoMutex& writer_lock)
        : connection_(connection),
          wal_path_(std::move(wal_path)),
          threshold_(threshold_pages),
          limits_(limits),
          writer_lock_(writer_lock),
          thread_([this] { Run(); }) {}
    ~WalCheckpointer() {
        {
            std::lock_guard lock(mu_);
            stopping_ = true;
        }
        wake_.notify_one();
        thread_.join();
        sqlite3_close_v2(connection_);
    }
    WalCheckpointer(const WalCheckpointer&) = delete;
    WalCheckpointer& operator=(const WalCheckpointer&) = delete;

    // Installed with sqlite3_wal_hook on every pool connection (which also turns SQLite's own
    // automatic checkpoint off for it). Runs after each commit with the WAL's size in pages.
    static int OnCommit(void* self, sqlite3* /*db*/, const char* /*name*/, int pages) {
        auto* c = static_cast<WalCheckpointer*>(self);
        c->commits_.fetch_add(1, std::memory_order_relaxed);
        if (pages >= c->threshold_ && !c->requested_.exchange(true)) {
            // Under the mutex, or the wake-up can fall between the checkpointer's look at
            // requested_ and its wait, and be lost (once per checkpoint, so cheap).
            std::lock_guard lock(c->mu_);
            c->wake_.notify_one();
        }
        return SQLITE_OK;
    }

  private:
    void Run() {
        core::NameThisThread("gc-checkpoint");
        std::unique_lock lock(mu_);
        bool oversized = false;
        for (;;) {
            const auto commits_before = commits_.load(std::memory_order_relaxed);
            auto woken = [this] { return stopping_ || requested_.load(); };
            if (oversized) {
                wake_.wait_for(lock, limits_.idle, woken);
            } else {
                wake_.wait(lock, woken);
            }
            if (stopping_) {
                return;
            }
            const bool idle = commits_.load(std::memory_order_relaxed) == commits_before;
            if (!requested_.exchange(false) && !(oversized && idle)) {
                continue;
            }
            lock.unlock();
            if (oversized && idle) {
                TruncateWal();
            } else {
                // PASSIVE copies what no reader still needs and never blocks writers or
                // readers; the next writer then starts the WAL over from its beginning.
                sqlite3_wal_checkpoint_v2(connection_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                          nullptr);
            }
            oversized = WalBytes() > limits_.size_limit_bytes;
            lock.lock();
        }
    }

    // A TRUNCATE checkpoint copies the rest of the WAL back and empties the file. It must wait for
    // readers of the WAL; it waits at most 50 ms for them (else it is tried at the next pause).
    void TruncateWal() {
        std::lock_guard writers(writer_lock_);
        sqlite3_busy_timeout(connection_, 50);
        sqlite3_wal_checkpoint_v2(connection_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr,
                                  nullptr);
        sqlite3_busy_timeout(connection_, 10000);
    }

    std::uintmax_t WalBytes() const {
        std::error_code ec;
        const auto bytes = std::filesystem::file_size(wal_path_, ec);
        return ec ? 0 : bytes;
    }

    sqlite3* connection_;
    const std::string wal_path_;
    const int threshold_;
    const SqliteWalLimits limits_;
    FifoMutex& writer_lock_;
    std::mutex mu_;
    std::condition_variable wake_;
    std::atomic<bool> requested_{false};
    std::atomic<std::uint64_t> commits_{0};
    bool stopping_ = false;  // guarded by mu_
    std::thread thread_;     // last: starts once the members above exist
};

class SqliteDatabase final : public Database {
  public:
    Backend backend() const override { return Backend::kSqlite; }

    core::Result<void> Ping() override {
        return Transact({.read_only = true}, [](Tx& tx) { tx.Query("SELECT 1"); });
    }

    ConnectionPool<SqliteConnection>& pool() { return pool_; }
    void SetCheckpointer(std::unique_ptr<WalCheckpointer> c) { checkpointer_ = std::move(c); }
    WalCheckpointer* checkpointer() { return checkpointer_.get(); }
    FifoMutex& writer_lock() { return write_mu_; }

  protected:
    void RunTransaction(const TxContext& ctx, const std::function<void(Tx&)>& fn) override {
        auto raw = pool_.Acquire(std::chrono::seconds(10));
        if (!raw) {
            throw DbError(DbErrorKind::kUnavailable, "sqlite pool exhausted");
        }
        PooledConnection<SqliteConnection> conn(pool_, std::move(raw));
        // SQLite has one writer. Writers of this process wait their turn on a FIFO mutex, in
        // order of arrival, instead of polling SQLite's lock with the busy handler's sleeps;
        // other processes (the CLI) still meet busy_timeout.
        std::unique_lock<FifoMutex> writer;
        if (!ctx.read_only) {
            writer = std::unique_lock<FifoMutex>(write_mu_);
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
    FifoMutex write_mu_;  // held for the whole of a write transaction
    // Declared after the pool: stopped before the pool's connections close.
    std::unique_ptr<WalCheckpointer> checkpointer_;
};

}  // namespace

core::Result<std::unique_ptr<Database>> OpenSqliteDatabase(const std::string& path, int pool_size,
                                                           const SqliteWalLimits& wal) {
    // Create the file ourselves so it is 0600 from its first byte.
    if (path != ":memory:") {
        const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0) {
            return core::Error::Make(core::ErrorCode::kUnavailable,
                                     "cannot open the SQLite database file", path);
        }
        ::close(fd);
    }
    auto open_handle = [&path](sqlite3*& handle) -> core::Result<void> {
        const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
        if (sqlite3_open_v2(path.c_str(), &handle, flags, nullptr) != SQLITE_OK) {
            std::string detail = handle ? sqlite3_errmsg(handle) : "out of memory";
            sqlite3_close_v2(handle);
            handle = nullptr;
            return core::Error::Make(core::ErrorCode::kUnavailable, "cannot open the database",
                                     detail);
        }
        sqlite3_busy_timeout(handle, 10000);
        return {};
    };
    auto db = std::make_unique<SqliteDatabase>();
    if (path != ":memory:") {
        sqlite3* handle = nullptr;
        if (auto opened = open_handle(handle); !opened) {
            return opened.error();
        }
        // The checkpoint does nothing on a connection that has not opened the WAL yet.
        sqlite3_exec(handle, "PRAGMA journal_mode=WAL;", nullptr, nullptr, nullptr);
        // A checkpoint after every 1000 pages (4 MB) of WAL, as SQLite's default, but off the
        // commit path.
        db->SetCheckpointer(
            std::make_unique<WalCheckpointer>(handle, path + "-wal", 1000, wal, db->writer_lock()));
    }
    for (int i = 0; i < std::max(1, pool_size); ++i) {
        sqlite3* handle = nullptr;
        if (auto opened = open_handle(handle); !opened) {
            return opened.error();
        }
        auto conn = std::make_unique<SqliteConnection>(handle);
        try {
            // No journal_size_limit: the checkpointer keeps the WAL's size (SqliteWalLimits).
            conn->ExecScript(
                "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;");
        } catch (const DbError& e) {
            return core::Error::Make(core::ErrorCode::kUnavailable, "cannot open the database",
                                     e.what());
        }
        if (db->checkpointer() != nullptr) {
            sqlite3_wal_hook(handle, &WalCheckpointer::OnCommit, db->checkpointer());
        }
        db->pool().Add(std::move(conn));
    }
    return std::unique_ptr<Database>(std::move(db));
}

}  // namespace gc::store
