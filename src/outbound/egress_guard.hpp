// The egress guard's decisions: which URLs an outbound call may use, which resolved addresses
// it may connect to (CONNECTOR_EGRESS_ALLOW opens exceptions), and how redirects are followed.
// Pure functions and an immutable policy; the HTTP client connects only to what they approve.
//
// How the client uses it, per request and per redirect hop:
//   1. target = CheckUrl(url)                  -> refuses bad schemes, userinfo, odd hosts
//   2. pinned = ResolveAndCheck(policy, resolver, target)   (blocking DNS: off network threads)
//   3. curl gets target.Url() (never the caller's original text), CURLOPT_RESOLVE with
//      CurlResolveEntry(pinned), and an opensocket callback that refuses any address other than
//      pinned.address (compare with IpAddress::FromSockaddr); automatic redirects stay off.
//   4. on a 3xx: next = CheckRedirect(target, location, hop, max_hops), then step 2 again; drop
//      credential headers unless SameOrigin(target, next).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "outbound/ip_address.hpp"
#include "outbound/resolver.hpp"

namespace gc::outbound {

// The environment variable the policy is read from; error messages name it.
inline constexpr std::string_view kEgressAllowVariable = "CONNECTOR_EGRESS_ALLOW";

// A destination that passed CheckUrl, normalized so that what is checked is what is sent.
struct Target {
    std::string scheme;  // "http" or "https"
    // Lower-case DNS name without a trailing dot, or, for a numeric host, the canonical text of
    // `literal` (IPv6 without brackets). Never empty.
    std::string host;
    std::uint16_t port = 0;      // the URL's port, or 80 / 443
    std::string path_and_query;  // origin-form request target, still percent-encoded; "/" at least
    std::optional<IpAddress> literal;  // set when the URL named an address, in any notation

    bool IsLiteral() const { return literal.has_value(); }
    // The normalized URL to hand to the HTTP client: scheme://host[:port]/path?query, with IPv6
    // in brackets, the default port omitted, and no userinfo or fragment.
    std::string Url() const;
};

// A Target and the one address the client must connect to.
struct ResolvedTarget {
    Target target;
    IpAddress address;
};

// "host:port:address" for CURLOPT_RESOLVE (IPv6 address in brackets), or "" for a literal
// target, which curl connects to without resolving.
std::string CurlResolveEntry(const ResolvedTarget& resolved);

// The verdict on one address. `reason` points at a string literal: for a refusal the
// ForbiddenReason ("loopback", "private", ...), for an allowance "allowlisted host",
// "allowlisted network" or "public address".
struct Decision {
    bool allowed = false;
    std::string_view reason;
};

// What CONNECTOR_EGRESS_ALLOW opens. Immutable after Parse, so every const method is
// thread-safe. A default-constructed policy opens nothing.
class EgressPolicy {
  public:
    EgressPolicy() = default;

    // Parses a comma-separated list; spaces around entries and empty entries are ignored.
    // Entries: a host name (`api.local`, matched case-insensitively, trailing dot ignored),
    // `host:port`, an IP address in any notation ParseNumericHost accepts (`127.0.0.1`, `::1`,
    // `[::1]:8080`, `127.0.0.1:9000`), or a CIDR (`127.0.0.0/8`, `::1/128`, `fc00::/7`; host bits
    // are ignored). An entry without a port opens every port. On a malformed entry returns
    // ErrorCode::kBadRequest with a message naming CONNECTOR_EGRESS_ALLOW and the entry.
    static core::Result<EgressPolicy> Parse(std::string_view allow);

    // Whether the client may connect to `resolved` for `target`: yes when target's host name (and
    // port, if the entry has one) is allowlisted, whatever the name resolves to: the
    // administrator vouches for the name, and tests allow `localhost` to reach a mock on
    // 127.0.0.1; yes when `resolved` is inside an allowlisted network (port likewise); otherwise
    // yes exactly when ForbiddenReason(resolved) is empty.
    Decision CheckAddress(const Target& target, const IpAddress& resolved) const;

    // True when nothing is allowlisted.
    bool empty() const { return names_.empty() && networks_.empty(); }

  private:
    struct NameEntry {
        std::string host;
        std::optional<std::uint16_t> port;
    };
    struct NetworkEntry {
        IpNetwork network;
        std::optional<std::uint16_t> port;
    };

    std::vector<NameEntry> names_;
    std::vector<NetworkEntry> networks_;
};

// Parses and normalizes an absolute URL. Refuses with ErrorCode::kForbidden and the public
// message "destination not allowed: <reason>" a scheme other than http/https and any userinfo
// (user@host tricks). Returns ErrorCode::kBadRequest ("invalid URL: ...") for a URL that does
// not parse, lacks a host, has port 0 or above 65535, an IPvFuture or percent-encoded host, a
// host that is neither a valid DNS name nor a numeric address, or a numeric-looking host out of
// range (1.2.3.4.5, 256.1.1.1), so that no literal can pass as a name. Numeric hosts in every
// notation (2130706433, 0x7f.1, [::ffff:7f00:1], ...) come back with `literal` set and `host`
// canonical. The fragment is dropped. Makes no DNS query and no address check: pass the result
// to ResolveAndCheck. Pure; thread-safe.
core::Result<Target> CheckUrl(std::string_view url);

// Finds the address to connect to. A literal target is checked without calling `resolver`.
// Otherwise every address the resolver returns is checked and the call is refused if ANY of
// them is refused, even when another is public: a name that answers with a public and a
// private address is either misconfigured or a rebinding attempt, and refusing it means the
// pinned address can never be chosen by answer order. On success returns the first address
// (the resolver's preference), which the client must pin. Refusals are ErrorCode::kForbidden
// with "destination not allowed: <reason>" (the internal detail names host and address);
// resolver errors are passed through (kUnavailable). Blocks as long as `resolver` does.
core::Result<ResolvedTarget> ResolveAndCheck(const EgressPolicy& policy, Resolver& resolver,
                                             const Target& target);

// ResolveAndCheck's verdict on a resolver's answer for the name target.host (which a caller may
// have kept from an earlier lookup): every address checked, the first one pinned. An empty
// answer is kUpstreamUnreachable. Pure; thread-safe.
core::Result<ResolvedTarget> CheckResolved(const EgressPolicy& policy, const Target& target,
                                           const std::vector<IpAddress>& addresses);

// The next hop of a redirect: resolves `location` (absolute, scheme-relative or relative)
// against `from`, then applies CheckUrl to the result. `hop` counts redirects followed so far
// including this one (1 for the first); when hop > max_hops returns ErrorCode::kBadRequest
// "too many redirects". A malformed Location is ErrorCode::kBadRequest. The caller must still
// run ResolveAndCheck on the returned target, and drop credential headers unless
// SameOrigin(from, next). Pure; thread-safe.
core::Result<Target> CheckRedirect(const Target& from, std::string_view location, int hop,
                                   int max_hops);

// True when scheme, host and port are equal (hosts compared in their normalized form).
bool SameOrigin(const Target& a, const Target& b);

}  // namespace gc::outbound
