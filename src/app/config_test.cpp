#include "app/config.hpp"

#include <gtest/gtest.h>

namespace gc::app {
namespace {

TEST(Config, DefaultsServeSqliteOnLoopback8080) {
    auto c = ParseConfig({});
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->listen_host, "127.0.0.1");
    EXPECT_EQ(c->listen_port, 8080);
    EXPECT_EQ(c->SqlitePath(), "./data/connector.db");
    EXPECT_FALSE(c->UsesPostgres());
}

TEST(Config, ReadsListenAddressesIncludingIpv6) {
    auto c = ParseConfig({{"CONNECTOR_LISTEN", "[::1]:9000"}});
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->listen_host, "::1");
    EXPECT_EQ(c->listen_port, 9000);
}

TEST(Config, ReadsTheDnsCacheSecondsWithThirtyByDefault) {
    EXPECT_EQ(ParseConfig({})->dns_cache_seconds, 30);
    EXPECT_EQ(ParseConfig({{"CONNECTOR_DNS_CACHE_SECONDS", "0"}})->dns_cache_seconds, 0);
    EXPECT_EQ(ParseConfig({{"CONNECTOR_DNS_CACHE_SECONDS", "3600"}})->dns_cache_seconds, 3600);
}

TEST(Config, ReadsTheCallLogRetentionWithThirtyDaysAndAMillionRecordsByDefault) {
    const Config defaults = *ParseConfig({});
    EXPECT_EQ(defaults.executions_max_age_days, 30);
    EXPECT_EQ(defaults.executions_max_per_workspace, 1000000);
    EXPECT_EQ(defaults.executions_sweep_seconds, 600);
    const Config off = *ParseConfig({{"CONNECTOR_EXECUTIONS_MAX_AGE_DAYS", "0"},
                                     {"CONNECTOR_EXECUTIONS_MAX_PER_WORKSPACE", "0"},
                                     {"CONNECTOR_EXECUTIONS_SWEEP_SECONDS", "1"}});
    EXPECT_EQ(off.executions_max_age_days, 0);
    EXPECT_EQ(off.executions_max_per_workspace, 0);
    EXPECT_EQ(off.executions_sweep_seconds, 1);
}

struct BadValue {
    const char* variable;
    const char* value;
};

class ConfigRejects : public ::testing::TestWithParam<BadValue> {};

TEST_P(ConfigRejects, NamingTheVariable) {
    auto c = ParseConfig({{GetParam().variable, GetParam().value}});
    ASSERT_FALSE(c.has_value());
    EXPECT_NE(c.error().message.find(GetParam().variable), std::string::npos) << c.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Table, ConfigRejects,
    ::testing::Values(BadValue{"CONNECTOR_LISTEN", "8080"},
                      BadValue{"CONNECTOR_LISTEN", "127.0.0.1:http"},
                      BadValue{"CONNECTOR_LISTEN", "127.0.0.1:70000"},
                      BadValue{"CONNECTOR_DATABASE_URL", "mysql://x"},
                      BadValue{"CONNECTOR_DATABASE_POOL_SIZE", "0"},
                      BadValue{"CONNECTOR_ENCRYPTION_KEYS", "not-a-key"},
                      BadValue{"CONNECTOR_LOG_LEVEL", "loud"},
                      BadValue{"CONNECTOR_EGRESS_ALLOW", "10.0.0.0/99"},
                      BadValue{"CONNECTOR_DNS_CACHE_SECONDS", "-1"},
                      BadValue{"CONNECTOR_DNS_CACHE_SECONDS", "3601"},
                      BadValue{"CONNECTOR_DNS_CACHE_SECONDS", "30s"},
                      BadValue{"CONNECTOR_EXECUTIONS_MAX_AGE_DAYS", "-1"},
                      BadValue{"CONNECTOR_EXECUTIONS_MAX_AGE_DAYS", "2w"},
                      BadValue{"CONNECTOR_EXECUTIONS_MAX_PER_WORKSPACE", "1e6"},
                      BadValue{"CONNECTOR_EXECUTIONS_SWEEP_SECONDS", "0"},
                      BadValue{"CONNECTOR_EXECUTIONS_SWEEP_SECONDS", "86401"}));

TEST(Config, KeyErrorsDoNotEchoKeyMaterial) {
    const std::string almost_key = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlYw";
    auto c = ParseConfig({{"CONNECTOR_ENCRYPTION_KEYS", almost_key}});
    ASSERT_FALSE(c.has_value());
    EXPECT_EQ(c.error().message.find(almost_key.substr(0, 10)), std::string::npos);
}

TEST(DotEnv, ParsesCommentsQuotesAndExport) {
    auto env = ParseDotEnv(
        "# comment\nCONNECTOR_LISTEN=127.0.0.1:1\nexport A=\"b c\"\nB='d'\n\nbad line\n");
    EXPECT_EQ(env["CONNECTOR_LISTEN"], "127.0.0.1:1");
    EXPECT_EQ(env["A"], "b c");
    EXPECT_EQ(env["B"], "d");
    EXPECT_EQ(env.count("bad line"), 0u);
}

}  // namespace
}  // namespace gc::app
