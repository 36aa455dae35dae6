#include "api_fixture.hpp"

#include <sqlite3.h>

#include <boost/json/parse.hpp>

namespace gc::apitest {

std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
    return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

void ApiTest::SetUp() {
    data_dir_ = test::MakeTempDir("gc-api-data");
    if (GetParam() == Backend::kPostgres) {
        ASSERT_TRUE(pg_.Available()) << pg_.Reason();
        db_ = pg_.CreateDatabase();
    }
    Start();
}

void ApiTest::TearDown() {
    client_.reset();
    server_.reset();
    test::RemoveTree(data_dir_);
}

test::EnvMap ApiTest::DatabaseEnv() const {
    test::EnvMap env{{"CONNECTOR_DATA_DIR", data_dir_}};
    if (GetParam() == Backend::kPostgres) {
        env["CONNECTOR_DATABASE_URL"] = db_.app_url;
        env["CONNECTOR_DATABASE_MIGRATION_URL"] = db_.owner_url;
    }
    return env;
}

void ApiTest::Start(const test::EnvMap& extra) {
    client_.reset();
    server_.reset();
    test::ConnectorOptions options;
    options.binary = GC_CONNECTOR_BIN;
    options.env = DatabaseEnv();
    options.env["CONNECTOR_DATABASE_POOL_SIZE"] = "4";
    options.data_dir = data_dir_;
    for (const auto& [k, v] : extra) {
        options.env[k] = v;
    }
    server_ = std::make_unique<test::ConnectorProcess>(options);
    client_ = std::make_unique<test::HttpClient>(server_->BaseUrl());
}

test::CommandResult ApiTest::Cli(const std::vector<std::string>& args,
                                 const std::string& stdin_text) {
    return test::RunCommand(GC_CONNECTOR_BIN, args, DatabaseEnv(), stdin_text);
}

std::string ApiTest::SetupOwner(test::HttpClient& client, const std::string& email,
                                const std::string& password) {
    auto r = client.Post(
        "/api/auth/setup",
        boost::json::object{{"email", email}, {"password", password}, {"name", "Owner"}});
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string csrf(r.Json().at("csrf_token").as_string());
    client.SetDefaultHeader("X-CSRF-Token", csrf);
    return csrf;
}

std::string ApiTest::UserWithToken(const std::string& email) {
    auto add = Cli({"users", "add", "--email", email, "--name", "User"}, "another password\n");
    EXPECT_EQ(add.exit_code, 0) << add.stderr_text;
    auto token = Cli({"tokens", "create", "--email", email, "--name", "test"});
    EXPECT_EQ(token.exit_code, 0) << token.stderr_text;
    std::string t = token.stdout_text;
    while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) {
        t.pop_back();
    }
    return t;
}

std::string ApiTest::Scalar(const std::string& sql) {
    if (GetParam() == Backend::kPostgres) {
        auto rows = test::PgExec(db_.superuser_url, sql);
        return rows.empty() || rows[0].empty() ? std::string() : rows[0][0];
    }
    sqlite3* db = nullptr;
    std::string out;
    if (sqlite3_open_v2((data_dir_ + "/connector.db").c_str(), &db, SQLITE_OPEN_READWRITE,
                        nullptr) == SQLITE_OK) {
        sqlite3_busy_timeout(db, 5000);
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
            sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_count(stmt) > 0 &&
            sqlite3_column_text(stmt, 0)) {
            out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
        }
        sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    return out;
}

boost::json::value SeedIntegration(const std::string& name) {
    return boost::json::parse(R"({
      "name": ")" + name + R"(", "display_name": "Stripe", "auth_type": "api_key",
      "oauth_config": {"base_url": "https://api.stripe.com"},
      "actions": [
        {"action_id": "list_charges", "action_name": "List charges", "http_method": "GET",
         "endpoint": "/v1/charges", "parameters": [{"name": "limit", "in": "query", "type": "integer"}]},
        {"action_id": "get_charge", "action_name": "Get a charge", "http_method": "GET",
         "endpoint": "/v1/charges/{charge_id}",
         "parameters": [{"name": "charge_id", "in": "path", "type": "string", "required": true}]}
      ]})");
}

}  // namespace gc::apitest
