// TestPg, TestDatabase and the libpq helpers (see test_pg.hpp).
#include "support/test_pg.hpp"

#include <libpq-fe.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <utility>

#include "core/random.hpp"

namespace gc::test {
namespace {

std::string ToHex(const std::string& bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out.push_back(kDigits[c >> 4]);
        out.push_back(kDigits[c & 0x0f]);
    }
    return out;
}

// Percent-encodes everything outside RFC 3986's unreserved set and '/'.
std::string UriEncode(const std::string& text) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
        if (plain) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(kDigits[c >> 4]);
            out.push_back(kDigits[c & 0x0f]);
        }
    }
    return out;
}

std::string Trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
        text.pop_back();
    }
    return text;
}

}  // namespace

PgConnection::PgConnection(const std::string& url) {
    conn_ = PQconnectdb(url.c_str());
    if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
        std::string message = conn_ != nullptr ? Trimmed(PQerrorMessage(conn_)) : "out of memory";
        PQfinish(conn_);
        conn_ = nullptr;
        throw std::runtime_error("PostgreSQL connect to " + url + " failed: " + message);
    }
}

PgConnection::~PgConnection() { PQfinish(conn_); }

PgConnection::PgConnection(PgConnection&& other) noexcept
    : conn_(std::exchange(other.conn_, nullptr)) {}

PgConnection& PgConnection::operator=(PgConnection&& other) noexcept {
    if (this != &other) {
        PQfinish(conn_);
        conn_ = std::exchange(other.conn_, nullptr);
    }
    return *this;
}

core::Result<PgRows> PgConnection::Try(const std::string& sql,
                                       const std::vector<std::string>& params) {
    if (conn_ == nullptr) {
        return core::Error::Internal("PgConnection used after move");
    }
    PGresult* res = nullptr;
    if (params.empty()) {
        res = PQexec(conn_, sql.c_str());
    } else {
        std::vector<const char*> values;
        values.reserve(params.size());
        for (const auto& p : params) {
            values.push_back(p.c_str());
        }
        res = PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                           values.data(), nullptr, nullptr, 0);
    }
    ExecStatusType status = PQresultStatus(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
        std::string message =
            std::string(state != nullptr ? state : "?????") + ": " +
            Trimmed(res != nullptr ? PQresultErrorMessage(res) : PQerrorMessage(conn_));
        PQclear(res);
        return core::Error::Make(core::ErrorCode::kInternal, message, sql);
    }
    PgRows rows;
    int n_rows = PQntuples(res);
    int n_cols = PQnfields(res);
    rows.reserve(static_cast<std::size_t>(n_rows));
    for (int r = 0; r < n_rows; ++r) {
        std::vector<std::string> row;
        row.reserve(static_cast<std::size_t>(n_cols));
        for (int c = 0; c < n_cols; ++c) {
            if (PQgetisnull(res, r, c) != 0) {
                row.emplace_back(kPgNull);
            } else {
                row.emplace_back(PQgetvalue(res, r, c),
                                 static_cast<std::size_t>(PQgetlength(res, r, c)));
            }
        }
        rows.push_back(std::move(row));
    }
    PQclear(res);
    return rows;
}

PgRows PgConnection::Exec(const std::string& sql, const std::vector<std::string>& params) {
    auto rows = Try(sql, params);
    if (!rows) {
        throw std::runtime_error("SQL failed: " + rows.error().message + "\n  in: " + sql);
    }
    return std::move(*rows);
}

PgRows PgExec(const std::string& url, const std::string& sql,
              const std::vector<std::string>& params) {
    PgConnection conn(url);
    return conn.Exec(sql, params);
}

core::Result<PgRows> PgTry(const std::string& url, const std::string& sql,
                           const std::vector<std::string>& params) {
    try {
        PgConnection conn(url);
        return conn.Try(sql, params);
    } catch (const std::runtime_error& e) {
        return core::Error::Make(core::ErrorCode::kUnavailable, e.what());
    }
}

TestDatabase::TestDatabase(std::string name, std::string owner_url, std::string app_url,
                           std::string superuser_url, std::string maintenance_url)
    : name(std::move(name)),
      owner_url(std::move(owner_url)),
      app_url(std::move(app_url)),
      superuser_url(std::move(superuser_url)),
      maintenance_url_(std::move(maintenance_url)) {}

