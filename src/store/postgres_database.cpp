#include "store/postgres_database.hpp"

#include <libpq-fe.h>

#include <cstring>

#include "store/connection_pool.hpp"

namespace gc::store {
namespace {

DbErrorKind KindOfState(const char* sqlstate) {
    if (sqlstate == nullptr) {
        return DbErrorKind::kUnavailable;
    }
    const std::string s(sqlstate);
    if (s == "23505") {
        return DbErrorKind::kUniqueViolation;
    }
    if (s == "23503") {
        return DbErrorKind::kForeignKey;
    }
    if (s == "23514" || s == "23502") {
        return DbErrorKind::kCheck;
    }
    if (s == "42501") {
        return DbErrorKind::kPolicy;  // insufficient privilege, row level security refusal
    }
    if (s.starts_with("08") || s.starts_with("57P") || s == "53300") {
        return DbErrorKind::kUnavailable;
    }
    return DbErrorKind::kOther;
}

class PgResult {
  public:
    explicit PgResult(PGresult* r) : r_(r) {}
    ~PgResult() { PQclear(r_); }
    PgResult(const PgResult&) = delete;
    PgResult& operator=(const PgResult&) = delete;
    PGresult* get() const { return r_; }

  private:
    PGresult* r_;
};

class PgConnection {
  public:
    explicit PgConnection(PGconn* c) : c_(c) {}
    ~PgConnection() { PQfinish(c_); }
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    bool Healthy() const { return PQstatus(c_) == CONNECTION_OK; }
    void Reset() { PQreset(c_); }

    [[noreturn]] void Fail(PGresult* r) {
        const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
        std::string msg = r ? PQresultErrorMessage(r) : PQerrorMessage(c_);
        if (PQstatus(c_) != CONNECTION_OK) {
            throw DbError(DbErrorKind::kUnavailable, msg);
        }
        throw DbError(KindOfState(state), msg);
    }

    Rows Query(std::string_view sql, const std::vector<Param>& params) {
        std::vector<std::string> storage;
        storage.reserve(params.size());
        std::vector<const char*> values;
        values.reserve(params.size());
        for (const auto& p : params) {
            if (std::holds_alternative<std::nullptr_t>(p)) {
                storage.emplace_back();
                values.push_back(nullptr);
                continue;
            }
            if (const auto* s = std::get_if<std::string>(&p)) {
                storage.push_back(*s);
            } else if (const auto* b = std::get_if<bool>(&p)) {
                storage.emplace_back(*b ? "true" : "false");
            } else {
                storage.push_back(std::to_string(std::get<std::int64_t>(p)));
            }
            values.push_back(nullptr);
        }
        for (std::size_t i = 0; i < params.size(); ++i) {
            if (!std::holds_alternative<std::nullptr_t>(params[i])) {
                values[i] = storage[i].c_str();
            }
        }
        const std::string text(sql);
        PgResult r(PQexecParams(c_, text.c_str(), int(values.size()), nullptr, values.data(),
                                nullptr, nullptr, 0));
        const auto status = PQresultStatus(r.get());
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
            Fail(r.get());
        }
        last_changed_ = 0;
        if (const char* n = PQcmdTuples(r.get()); n && *n) {
            last_changed_ = std::stoll(n);
        }
        Rows rows;
        const int nrows = PQntuples(r.get());
        const int ncols = PQnfields(r.get());
        rows.reserve(std::size_t(nrows));
        for (int i = 0; i < nrows; ++i) {
            std::vector<std::optional<std::string>> values_out;
            values_out.reserve(std::size_t(ncols));
            for (int c = 0; c < ncols; ++c) {
                if (PQgetisnull(r.get(), i, c)) {
                    values_out.emplace_back(std::nullopt);
                } else {
                    values_out.emplace_back(std::string(PQgetvalue(r.get(), i, c),
                                                        std::size_t(PQgetlength(r.get(), i, c))));
                }
            }
            rows.emplace_back(std::move(values_out));
        }
        return rows;
    }

