// IP address parsing (URL host forms), CIDR networks and the forbidden-range tables of the
// egress guard.
#include "outbound/ip_address.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace gc::outbound {

namespace {

// Any value above this is out of range for every IPv4 part; parsing caps here so long digit
// strings cannot overflow.
constexpr std::uint64_t kTooLarge = std::uint64_t{1} << 33;

struct V4Range {
    std::uint32_t base;
    int prefix;
    std::string_view reason;
};

constexpr std::uint32_t Quad(std::uint32_t a, std::uint32_t b, std::uint32_t c, std::uint32_t d) {
    return (a << 24) | (b << 16) | (c << 8) | d;
}

// IANA IPv4 special-purpose registry, plus multicast and class E. Order matters where ranges
// overlap: the first match wins.
constexpr V4Range kForbiddenV4[] = {
    {Quad(0, 0, 0, 0), 8, "unspecified"},
    {Quad(10, 0, 0, 0), 8, "private"},
    {Quad(100, 64, 0, 0), 10, "shared"},
    {Quad(127, 0, 0, 0), 8, "loopback"},
    {Quad(169, 254, 0, 0), 16, "link-local"},
    {Quad(172, 16, 0, 0), 12, "private"},
    {Quad(192, 0, 0, 0), 24, "reserved"},
    {Quad(192, 0, 2, 0), 24, "documentation"},
    {Quad(192, 88, 99, 0), 24, "reserved"},  // deprecated 6to4 relay anycast
    {Quad(192, 168, 0, 0), 16, "private"},
    {Quad(198, 18, 0, 0), 15, "reserved"},  // benchmarking
    {Quad(198, 51, 100, 0), 24, "documentation"},
    {Quad(203, 0, 113, 0), 24, "documentation"},
    {Quad(224, 0, 0, 0), 4, "multicast"},
    {Quad(255, 255, 255, 255), 32, "broadcast"},
    {Quad(240, 0, 0, 0), 4, "reserved"},
};

bool V4InRange(std::uint32_t value, std::uint32_t base, int prefix) {
    if (prefix == 0) {
        return true;
    }
    const std::uint32_t mask = prefix >= 32 ? 0xffffffffu : ~(0xffffffffu >> prefix);
    return (value & mask) == (base & mask);
}

std::optional<std::string_view> ForbiddenV4(std::uint32_t value) {
    for (const V4Range& range : kForbiddenV4) {
        if (V4InRange(value, range.base, range.prefix)) {
            return range.reason;
        }
    }
    return std::nullopt;
}

std::uint32_t ReadV4(const std::array<std::uint8_t, 16>& bytes, std::size_t offset) {
    return (std::uint32_t{bytes[offset]} << 24) | (std::uint32_t{bytes[offset + 1]} << 16) |
           (std::uint32_t{bytes[offset + 2]} << 8) | std::uint32_t{bytes[offset + 3]};
}

// True when the first `prefix` bits of `bytes` equal those of `pattern`.
bool V6HasPrefix(const std::array<std::uint8_t, 16>& bytes,
                 const std::array<std::uint8_t, 16>& pattern, int prefix) {
    for (int bit = 0; bit < prefix; bit += 8) {
        const int bits = std::min(8, prefix - bit);
        const auto mask = static_cast<std::uint8_t>(0xff << (8 - bits));
        const auto index = static_cast<std::size_t>(bit / 8);
        if ((bytes[index] & mask) != (pattern[index] & mask)) {
            return false;
        }
    }
    return true;
}

constexpr std::array<std::uint8_t, 16> kZero{};
constexpr std::array<std::uint8_t, 16> kMapped{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
constexpr std::array<std::uint8_t, 16> kNat64{0x00, 0x64, 0xff, 0x9b};
constexpr std::array<std::uint8_t, 16> k6to4{0x20, 0x02};
constexpr std::array<std::uint8_t, 16> kSpecial2001{0x20, 0x01};
constexpr std::array<std::uint8_t, 16> kDocumentation{0x20, 0x01, 0x0d, 0xb8};
constexpr std::array<std::uint8_t, 16> kDocumentation3fff{0x3f, 0xff};
constexpr std::array<std::uint8_t, 16> kGlobalUnicast{0x20};
constexpr std::array<std::uint8_t, 16> kUniqueLocal{0xfc};
constexpr std::array<std::uint8_t, 16> kLinkLocal{0xfe, 0x80};
constexpr std::array<std::uint8_t, 16> kSiteLocal{0xfe, 0xc0};
constexpr std::array<std::uint8_t, 16> kMulticast{0xff};

std::optional<std::string_view> ForbiddenV6(const std::array<std::uint8_t, 16>& b) {
    if (b == kZero) {
        return "unspecified";
    }
    std::array<std::uint8_t, 16> loopback{};
    loopback[15] = 1;
    if (b == loopback) {
        return "loopback";
    }
    if (V6HasPrefix(b, kMapped, 96) || V6HasPrefix(b, kNat64, 96)) {
        return ForbiddenV4(ReadV4(b, 12));
    }
    if (V6HasPrefix(b, kZero, 96)) {
        // IPv4-compatible (deprecated): never legitimate, whatever it embeds.
        auto reason = ForbiddenV4(ReadV4(b, 12));
        return reason ? reason : std::optional<std::string_view>("reserved");
    }
    if (V6HasPrefix(b, k6to4, 16)) {
        return ForbiddenV4(ReadV4(b, 2));
    }
    if (V6HasPrefix(b, kDocumentation, 32) || V6HasPrefix(b, kDocumentation3fff, 20)) {
        return "documentation";
    }
    if (V6HasPrefix(b, kSpecial2001, 23)) {
        // IETF protocol assignments: Teredo, ORCHID, AMT, benchmarking and the like.
        return "reserved";
    }
    if (V6HasPrefix(b, kUniqueLocal, 7) || V6HasPrefix(b, kSiteLocal, 10)) {
        return "private";
    }
    if (V6HasPrefix(b, kLinkLocal, 10)) {
        return "link-local";
    }
    if (V6HasPrefix(b, kMulticast, 8)) {
        return "multicast";
    }
    if (!V6HasPrefix(b, kGlobalUnicast, 3)) {
        // Includes ::/8 leftovers (100::/64 discard, 64:ff9b:1::/48 local NAT64, SIIT) and
        // every unassigned block.
        return "reserved";
    }
    return std::nullopt;
}

int DigitValue(char c, int radix) {
    int value = -1;
    if (c >= '0' && c <= '9') {
        value = c - '0';
    } else if (c >= 'a' && c <= 'f') {
        value = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
        value = c - 'A' + 10;
    }
    return value < radix ? value : -1;
}

// One part of a WHATWG IPv4 address: decimal, 0-prefixed octal or 0x-prefixed hex ("0x" alone
// is 0). Values are capped at kTooLarge.
std::optional<std::uint64_t> ParseIpv4Part(std::string_view part) {
    if (part.empty()) {
        return std::nullopt;
    }
    int radix = 10;
    if (part.size() >= 2 && part[0] == '0' && (part[1] == 'x' || part[1] == 'X')) {
        radix = 16;
        part.remove_prefix(2);
    } else if (part.size() >= 2 && part[0] == '0') {
        radix = 8;
        part.remove_prefix(1);
    }
    std::uint64_t value = 0;
    for (char c : part) {
        const int digit = DigitValue(c, radix);
        if (digit < 0) {
            return std::nullopt;
        }
        value = std::min(kTooLarge, value * static_cast<std::uint64_t>(radix) +
                                        static_cast<std::uint64_t>(digit));
    }
    return value;
}

std::string_view StripOneTrailingDot(std::string_view host) {
    if (!host.empty() && host.back() == '.') {
        host.remove_suffix(1);
    }
    return host;
}

std::optional<IpAddress> ParseIpv4(std::string_view host) {
    host = StripOneTrailingDot(host);
    if (host.empty()) {
        return std::nullopt;
    }
    std::vector<std::uint64_t> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = host.find('.', start);
        const std::string_view text = host.substr(
            start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        auto value = ParseIpv4Part(text);
        if (!value || parts.size() == 4) {
            return std::nullopt;
        }
        parts.push_back(*value);
        if (dot == std::string_view::npos) {
            break;
        }
        start = dot + 1;
    }
    std::uint64_t address = 0;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
        if (parts[i] > 255) {
            return std::nullopt;
        }
        address |= parts[i] << (8 * (3 - i));
    }
    const std::uint64_t last_limit = std::uint64_t{1} << (8 * (5 - parts.size()));
    if (parts.back() >= last_limit) {
        return std::nullopt;
    }
    address |= parts.back();
    return IpAddress::V4(static_cast<std::uint32_t>(address));
}

bool IsZoneChar(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
           c == '.' || c == '_' || c == '~' || c == '%';
}

std::optional<IpAddress> ParseIpv6(std::string_view host) {
    if (!host.empty() && host.front() == '[') {
        if (host.size() < 2 || host.back() != ']') {
            return std::nullopt;
        }
        host = host.substr(1, host.size() - 2);
    }
    const std::size_t percent = host.find('%');
    if (percent != std::string_view::npos) {
        const std::string_view zone = host.substr(percent + 1);
        if (zone.empty() || zone == "25" || !std::all_of(zone.begin(), zone.end(), IsZoneChar)) {
            return std::nullopt;
        }
        host = host.substr(0, percent);
    }
    // inet_pton reads a C string: refuse anything that is not address syntax (NUL included)
    // before handing it over.
    constexpr std::size_t kMaxText = 45;
    if (host.empty() || host.size() > kMaxText ||
        !std::all_of(host.begin(), host.end(),
                     [](char c) { return DigitValue(c, 16) >= 0 || c == ':' || c == '.'; })) {
        return std::nullopt;
    }
    const std::string text(host);
    std::array<std::uint8_t, 16> bytes{};
    if (inet_pton(AF_INET6, text.c_str(), bytes.data()) != 1) {
        return std::nullopt;
    }
    return IpAddress::V6(bytes);
}

}  // namespace

