// Tests for the egress guard's decisions: URL checks, the allowlist, resolve-then-check with a
// fake resolver, and redirects. No socket is opened and no name is really resolved.
#include "outbound/egress_guard.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "outbound/fake_resolver.hpp"

namespace gc::outbound {
namespace {

using core::ErrorCode;

IpAddress Ip(std::string_view text) {
    auto address = ParseNumericHost(text);
    EXPECT_TRUE(address.has_value()) << text;
    return address.value_or(IpAddress());
}

EgressPolicy Policy(std::string_view allow) {
    auto policy = EgressPolicy::Parse(allow);
    EXPECT_TRUE(policy.has_value()) << allow;
    return policy ? *policy : EgressPolicy();
}

Target Url(std::string_view url) {
    auto target = CheckUrl(url);
    EXPECT_TRUE(target.has_value()) << url << ": " << (target ? "" : target.error().message);
    return target ? *target : Target();
}

struct RefusalCase {
    std::string url;
    std::string reason;
};

TEST(EgressGuard, RefusesForbiddenAddressesInEveryNotationWithoutDns) {
    const RefusalCase cases[] = {
        {"http://127.0.0.1/", "loopback"},
        {"HTTP://127.0.0.1/", "loopback"},
        {"http://2130706433/", "loopback"},
        {"http://0x7f000001/", "loopback"},
        {"http://0x7f.0.0.1/", "loopback"},
        {"http://0177.0.0.1/", "loopback"},
        {"http://017700000001/", "loopback"},
        {"http://127.1/", "loopback"},
        {"http://127.0.1/", "loopback"},
        {"http://127.0.0.1./", "loopback"},
        {"http://0x7f.1:8080/admin", "loopback"},
        {"http://[::1]/", "loopback"},
        {"http://[::ffff:127.0.0.1]/", "loopback"},
        {"http://[::ffff:7f00:1]/", "loopback"},
        {"http://[0:0:0:0:0:ffff:7f00:1]/", "loopback"},
        {"http://[2002:7f00:1::]/", "loopback"},
        {"http://[64:ff9b::7f00:1]/", "loopback"},
        {"http://0.0.0.0/", "unspecified"},
        {"http://0/", "unspecified"},
        {"http://[::]/", "unspecified"},
        {"http://10.0.0.1/", "private"},
        {"http://012.1/", "private"},
        {"http://167772161/", "private"},
        {"http://192.168.0.1:8080/", "private"},
        {"http://[fd00:ec2::254]/", "private"},
        {"http://169.254.169.254/latest/meta-data/", "link-local"},
        {"http://2852039166/", "link-local"},
        {"http://0xa9fea9fe/", "link-local"},
        {"http://0251.0376.0251.0376/", "link-local"},
        {"http://[::ffff:169.254.169.254]/", "link-local"},
        {"http://[fe80::1]/", "link-local"},
        {"https://100.64.0.1/", "shared"},
        {"http://224.0.0.1/", "multicast"},
        {"http://255.255.255.255/", "broadcast"},
        {"http://127.0.0.1#@evil.com", "loopback"},
        {"http://127.0.0.1?@evil.com", "loopback"},
    };
    const EgressPolicy policy;
    for (const auto& c : cases) {
        FakeResolver resolver;
        auto target = CheckUrl(c.url);
        ASSERT_TRUE(target.has_value()) << c.url;
        EXPECT_TRUE(target->IsLiteral()) << c.url;
        auto resolved = ResolveAndCheck(policy, resolver, *target);
        ASSERT_FALSE(resolved.has_value()) << c.url;
        EXPECT_EQ(resolved.error().code, ErrorCode::kDestinationNotAllowed) << c.url;
        EXPECT_EQ(resolved.error().message, "destination not allowed: " + c.reason) << c.url;
        EXPECT_EQ(resolver.calls(), 0) << c.url;
    }
}

TEST(EgressGuard, RefusesIpv6LiteralWithZoneId) {
    FakeResolver resolver;
    auto target = CheckUrl("http://[fe80::1%25eth0]/");
    if (target) {
        EXPECT_FALSE(ResolveAndCheck(EgressPolicy(), resolver, *target).has_value());
    }
    EXPECT_EQ(resolver.calls(), 0);
}

TEST(EgressGuard, AllowsPublicLiteralsAndPinsThem) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"http://93.184.216.34/", "93.184.216.34"},
        {"http://1572395042/", "93.184.216.34"},
        {"https://[2606:4700::1111]/dns-query", "2606:4700::1111"},
        {"http://[::ffff:93.184.216.34]/", "::ffff:93.184.216.34"},
        {"http://[64:ff9b::5db8:d822]/", "64:ff9b::5db8:d822"},
    };
    for (const auto& [url, address] : cases) {
        FakeResolver resolver;
        auto resolved = ResolveAndCheck(EgressPolicy(), resolver, Url(url));
        ASSERT_TRUE(resolved.has_value()) << url;
        EXPECT_EQ(resolved->address.ToString(), address) << url;
        EXPECT_EQ(CurlResolveEntry(*resolved), "") << url;
        EXPECT_EQ(resolver.calls(), 0) << url;
    }
}