TestDatabase::~TestDatabase() {
    try {
        Drop();
    } catch (const std::exception&) {
        // The cluster may already be gone at exit; pg_down removes everything anyway.
    }
}

TestDatabase::TestDatabase(TestDatabase&& other) noexcept
    : name(std::move(other.name)),
      owner_url(std::move(other.owner_url)),
      app_url(std::move(other.app_url)),
      superuser_url(std::move(other.superuser_url)),
      maintenance_url_(std::exchange(other.maintenance_url_, std::string())) {}

TestDatabase& TestDatabase::operator=(TestDatabase&& other) noexcept {
    if (this != &other) {
        try {
            Drop();
        } catch (const std::exception&) {
            // As in the destructor.
        }
        name = std::move(other.name);
        owner_url = std::move(other.owner_url);
        app_url = std::move(other.app_url);
        superuser_url = std::move(other.superuser_url);
        maintenance_url_ = std::exchange(other.maintenance_url_, std::string());
    }
    return *this;
}

void TestDatabase::Drop() {
    if (maintenance_url_.empty()) {
        return;
    }
    std::string url = std::exchange(maintenance_url_, std::string());
    PgExec(url, "DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
}

TestPg::TestPg() {
    const char* file = std::getenv("GC_PG_ENV_FILE");
    if (file == nullptr || *file == '\0') {
        reason_ = "GC_PG_ENV_FILE is not set (run through ctest, which starts the pg fixture)";
        return;
    }
    Load(file);
}

TestPg::TestPg(const std::string& env_file) { Load(env_file); }

bool TestPg::Requested() {
    const char* file = std::getenv("GC_PG_ENV_FILE");
    return file != nullptr && *file != '\0';
}

void TestPg::Load(const std::string& env_file) {
    std::ifstream in(env_file);
    if (!in) {
        reason_ = "cannot read " + env_file + " (did pg_up.sh run?)";
        return;
    }
    std::map<std::string, std::string> values;
    std::string line;
    while (std::getline(in, line)) {
        auto eq = line.find('=');
        if (eq != std::string::npos) {
            values[line.substr(0, eq)] = line.substr(eq + 1);
        }
    }
    socket_dir_ = values["PG_SOCKET_DIR"];
    if (!values["PG_SUPERUSER"].empty()) {
        superuser_ = values["PG_SUPERUSER"];
    }
    try {
        port_ = std::stoi(values["PG_PORT"]);
    } catch (const std::exception&) {
        port_ = 0;
    }
    if (socket_dir_.empty() || port_ <= 0) {
        reason_ = env_file + " lacks PG_SOCKET_DIR or PG_PORT";
        return;
    }
    available_ = true;
}

std::string TestPg::Url(const std::string& role, const std::string& database) const {
    return "postgresql://" + UriEncode(role) + "@/" + UriEncode(database) +
           "?host=" + UriEncode(socket_dir_) + "&port=" + std::to_string(port_);
}

TestDatabase TestPg::CreateDatabase() const {
    if (!available_) {
        throw std::runtime_error("PostgreSQL not available: " + reason_);
    }
    std::string name = "gc_test_" + ToHex(core::RandomBytes(8));
    std::string maintenance = Url(superuser_, "postgres");
    PgExec(maintenance, "CREATE DATABASE \"" + name + "\" OWNER gc_owner");
    // From here on the destructor drops the database, also if a grant below throws.
    TestDatabase db(name, Url("gc_owner", name), Url("gc_app", name), Url(superuser_, name),
                    maintenance);
    PgExec(maintenance, "REVOKE ALL ON DATABASE \"" + name + "\" FROM PUBLIC; GRANT CONNECT ON " +
                            "DATABASE \"" + name + "\" TO gc_app");
    // Schema public belongs to pg_database_owner, i.e. gc_owner here.
    PgExec(db.owner_url,
           "REVOKE ALL ON SCHEMA public FROM PUBLIC; "
           "GRANT USAGE ON SCHEMA public TO gc_app");
    return db;
}

}  // namespace gc::test