IpAddress IpAddress::V4(std::array<std::uint8_t, 4> bytes) {
    IpAddress address;
    address.family_ = Family::kV4;
    std::copy(bytes.begin(), bytes.end(), address.bytes_.begin());
    return address;
}

IpAddress IpAddress::V4(std::uint32_t host_order) {
    return V4(std::array<std::uint8_t, 4>{
        static_cast<std::uint8_t>(host_order >> 24), static_cast<std::uint8_t>(host_order >> 16),
        static_cast<std::uint8_t>(host_order >> 8), static_cast<std::uint8_t>(host_order)});
}

IpAddress IpAddress::V6(std::array<std::uint8_t, 16> bytes) {
    IpAddress address;
    address.family_ = Family::kV6;
    address.bytes_ = bytes;
    return address;
}

std::optional<IpAddress> IpAddress::FromSockaddr(const sockaddr* addr, std::size_t length) {
    if (addr == nullptr || length < sizeof(sa_family_t)) {
        return std::nullopt;
    }
    if (addr->sa_family == AF_INET && length >= sizeof(sockaddr_in)) {
        sockaddr_in in{};
        std::memcpy(&in, addr, sizeof(in));
        std::array<std::uint8_t, 4> bytes{};
        std::memcpy(bytes.data(), &in.sin_addr, bytes.size());
        return V4(bytes);
    }
    if (addr->sa_family == AF_INET6 && length >= sizeof(sockaddr_in6)) {
        sockaddr_in6 in6{};
        std::memcpy(&in6, addr, sizeof(in6));
        std::array<std::uint8_t, 16> bytes{};
        std::memcpy(bytes.data(), &in6.sin6_addr, bytes.size());
        return V6(bytes);
    }
    return std::nullopt;
}