TEST(CheckUrl, NormalizesWhatTheClientWillSend) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"http://0x7f.1:8080/a/b?c=d#frag", "http://127.0.0.1:8080/a/b?c=d"},
        {"HTTPS://Example.COM./p", "https://example.com/p"},
        {"http://example.com", "http://example.com/"},
        {"http://example.com:80/", "http://example.com/"},
        {"https://example.com:443", "https://example.com/"},
        {"http://example.com:/x", "http://example.com/x"},
        {"https://example.com:8443/?q", "https://example.com:8443/?q"},
        {"http://[::ffff:7f00:1]:81/", "http://[::ffff:127.0.0.1]:81/"},
        {"http://api_v2.internal-host.example/x%20y", "http://api_v2.internal-host.example/x%20y"},
    };
    for (const auto& [url, normalized] : cases) {
        EXPECT_EQ(Url(url).Url(), normalized) << url;
    }
    // Boost.URL 1.81 alone would read these as host 1.2.3.4 (boostorg/url#755).
    const Target dotted = Url("http://1.2.3.4.example.com/x");
    EXPECT_EQ(dotted.host, "1.2.3.4.example.com");
    EXPECT_FALSE(dotted.IsLiteral());
    EXPECT_EQ(dotted.path_and_query, "/x");
    EXPECT_EQ(Url("http://127.0.0.1.nip.io:8080").Url(), "http://127.0.0.1.nip.io:8080/");

    const Target target = Url("HTTPS://Api.Example.com:8443/v1/items?x=1#top");
    EXPECT_EQ(target.scheme, "https");
    EXPECT_EQ(target.host, "api.example.com");
    EXPECT_EQ(target.port, 8443);
    EXPECT_EQ(target.path_and_query, "/v1/items?x=1");
    EXPECT_FALSE(target.IsLiteral());
}

TEST(CheckUrl, RefusesSchemesOtherThanHttpAndHttps) {
    const std::string cases[] = {
        "file:///etc/passwd",     "ftp://example.com/",   "gopher://127.0.0.1:6379/_x",
        "dict://127.0.0.1:11211", "ws://example.com/",    "javascript:alert(1)",
        "ldap://example.com/",    "httpx://example.com/", "data:text/plain,hello",
    };
    for (const auto& url : cases) {
        auto target = CheckUrl(url);
        ASSERT_FALSE(target.has_value()) << url;
        EXPECT_EQ(target.error().code, ErrorCode::kDestinationNotAllowed) << url;
        EXPECT_EQ(target.error().message,
                  "destination not allowed: only http and https are allowed")
            << url;
    }
}

TEST(CheckUrl, RefusesUserinfoTricks) {
    const std::string cases[] = {
        "http://evil@127.0.0.1/",        "http://example.com@127.0.0.1/",
        "http://user:pass@example.com/", "http://:@example.com/",
        "http://@example.com/",          "https://api.example.com%2f@127.0.0.1/",
    };
    for (const auto& url : cases) {
        auto target = CheckUrl(url);
        ASSERT_FALSE(target.has_value()) << url;
        EXPECT_EQ(target.error().code, ErrorCode::kDestinationNotAllowed) << url;
        EXPECT_EQ(target.error().message,
                  "destination not allowed: credentials in the URL are not allowed")
            << url;
    }
}

