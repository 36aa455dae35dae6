// Tests for IP address parsing in every URL host notation, CIDR networks and the forbidden
// address classification. Pure data: nothing here opens a socket.
#include "outbound/ip_address.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <string>

namespace gc::outbound {
namespace {

struct ParseCase {
    std::string host;
    std::string expected;  // canonical text, or "" when the host is not numeric
};

TEST(ParseNumericHost, ReadsEveryIpv4NotationAUrlHostMayUse) {
    const ParseCase cases[] = {
        {"127.0.0.1", "127.0.0.1"},
        {"2130706433", "127.0.0.1"},
        {"0x7f000001", "127.0.0.1"},
        {"0X7F000001", "127.0.0.1"},
        {"0x7f.0.0.1", "127.0.0.1"},
        {"0177.0.0.1", "127.0.0.1"},
        {"017700000001", "127.0.0.1"},
        {"127.1", "127.0.0.1"},
        {"127.0.1", "127.0.0.1"},
        {"0x7f.1", "127.0.0.1"},
        {"0177.0x0.1", "127.0.0.1"},
        {"127.0.0.1.", "127.0.0.1"},
        {"127.000.000.001", "127.0.0.1"},
        {"0", "0.0.0.0"},
        {"0x", "0.0.0.0"},
        {"0.0.0.0", "0.0.0.0"},
        {"012.1", "10.0.0.1"},
        {"167772161", "10.0.0.1"},
        {"169.254.169.254", "169.254.169.254"},
        {"2852039166", "169.254.169.254"},
        {"0xa9fea9fe", "169.254.169.254"},
        {"0xa9.0xfe.0xa9.0xfe", "169.254.169.254"},
        {"0251.0376.0251.0376", "169.254.169.254"},
        {"169.16689662", "169.254.169.254"},
        {"4294967295", "255.255.255.255"},
        {"1.65536", "1.1.0.0"},
        {"93.184.216.34", "93.184.216.34"},
    };
    for (const auto& c : cases) {
        auto address = ParseNumericHost(c.host);
        ASSERT_TRUE(address.has_value()) << c.host;
        EXPECT_TRUE(address->IsV4()) << c.host;
        EXPECT_EQ(address->ToString(), c.expected) << c.host;
    }
}

TEST(ParseNumericHost, ReadsIpv6LiteralsWithBracketsZonesAndEmbeddedIpv4) {
    const ParseCase cases[] = {
        {"::1", "::1"},
        {"[::1]", "::1"},
        {"[0:0:0:0:0:0:0:1]", "::1"},
        {"[::ffff:127.0.0.1]", "::ffff:127.0.0.1"},
        {"[::ffff:7f00:1]", "::ffff:127.0.0.1"},
        {"[0:0:0:0:0:ffff:7f00:1]", "::ffff:127.0.0.1"},
        {"[::FFFF:7F00:1]", "::ffff:127.0.0.1"},
        {"fe80::1%eth0", "fe80::1"},
        {"[fe80::1%25eth0]", "fe80::1"},
        {"2002:7f00:1::", "2002:7f00:1::"},
        {"64:ff9b::7f00:1", "64:ff9b::7f00:1"},
        {"[2606:4700::1111]", "2606:4700::1111"},
    };
    for (const auto& c : cases) {
        auto address = ParseNumericHost(c.host);
        ASSERT_TRUE(address.has_value()) << c.host;
        EXPECT_FALSE(address->IsV4()) << c.host;
        EXPECT_EQ(address->ToString(), c.expected) << c.host;
    }
}

TEST(ParseNumericHost, RejectsMalformedAndOutOfRangeHosts) {
    const std::string cases[] = {
        "",
        ".",
        "example.com",
        "localhost",
        "4294967296",
        "0x100000000",
        "256.0.0.1",
        "1.2.3.256",
        "1.16777216",
        "1.2.3.4.5",
        "1..2",
        "127.0.0.1..",
        "08.0.0.1",
        "0x1g",
        "1e2",
        "-1",
        "127.0.0.1 ",
        "[::1",
        "::1]",
        "[]",
        "[127.0.0.1]",
        ":::",
        "1::2::3",
        "fe80::1%",
        "[fe80::1%25]",
        "[::1]x",
        "12345::1",
        std::string("::1\0x", 5),
        std::string("127.0.0.1\0", 10),
    };
    for (const auto& host : cases) {
        EXPECT_FALSE(ParseNumericHost(host).has_value()) << host;
    }
}

TEST(LooksLikeIpv4, FlagsHostsEndingInANumber) {
    EXPECT_TRUE(LooksLikeIpv4("1.2.3.4.5"));
    EXPECT_TRUE(LooksLikeIpv4("256.1.1.1"));
    EXPECT_TRUE(LooksLikeIpv4("foo.123"));
    EXPECT_TRUE(LooksLikeIpv4("foo.0x"));
    EXPECT_TRUE(LooksLikeIpv4("foo.0xAB."));
    EXPECT_FALSE(LooksLikeIpv4("example.com"));
    EXPECT_FALSE(LooksLikeIpv4("123.foo"));
    EXPECT_FALSE(LooksLikeIpv4("foo.0x1g"));
    EXPECT_FALSE(LooksLikeIpv4("foo."));
}

struct ReasonCase {
    std::string address;
    std::string reason;  // "" when allowed
};

TEST(ForbiddenReason, ClassifiesIpv4SpecialRanges) {
    const ReasonCase cases[] = {
        {"127.0.0.1", "loopback"},
        {"127.255.255.254", "loopback"},
        {"0.0.0.0", "unspecified"},
        {"0.1.2.3", "unspecified"},
        {"10.0.0.1", "private"},
        {"172.16.0.1", "private"},
        {"172.31.255.255", "private"},
        {"192.168.1.1", "private"},
        {"100.64.0.1", "shared"},
        {"100.127.255.255", "shared"},
        {"169.254.169.254", "link-local"},
        {"169.254.0.1", "link-local"},
        {"224.0.0.1", "multicast"},
        {"239.255.255.250", "multicast"},
        {"240.0.0.1", "reserved"},
        {"255.255.255.254", "reserved"},
        {"255.255.255.255", "broadcast"},
        {"192.0.0.8", "reserved"},
        {"192.0.2.1", "documentation"},
        {"192.88.99.1", "reserved"},
        {"198.18.0.1", "reserved"},
        {"198.19.255.255", "reserved"},
        {"198.51.100.1", "documentation"},
        {"203.0.113.1", "documentation"},
        {"93.184.216.34", ""},
        {"8.8.8.8", ""},
        {"1.1.1.1", ""},
        {"172.32.0.1", ""},
        {"172.15.255.255", ""},
        {"100.128.0.1", ""},
        {"100.63.255.255", ""},
        {"198.20.0.1", ""},
        {"11.0.0.1", ""},
        {"223.255.255.255", ""},
    };
    for (const auto& c : cases) {
        auto address = ParseNumericHost(c.address);
        ASSERT_TRUE(address.has_value()) << c.address;
        auto reason = ForbiddenReason(*address);
        EXPECT_EQ(std::string(reason.value_or("")), c.reason) << c.address;
    }
}

TEST(ForbiddenReason, ClassifiesIpv6AndIpv4EmbeddedInIpv6) {
    const ReasonCase cases[] = {
        {"::", "unspecified"},
        {"::1", "loopback"},
        {"::ffff:127.0.0.1", "loopback"},
        {"::ffff:7f00:1", "loopback"},
        {"::ffff:0.0.0.0", "unspecified"},
        {"::ffff:10.0.0.1", "private"},
        {"::ffff:169.254.169.254", "link-local"},
        {"::ffff:93.184.216.34", ""},
        {"::127.0.0.1", "loopback"},
        {"::7f00:1", "loopback"},
        {"::a9fe:a9fe", "link-local"},
        {"::93.184.216.34", "reserved"},
        {"64:ff9b::7f00:1", "loopback"},
        {"64:ff9b::a9fe:a9fe", "link-local"},
        {"64:ff9b::5db8:d822", ""},
        {"64:ff9b:1::1", "reserved"},
        {"2002:7f00:1::", "loopback"},
        {"2002:a9fe:a9fe::1", "link-local"},
        {"2002:c0a8:101::1", "private"},
        {"2002:5db8:d822::1", ""},
        {"fe80::1", "link-local"},
        {"febf::1", "link-local"},
        {"fec0::1", "private"},
        {"fc00::1", "private"},
        {"fd00:ec2::254", "private"},
        {"ff02::1", "multicast"},
        {"ff0e::1", "multicast"},
        {"2001:db8::1", "documentation"},
        {"3fff::1", "documentation"},
        {"2001::1", "reserved"},
        {"2001:1ff::1", "reserved"},
        {"100::1", "reserved"},
        {"::ffff:0:7f00:1", "reserved"},
        {"4000::1", "reserved"},
        {"5f00::1", "reserved"},
        {"2001:200::1", ""},
        {"2606:4700::1111", ""},
        {"2a00:1450:4001::1", ""},
    };
    for (const auto& c : cases) {
        auto address = ParseNumericHost(c.address);
        ASSERT_TRUE(address.has_value()) << c.address;
        auto reason = ForbiddenReason(*address);
        EXPECT_EQ(std::string(reason.value_or("")), c.reason) << c.address;
    }
}

TEST(ForbiddenReason, RefusesLinkLocalWithZoneId) {
    auto address = ParseNumericHost("fe80::1%eth0");
    ASSERT_TRUE(address.has_value());
    EXPECT_EQ(ForbiddenReason(*address).value_or(""), "link-local");
}

TEST(IpAddress, BuildsFromBytesAndIntegers) {
    EXPECT_EQ(IpAddress::V4(0x7f000001u), IpAddress::V4(std::array<std::uint8_t, 4>{127, 0, 0, 1}));
    EXPECT_EQ(IpAddress::V4(0x7f000001u).V4Value(), 0x7f000001u);
    EXPECT_NE(IpAddress::V4(0x7f000001u), *ParseNumericHost("::ffff:127.0.0.1"));
    EXPECT_EQ(IpAddress::V4(0x0a000001u).ToUrlHost(), "10.0.0.1");
    EXPECT_EQ(ParseNumericHost("::1")->ToUrlHost(), "[::1]");
}

TEST(IpAddress, ReadsSocketAddressesOfBothFamiliesOnly) {
    sockaddr_in in{};
    in.sin_family = AF_INET;
    ASSERT_EQ(inet_pton(AF_INET, "127.0.0.1", &in.sin_addr), 1);
    auto v4 = IpAddress::FromSockaddr(reinterpret_cast<const sockaddr*>(&in), sizeof(in));
    ASSERT_TRUE(v4.has_value());
    EXPECT_EQ(v4->ToString(), "127.0.0.1");

    sockaddr_in6 in6{};
    in6.sin6_family = AF_INET6;
    ASSERT_EQ(inet_pton(AF_INET6, "2606:4700::1111", &in6.sin6_addr), 1);
    auto v6 = IpAddress::FromSockaddr(reinterpret_cast<const sockaddr*>(&in6), sizeof(in6));
    ASSERT_TRUE(v6.has_value());
    EXPECT_EQ(v6->ToString(), "2606:4700::1111");

    EXPECT_FALSE(
        IpAddress::FromSockaddr(reinterpret_cast<const sockaddr*>(&in6), sizeof(in)).has_value());
    sockaddr_un un{};
    un.sun_family = AF_UNIX;
    EXPECT_FALSE(
        IpAddress::FromSockaddr(reinterpret_cast<const sockaddr*>(&un), sizeof(un)).has_value());
    EXPECT_FALSE(IpAddress::FromSockaddr(nullptr, 0).has_value());
}

TEST(IpNetwork, ParsesCidrAndTestsMembership) {
    auto loopback = IpNetwork::Parse("127.0.0.0/8");
    ASSERT_TRUE(loopback.has_value());
    EXPECT_TRUE(loopback->Contains(*ParseNumericHost("127.1.2.3")));
    EXPECT_FALSE(loopback->Contains(*ParseNumericHost("128.0.0.1")));
    EXPECT_FALSE(loopback->Contains(*ParseNumericHost("::ffff:127.0.0.1")));

    auto masked = IpNetwork::Parse("10.1.2.3/8");
    ASSERT_TRUE(masked.has_value());
    EXPECT_EQ(masked->ToString(), "10.0.0.0/8");

    auto odd = IpNetwork::Parse("172.16.0.0/12");
    ASSERT_TRUE(odd.has_value());
    EXPECT_TRUE(odd->Contains(*ParseNumericHost("172.31.255.255")));
    EXPECT_FALSE(odd->Contains(*ParseNumericHost("172.32.0.0")));

    auto host = IpNetwork::Parse("::1/128");
    ASSERT_TRUE(host.has_value());
    EXPECT_TRUE(host->Contains(*ParseNumericHost("::1")));
    EXPECT_FALSE(host->Contains(*ParseNumericHost("::2")));

    auto ula = IpNetwork::Parse("fc00::/7");
    ASSERT_TRUE(ula.has_value());
    EXPECT_TRUE(ula->Contains(*ParseNumericHost("fd00:ec2::254")));
    EXPECT_FALSE(ula->Contains(*ParseNumericHost("fe00::1")));

    auto all = IpNetwork::Parse("0.0.0.0/0");
    ASSERT_TRUE(all.has_value());
    EXPECT_TRUE(all->Contains(*ParseNumericHost("93.184.216.34")));
    EXPECT_FALSE(all->Contains(*ParseNumericHost("::1")));

    auto bare = IpNetwork::Parse("192.168.1.10");
    ASSERT_TRUE(bare.has_value());
    EXPECT_EQ(bare->prefix(), 32);
}

TEST(IpNetwork, RejectsMalformedCidr) {
    const std::string cases[] = {"1.2.3.4/33", "::/129",       "/8",
                                 "1.2.3.4/",   "1.2.3.4/a",    "x/8",
                                 "1.2.3.4/-1", "1.2.3.4/0008", "1.2.3.4/8/8"};
    for (const auto& text : cases) {
        EXPECT_FALSE(IpNetwork::Parse(text).has_value()) << text;
    }
}

}  // namespace
}  // namespace gc::outbound