std::uint32_t IpAddress::V4Value() const { return IsV4() ? ReadV4(bytes_, 0) : 0; }

std::string IpAddress::ToString() const {
    char text[INET6_ADDRSTRLEN] = {};
    const int family = IsV4() ? AF_INET : AF_INET6;
    if (inet_ntop(family, bytes_.data(), text, sizeof(text)) == nullptr) {
        return {};
    }
    return text;
}

std::string IpAddress::ToUrlHost() const {
    if (IsV4()) {
        return ToString();
    }
    std::string host = "[";
    host.append(ToString());
    host.push_back(']');
    return host;
}

std::optional<IpAddress> ParseNumericHost(std::string_view host) {
    if (host.find(':') != std::string_view::npos || (!host.empty() && host.front() == '[')) {
        return ParseIpv6(host);
    }
    return ParseIpv4(host);
}

bool LooksLikeIpv4(std::string_view host) {
    host = StripOneTrailingDot(host);
    const std::size_t dot = host.rfind('.');
    std::string_view last = dot == std::string_view::npos ? host : host.substr(dot + 1);
    if (last.empty()) {
        return false;
    }
    if (last.size() >= 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X')) {
        last.remove_prefix(2);
        return std::all_of(last.begin(), last.end(), [](char c) { return DigitValue(c, 16) >= 0; });
    }
    return std::all_of(last.begin(), last.end(), [](char c) { return c >= '0' && c <= '9'; });
}

IpNetwork::IpNetwork(const IpAddress& base, int prefix) {
    const int max = base.IsV4() ? 32 : 128;
    prefix_ = std::clamp(prefix, 0, max);
    std::array<std::uint8_t, 16> bytes = base.bytes();
    for (int bit = 0; bit < max; bit += 8) {
        const int keep = std::clamp(prefix_ - bit, 0, 8);
        const auto mask = static_cast<std::uint8_t>(keep == 0 ? 0 : 0xff << (8 - keep));
        bytes[static_cast<std::size_t>(bit / 8)] &= mask;
    }
    if (base.IsV4()) {
        base_ = IpAddress::V4(std::array<std::uint8_t, 4>{bytes[0], bytes[1], bytes[2], bytes[3]});
    } else {
        base_ = IpAddress::V6(bytes);
    }
}

std::optional<IpNetwork> IpNetwork::Parse(std::string_view text) {
    const std::size_t slash = text.find('/');
    auto address = ParseNumericHost(text.substr(0, slash));
    if (!address) {
        return std::nullopt;
    }
    const int max = address->IsV4() ? 32 : 128;
    if (slash == std::string_view::npos) {
        return IpNetwork(*address, max);
    }
    const std::string_view digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
    }
    int prefix = 0;
    for (char c : digits) {
        prefix = prefix * 10 + (c - '0');
    }
    if (prefix > max) {
        return std::nullopt;
    }
    return IpNetwork(*address, prefix);
}

bool IpNetwork::Contains(const IpAddress& address) const {
    if (address.family() != base_.family()) {
        return false;
    }
    return V6HasPrefix(address.bytes(), base_.bytes(), prefix_);
}

std::string IpNetwork::ToString() const { return base_.ToString() + "/" + std::to_string(prefix_); }

std::optional<std::string_view> ForbiddenReason(const IpAddress& address) {
    if (address.IsV4()) {
        return ForbiddenV4(address.V4Value());
    }
    return ForbiddenV6(address.bytes());
}

}  // namespace gc::outbound