TEST(CheckUrl, RejectsMalformedUrlsAndHostsThatAreNeitherNameNorAddress) {
    const std::string cases[] = {
        "",
        "not a url",
        "/relative/path",
        "http:///x",
        "http://",
        "http://1.2.3.4.5/",
        "http://1.2.3.4.5:80/x",
        "http://1.2.3.4.5?q",
        "http://256.0.0.1/",
        "http://0x100000000/",
        "http://4294967296/",
        "http://08.0.0.1/",
        "http://foo.123/",
        "http://127.0.0.%31/",
        "http://%6c%6f%63%61%6c%68%6f%73%74/",
        "http://exa mple.com/",
        "http://exa!mple.com/",
        "http://example..com/",
        "http://example.com\\@127.0.0.1/",
        "http://example.com:0/",
        "http://example.com:65536/",
        "http://example.com:99999999999999999999/",
        "http://[v1.x]/",
        "http://[::1/",
        "http://[127.0.0.1]/",
    };
    for (const auto& url : cases) {
        auto target = CheckUrl(url);
        ASSERT_FALSE(target.has_value()) << url;
        EXPECT_EQ(target.error().code, ErrorCode::kBadRequest) << url;
    }
}

TEST(ResolveAndCheck, RefusesNameResolvingToLoopback) {
    FakeResolver resolver;
    resolver.Add("internal.example", {Ip("127.0.0.1")});
    auto resolved = ResolveAndCheck(EgressPolicy(), resolver, Url("http://internal.example/"));
    ASSERT_FALSE(resolved.has_value());
    EXPECT_EQ(resolved.error().code, ErrorCode::kDestinationNotAllowed);
    EXPECT_EQ(resolved.error().message, "destination not allowed: loopback");
    EXPECT_NE(resolved.error().internal.find("127.0.0.1"), std::string::npos);
    EXPECT_EQ(resolver.calls(), 1);
}

TEST(ResolveAndCheck, ResolvesDottedQuadPrefixedNamesThroughDns) {
    FakeResolver resolver;
    resolver.Add("127.0.0.1.nip.io", {Ip("127.0.0.1")});
    auto resolved = ResolveAndCheck(EgressPolicy(), resolver, Url("http://127.0.0.1.nip.io/"));
    ASSERT_FALSE(resolved.has_value());
    EXPECT_EQ(resolved.error().message, "destination not allowed: loopback");
    EXPECT_EQ(resolver.calls(), 1);
}

TEST(ResolveAndCheck, RefusesNameWhenAnyAnswerIsForbidden) {
    const std::vector<std::vector<IpAddress>> answers = {
        {Ip("93.184.216.34"), Ip("10.0.0.5")},
        {Ip("10.0.0.5"), Ip("93.184.216.34")},
        {Ip("2606:4700::1111"), Ip("::ffff:169.254.169.254")},
    };
    for (const auto& answer : answers) {
        FakeResolver resolver;
        resolver.Add("mixed.example", answer);
        auto resolved = ResolveAndCheck(EgressPolicy(), resolver, Url("https://mixed.example/"));
        ASSERT_FALSE(resolved.has_value()) << answer.front().ToString();
        EXPECT_EQ(resolved.error().code, ErrorCode::kDestinationNotAllowed);
    }
}

TEST(ResolveAndCheck, PinsFirstAddressOfAllPublicAnswer) {
    FakeResolver resolver;
    resolver.Add("public.example", {Ip("93.184.216.34"), Ip("2606:4700::1111")});
    resolver.Add("v6.example", {Ip("2606:4700::1111")});
    auto resolved = ResolveAndCheck(EgressPolicy(), resolver, Url("https://public.example/x"));
    ASSERT_TRUE(resolved.has_value());
    EXPECT_EQ(resolved->address, Ip("93.184.216.34"));
    EXPECT_EQ(CurlResolveEntry(*resolved), "public.example:443:93.184.216.34");

    auto v6 = ResolveAndCheck(EgressPolicy(), resolver, Url("http://v6.example:8080/"));
    ASSERT_TRUE(v6.has_value());
    EXPECT_EQ(CurlResolveEntry(*v6), "v6.example:8080:[2606:4700::1111]");
}

TEST(ResolveAndCheck, PassesResolverFailureThrough) {
    FakeResolver resolver;
    auto resolved = ResolveAndCheck(EgressPolicy(), resolver, Url("http://nowhere.example/"));
    ASSERT_FALSE(resolved.has_value());
    EXPECT_EQ(resolved.error().code, ErrorCode::kUpstreamUnreachable);
}

