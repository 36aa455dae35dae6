// IP addresses for the egress guard: parsing every textual form a URL host may use, networks
// (CIDR), and the classification of addresses an outbound call must never reach.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sockaddr;

namespace gc::outbound {

// An IPv4 or IPv6 address as raw bytes in network order. A plain value: copyable, comparable,
// thread-safe to share. IPv4-mapped IPv6 (::ffff:a.b.c.d) stays an IPv6 address; the
// classification looks through it.
class IpAddress {
  public:
    enum class Family { kV4, kV6 };

    // 0.0.0.0.
    IpAddress() = default;
    static IpAddress V4(std::array<std::uint8_t, 4> bytes);
    // From a host-order integer: V4(0x7f000001) is 127.0.0.1.
    static IpAddress V4(std::uint32_t host_order);
    static IpAddress V6(std::array<std::uint8_t, 16> bytes);
    // From a socket address (AF_INET or AF_INET6) as getaddrinfo or curl's opensocket callback
    // give it; nullopt for any other family or a length too short for the family. The IPv6
    // scope id is dropped.
    static std::optional<IpAddress> FromSockaddr(const sockaddr* addr, std::size_t length);

    Family family() const { return family_; }
    bool IsV4() const { return family_ == Family::kV4; }
    // The first 4 (IPv4) or 16 (IPv6) bytes are meaningful; the rest are zero.
    const std::array<std::uint8_t, 16>& bytes() const { return bytes_; }
    std::size_t size() const { return IsV4() ? 4 : 16; }
    // IPv4 as a host-order integer; 0 for IPv6.
    std::uint32_t V4Value() const;

    // Canonical text: dotted decimal for IPv4, RFC 5952 for IPv6 (no brackets).
    std::string ToString() const;
    // As a URL host or curl address: IPv6 in brackets, IPv4 as ToString().
    std::string ToUrlHost() const;

    friend bool operator==(const IpAddress&, const IpAddress&) = default;

  private:
    Family family_ = Family::kV4;
    std::array<std::uint8_t, 16> bytes_{};
};

// Interprets `host` as a numeric address the way a URL host is read (WHATWG URL host parser,
// a superset of inet_aton): IPv4 as 1 to 4 dot-separated parts, each decimal, octal (leading 0)
// or hex (0x), the last part filling the remaining bytes (127.1, 2130706433, 0x7f.0.0.1,
// 0177.0.0.1, 017700000001), with one trailing dot allowed; IPv6 with or without brackets,
// with an optional zone id (%eth0 or the URL-encoded %25eth0, which is dropped) and an embedded
// dotted IPv4 tail. Returns nullopt for anything else, including a numeric-looking host that is
// out of range (256.0.0.1, 1.2.3.4.5): use LooksLikeIpv4 to refuse those rather than treat them
// as names. Pure; thread-safe.
std::optional<IpAddress> ParseNumericHost(std::string_view host);

// True when `host` "ends in a number" in the WHATWG sense: its last dot-separated label (after
// one trailing dot) is all decimal digits or 0x followed by hex digits. Such a host is an IPv4
// address or invalid, never a DNS name.
bool LooksLikeIpv4(std::string_view host);

// A network in CIDR form: an address and a prefix length (0..32 for IPv4, 0..128 for IPv6).
// Host bits are cleared on construction, so 10.1.2.3/8 is 10.0.0.0/8.
class IpNetwork {
  public:
    // `prefix` must be at most 32 (IPv4) or 128 (IPv6); larger values are clamped.
    IpNetwork(const IpAddress& base, int prefix);
    // Parses "a.b.c.d/n", "v6/n" or a bare address (a /32 or /128). The address part takes any
    // form ParseNumericHost accepts. Returns nullopt on any syntax or range error.
    static std::optional<IpNetwork> Parse(std::string_view text);

    const IpAddress& base() const { return base_; }
    int prefix() const { return prefix_; }
    // True when `address` is of the same family and inside the network. An IPv4 network does
    // not contain IPv4-mapped IPv6 addresses; list both if both are wanted.
    bool Contains(const IpAddress& address) const;
    // "base/prefix".
    std::string ToString() const;

  private:
    IpAddress base_;
    int prefix_ = 0;
};

// Why an outbound call must not reach `address`, or nullopt when it may. The reasons are
// "unspecified", "loopback", "private", "shared" (100.64/10), "link-local" (which includes the
// cloud metadata addresses), "multicast", "broadcast", "documentation" and "reserved". IPv4
// written inside IPv6 (IPv4-mapped, IPv4-compatible, NAT64 64:ff9b::/96, 6to4 2002::/16) gets the
// reason of the embedded IPv4 address. For IPv6 only global unicast (2000::/3) outside the
// special-purpose ranges is allowed; everything else is "reserved" unless a more precise reason
// applies. The returned view points at a string literal. Pure; thread-safe.
std::optional<std::string_view> ForbiddenReason(const IpAddress& address);

}  // namespace gc::outbound