    std::int64_t Exec(std::string_view sql, const std::vector<Param>& params) {
        Query(sql, params);
        return last_changed_;
    }

    void Script(const std::string& sql) { Simple(sql.c_str()); }

    void Simple(const char* sql) {
        PgResult r(PQexec(c_, sql));
        if (PQresultStatus(r.get()) != PGRES_COMMAND_OK &&
            PQresultStatus(r.get()) != PGRES_TUPLES_OK) {
            Fail(r.get());
        }
    }

  private:
    PGconn* c_;
    std::int64_t last_changed_ = 0;
};

class PgTx final : public Tx {
  public:
    explicit PgTx(PgConnection& c) : c_(c) {}
    Backend backend() const override { return Backend::kPostgres; }
    Rows Query(std::string_view sql, const std::vector<Param>& params) override {
        return c_.Query(sql, params);
    }
    std::int64_t Exec(std::string_view sql, const std::vector<Param>& params) override {
        return c_.Exec(sql, params);
    }
    void ExecScript(const std::string& sql) override { c_.Script(sql); }

  private:
    PgConnection& c_;
};

// The tenant for this transaction only: set_config(..., true) ends with the transaction, so a
// pooled connection carries nothing into the next one.
constexpr std::string_view kSetTenant =
    "SELECT set_config('app.workspace_id', $1, true), set_config('app.user_id', $2, true)";

class PostgresDatabase final : public Database {
  public:
    Backend backend() const override { return Backend::kPostgres; }

    core::Result<void> Ping() override {
        return Transact({.read_only = true}, [](Tx& tx) { tx.Query("SELECT 1"); });
    }

    ConnectionPool<PgConnection>& pool() { return pool_; }

  protected:
    void RunTransaction(const TxContext& ctx, const std::function<void(Tx&)>& fn) override {
        auto raw = pool_.Acquire(std::chrono::seconds(10));
        if (!raw) {
            throw DbError(DbErrorKind::kUnavailable, "postgres pool exhausted");
        }
        PooledConnection<PgConnection> conn(pool_, std::move(raw));
        if (!conn->Healthy()) {
            conn->Reset();
            if (!conn->Healthy()) {
                throw DbError(DbErrorKind::kUnavailable, "postgres connection lost");
            }
        }
        conn->Simple(ctx.read_only ? "BEGIN READ ONLY" : "BEGIN");
        try {
            conn->Query(kSetTenant, {ctx.workspace_id, ctx.user_id});
            PgTx tx(*conn);
            fn(tx);
            conn->Simple("COMMIT");
        } catch (...) {
            try {
                conn->Simple("ROLLBACK");
            } catch (const DbError&) {
                // Connection gone: the server rolled the transaction back itself.
            }
            throw;
        }
    }

  private:
    ConnectionPool<PgConnection> pool_;
};

}  // namespace

core::Result<std::unique_ptr<Database>> OpenPostgresDatabase(const std::string& url,
                                                             int pool_size) {
    auto db = std::make_unique<PostgresDatabase>();
    for (int i = 0; i < std::max(1, pool_size); ++i) {
        PGconn* c = PQconnectdb(url.c_str());
        auto conn = std::make_unique<PgConnection>(c);
        if (!c || PQstatus(c) != CONNECTION_OK) {
            std::string detail = c ? PQerrorMessage(c) : "out of memory";
            return core::Error::Make(core::ErrorCode::kUnavailable,
                                     "cannot connect to PostgreSQL (CONNECTOR_DATABASE_URL)",
                                     detail);
        }
        try {
            conn->Simple("SET TIME ZONE 'UTC'; SET statement_timeout = '30s'");
        } catch (const DbError& e) {
            return core::Error::Make(core::ErrorCode::kUnavailable, "cannot configure the session",
                                     e.what());
        }
        db->pool().Add(std::move(conn));
    }
    return std::unique_ptr<Database>(std::move(db));
}

}  // namespace gc::store