struct AllowCase {
    std::string url;
    std::vector<std::string> answer;  // for names; ignored for literals
    bool allowed;
};

TEST(EgressPolicy, AllowlistOpensNamedHostsPortsAndNetworks) {
    const EgressPolicy policy =
        Policy(" localhost, api.local:8080 ,10.0.0.0/8,::1/128, 127.0.0.2:9000,[fd00::1]:443,");
    const AllowCase cases[] = {
        // An allowlisted name is trusted whatever it resolves to.
        {"http://localhost:9000/", {"127.0.0.1", "::1"}, true},
        {"http://LOCALHOST./", {"127.0.0.1"}, true},
        {"https://localhost/", {"169.254.169.254", "93.184.216.34"}, true},
        // host:port opens only that port.
        {"http://api.local:8080/v1", {"192.168.1.10"}, true},
        {"http://api.local:8081/v1", {"192.168.1.10"}, false},
        {"http://api.local/v1", {"192.168.1.10"}, false},
        // The name does not open the address it usually resolves to.
        {"http://127.0.0.1/", {}, false},
        {"http://sub.localhost/", {"127.0.0.1"}, false},
        // Networks open addresses, whether written as literals or resolved from names.
        {"http://10.1.2.3/", {}, true},
        {"http://0xa010203/", {}, true},
        {"http://other.local/", {"10.9.9.9"}, true},
        {"http://other2.local/", {"10.9.9.9", "172.16.0.1"}, false},
        {"http://172.16.0.1/", {}, false},
        {"http://[::1]:5000/", {}, true},
        {"http://[::2]/", {}, false},
        {"http://127.0.0.2:9000/", {}, true},
        {"http://127.0.0.2:9001/", {}, false},
        {"https://[fd00::1]/", {}, true},
        {"http://[fd00::1]/", {}, false},
        // Public addresses stay open.
        {"http://93.184.216.34/", {}, true},
    };
    for (const auto& c : cases) {
        FakeResolver resolver;
        const Target target = Url(c.url);
        std::vector<IpAddress> answer;
        for (const auto& text : c.answer) {
            answer.push_back(Ip(text));
        }
        resolver.Add(target.host, answer);
        auto resolved = ResolveAndCheck(policy, resolver, target);
        EXPECT_EQ(resolved.has_value(), c.allowed) << c.url;
        if (!resolved) {
            EXPECT_EQ(resolved.error().code, ErrorCode::kDestinationNotAllowed) << c.url;
        }
    }
}

TEST(EgressPolicy, CheckAddressSaysWhy) {
    const EgressPolicy policy = Policy("localhost,10.0.0.0/8");
    EXPECT_EQ(policy.CheckAddress(Url("http://localhost/"), Ip("127.0.0.1")).reason,
              "allowlisted host");
    EXPECT_EQ(policy.CheckAddress(Url("http://x.example/"), Ip("10.0.0.1")).reason,
              "allowlisted network");
    EXPECT_EQ(policy.CheckAddress(Url("http://x.example/"), Ip("93.184.216.34")).reason,
              "public address");
    const Decision refused = policy.CheckAddress(Url("http://x.example/"), Ip("169.254.169.254"));
    EXPECT_FALSE(refused.allowed);
    EXPECT_EQ(refused.reason, "link-local");
}

TEST(EgressPolicy, EmptyListOpensNothing) {
    EXPECT_TRUE(Policy("").empty());
    EXPECT_TRUE(Policy(" , ,").empty());
    EXPECT_FALSE(Policy("localhost").empty());
}

TEST(EgressPolicy, RejectsMalformedEntriesNamingTheVariable) {
    const std::string cases[] = {
        "http://api.local",
        "api.local:0",
        "api.local:99999",
        "api.local:",
        "api.local:http",
        "10.0.0.0/33",
        "::1/129",
        "[::1",
        "[::1]x",
        "[::1]:",
        "bad host!",
        "1.2.3.4.5",
        "a..b",
        "localhost,*",
        "10.0.0.0/x",
    };
    for (const auto& allow : cases) {
        auto policy = EgressPolicy::Parse(allow);
        ASSERT_FALSE(policy.has_value()) << allow;
        EXPECT_EQ(policy.error().code, ErrorCode::kBadRequest) << allow;
        EXPECT_NE(policy.error().message.find("CONNECTOR_EGRESS_ALLOW"), std::string::npos)
            << allow;
    }
}

