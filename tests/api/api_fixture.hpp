// Black-box API tests: a real `connector serve` on SQLite or on the throwaway PostgreSQL,
// spoken to over loopback HTTP. Each test gets a fresh server and database.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "support/connector_process.hpp"
#include "support/http_client.hpp"
#include "support/test_pg.hpp"

namespace gc::apitest {

enum class Backend { kSqlite, kPostgres };

std::string BackendName(const ::testing::TestParamInfo<Backend>& info);

class ApiTest : public ::testing::TestWithParam<Backend> {
  protected:
    void SetUp() override;
    void TearDown() override;

    // Starts the server (again) with extra environment; tests that need settings call it first.
    void Start(const test::EnvMap& extra = {});
    test::HttpClient& Client() { return *client_; }
    test::HttpClient NewClient() const { return test::HttpClient(server_->BaseUrl()); }
    test::ConnectorProcess& Server() { return *server_; }
    // The environment that points a connector at this test's database.
    test::EnvMap DatabaseEnv() const;
    // Runs a CLI subcommand against this test's database.
    test::CommandResult Cli(const std::vector<std::string>& args,
                            const std::string& stdin_text = {});

    // Creates the owner through /api/auth/setup on client (cookie session) and returns the
    // CSRF token, which it also sets as client's default X-CSRF-Token header.
    std::string SetupOwner(test::HttpClient& client, const std::string& email = "owner@example.com",
                           const std::string& password = "correct horse battery");
    // Adds a user via the CLI and returns an API token for them.
    std::string UserWithToken(const std::string& email);

    // SQL run past the application (superuser on PostgreSQL, the file on SQLite): for assertions
    // and for planting rows; returns the first column of the first row, or "".
    std::string Scalar(const std::string& sql);

    test::TestPg pg_;
    test::TestDatabase db_;
    std::unique_ptr<test::ConnectorProcess> server_;
    std::unique_ptr<test::HttpClient> client_;
    std::string data_dir_;
};

// The seed's "Create Integration" request body, with one action.
boost::json::value SeedIntegration(const std::string& name = "stripe_api");

}  // namespace gc::apitest