TEST(CheckRedirect, ResolvesRelativeLocationsAgainstTheCurrentUrl) {
    const Target from = Url("https://api.example.com/v1/items?x=1");
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"/v2/other", "https://api.example.com/v2/other"},
        {"next?page=2", "https://api.example.com/v1/next?page=2"},
        {"../up", "https://api.example.com/up"},
        {"?q=2", "https://api.example.com/v1/items?q=2"},
        {"//cdn.example.com/a", "https://cdn.example.com/a"},
        {"https://other.example.com:8443/b#frag", "https://other.example.com:8443/b"},
        {"  /padded  ", "https://api.example.com/padded"},
        {"http://api.example.com/plain", "http://api.example.com/plain"},
        {"//1.2.3.4.example.com/x", "https://1.2.3.4.example.com/x"},
        {"./a/../b", "https://api.example.com/v1/b"},
        {"#only-fragment", "https://api.example.com/v1/items?x=1"},
    };
    for (const auto& [location, expected] : cases) {
        auto next = CheckRedirect(from, location, 1, 5);
        ASSERT_TRUE(next.has_value()) << location;
        EXPECT_EQ(next->Url(), expected) << location;
    }
}

TEST(CheckRedirect, RedirectFromAllowedHostToLoopbackIsRefused) {
    const EgressPolicy policy = Policy("api.local");
    FakeResolver resolver;
    resolver.Add("api.local", {Ip("127.0.0.1")});
    resolver.Add("rebind.example", {Ip("127.0.0.1")});
    const Target from = Url("http://api.local:8080/start");
    ASSERT_TRUE(ResolveAndCheck(policy, resolver, from).has_value());

    const std::string locations[] = {"http://127.0.0.1/", "http://2130706433/admin",
                                     "http://[::1]:8080/", "http://rebind.example/", "//0x7f.1/"};
    for (const auto& location : locations) {
        auto next = CheckRedirect(from, location, 1, 5);
        ASSERT_TRUE(next.has_value()) << location;
        auto resolved = ResolveAndCheck(policy, resolver, *next);
        ASSERT_FALSE(resolved.has_value()) << location;
        EXPECT_EQ(resolved.error().message, "destination not allowed: loopback") << location;
    }
}

TEST(CheckRedirect, RefusesForbiddenSchemesAndUserinfoInLocation) {
    const Target from = Url("https://api.example.com/");
    const std::string locations[] = {"file:///etc/passwd", "gopher://127.0.0.1:70/",
                                     "http://user@api.example.com/"};
    for (const auto& location : locations) {
        auto next = CheckRedirect(from, location, 1, 5);
        ASSERT_FALSE(next.has_value()) << location;
        EXPECT_EQ(next.error().code, ErrorCode::kDestinationNotAllowed) << location;
    }
}

TEST(CheckRedirect, StopsAfterMaxHopsAndRejectsMalformedLocation) {
    const Target from = Url("https://api.example.com/");
    EXPECT_TRUE(CheckRedirect(from, "/x", 5, 5).has_value());
    auto over = CheckRedirect(from, "/x", 6, 5);
    ASSERT_FALSE(over.has_value());
    EXPECT_EQ(over.error().code, ErrorCode::kTooManyRedirects);
    EXPECT_EQ(over.error().message, "too many redirects");

    for (const std::string location : {"", "   ", "http://[::1", "http://exa mple.com/"}) {
        auto next = CheckRedirect(from, location, 1, 5);
        ASSERT_FALSE(next.has_value()) << location;
        EXPECT_EQ(next.error().code, ErrorCode::kBadRequest) << location;
    }
}

TEST(SameOrigin, ComparesSchemeHostAndPort) {
    const Target base = Url("https://api.example.com/a");
    EXPECT_TRUE(SameOrigin(base, Url("https://API.example.com:443/b?c")));
    EXPECT_FALSE(SameOrigin(base, Url("https://cdn.example.com/a")));
    EXPECT_FALSE(SameOrigin(base, Url("http://api.example.com/a")));
    EXPECT_FALSE(SameOrigin(base, Url("https://api.example.com:8443/a")));
    EXPECT_TRUE(SameOrigin(Url("http://0x7f.1/"), Url("http://127.0.0.1/x")));
}

}  // namespace
}  // namespace gc::outbound
