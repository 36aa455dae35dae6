// The egress guard: URL normalization with Boost.URL, the CONNECTOR_EGRESS_ALLOW policy, the
// resolve-then-check step and redirect resolution.
#include "outbound/egress_guard.hpp"

#include <algorithm>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <boost/url/url_view.hpp>
#include <utility>

namespace gc::outbound {

namespace {

constexpr std::uint16_t kHttpPort = 80;
constexpr std::uint16_t kHttpsPort = 443;
constexpr std::size_t kMaxHostName = 253;
constexpr std::size_t kMaxLabel = 63;

core::Error Refused(std::string_view reason, std::string internal = {}) {
    return core::Error::Make(core::ErrorCode::kDestinationNotAllowed,
                             "destination not allowed: " + std::string(reason),
                             std::move(internal));
}

core::Error InvalidUrl(std::string_view what) {
    return core::Error::Make(core::ErrorCode::kBadRequest, "invalid URL: " + std::string(what));
}

core::Error BadAllowEntry(std::string_view entry, std::string_view why) {
    return core::Error::Make(core::ErrorCode::kBadRequest,
                             std::string(kEgressAllowVariable) + ": invalid entry '" +
                                 std::string(entry) + "' (" + std::string(why) + ")");
}

std::string ToLower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    return out;
}

std::string_view Trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

bool IsHostNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// Lower-cases `host`, drops one trailing dot and checks it is a DNS name made of letters,
// digits, '-' and '_' whose last label is not a number. Returns nullopt otherwise.
std::optional<std::string> NormalizeHostName(std::string_view host) {
    std::string name = ToLower(host);
    if (!name.empty() && name.back() == '.') {
        name.pop_back();
    }
    if (name.empty() || name.size() > kMaxHostName || LooksLikeIpv4(name)) {
        return std::nullopt;
    }
    std::size_t label = 0;
    for (char c : name) {
        if (c == '.') {
            if (label == 0) {
                return std::nullopt;
            }
            label = 0;
            continue;
        }
        if (!IsHostNameChar(c) || ++label > kMaxLabel) {
            return std::nullopt;
        }
    }
    return label == 0 ? std::nullopt : std::optional<std::string>(std::move(name));
}

std::optional<std::uint16_t> ParsePort(std::string_view digits) {
    if (digits.empty() || digits.size() > 5 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
    }
    unsigned value = 0;
    for (char c : digits) {
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (value == 0 || value > 65535) {
        return std::nullopt;
    }
    return static_cast<std::uint16_t>(value);
}

std::uint16_t DefaultPort(std::string_view scheme) {
    return scheme == "https" ? kHttpsPort : kHttpPort;
}

bool PortMatches(const std::optional<std::uint16_t>& entry, std::uint16_t port) {
    return !entry || *entry == port;
}

// The five components of a URI reference, split as RFC 3986 Appendix B does (no validation).
struct UriParts {
    std::string_view scheme;
    bool has_authority = false;
    std::string_view authority;
    std::string_view path;
    bool has_query = false;
    std::string_view query;
};

UriParts SplitUri(std::string_view text) {
    UriParts parts;
    const std::size_t fragment = text.find('#');
    if (fragment != std::string_view::npos) {
        text = text.substr(0, fragment);
    }
    const std::size_t stop = text.find_first_of(":/?");
    if (stop != std::string_view::npos && stop > 0 && text[stop] == ':') {
        parts.scheme = text.substr(0, stop);
        text.remove_prefix(stop + 1);
    }
    if (text.substr(0, 2) == "//") {
        text.remove_prefix(2);
        const std::size_t end = text.find_first_of("/?");
        parts.has_authority = true;
        parts.authority = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view() : text.substr(end);
    }
    const std::size_t question = text.find('?');
    parts.path = text.substr(0, question);
    if (question != std::string_view::npos) {
        parts.has_query = true;
        parts.query = text.substr(question + 1);
    }
    return parts;
}

}  // namespace

std::string Target::Url() const {
    std::string url = scheme + "://" + (literal ? literal->ToUrlHost() : host);
    if (port != DefaultPort(scheme)) {
        url += ":" + std::to_string(port);
    }
    url += path_and_query;
    return url;
}

std::string CurlResolveEntry(const ResolvedTarget& resolved) {
    if (resolved.target.IsLiteral()) {
        return {};
    }
    return resolved.target.host + ":" + std::to_string(resolved.target.port) + ":" +
           resolved.address.ToUrlHost();
}

core::Result<EgressPolicy> EgressPolicy::Parse(std::string_view allow) {
    EgressPolicy policy;
    while (!allow.empty()) {
        const std::size_t comma = allow.find(',');
        const std::string_view entry = Trim(allow.substr(0, comma));
        allow = comma == std::string_view::npos ? std::string_view() : allow.substr(comma + 1);
        if (entry.empty()) {
            continue;
        }
        std::string_view host = entry;
        std::optional<std::uint16_t> port;
        std::string_view port_text;
        bool has_port = false;
        if (entry.front() == '[') {
            const std::size_t close = entry.find(']');
            if (close == std::string_view::npos) {
                return BadAllowEntry(entry, "unclosed '['");
            }
            const std::string_view after = entry.substr(close + 1);
            if (!after.empty() && after.front() == ':') {
                host = entry.substr(0, close + 1);
                port_text = after.substr(1);
                has_port = true;
            } else if (!after.empty() && after.front() != '/') {
                return BadAllowEntry(entry, "unexpected text after ']'");
            }
        } else if (std::count(entry.begin(), entry.end(), ':') == 1) {
            const std::size_t colon = entry.find(':');
            host = entry.substr(0, colon);
            port_text = entry.substr(colon + 1);
            has_port = true;
        }
        if (has_port) {
            port = ParsePort(port_text);
            if (!port) {
                return BadAllowEntry(entry, "port must be 1 to 65535");
            }
        }
        if (host.find('/') != std::string_view::npos || ParseNumericHost(host)) {
            auto network = IpNetwork::Parse(host);
            if (!network) {
                return BadAllowEntry(entry, "not an IP address or CIDR");
            }
            policy.networks_.push_back({*network, port});
            continue;
        }
        auto name = NormalizeHostName(host);
        if (!name) {
            return BadAllowEntry(entry, "expected a host name, host:port, an IP address or a CIDR");
        }
        policy.names_.push_back({std::move(*name), port});
    }
    return policy;
}

Decision EgressPolicy::CheckAddress(const Target& target, const IpAddress& resolved) const {
    if (!target.IsLiteral()) {
        for (const NameEntry& entry : names_) {
            if (entry.host == target.host && PortMatches(entry.port, target.port)) {
                return {true, "allowlisted host"};
            }
        }
    }
    for (const NetworkEntry& entry : networks_) {
        if (entry.network.Contains(resolved) && PortMatches(entry.port, target.port)) {
            return {true, "allowlisted network"};
        }
    }
    if (auto reason = ForbiddenReason(resolved)) {
        return {false, *reason};
    }
    return {true, "public address"};
}

core::Result<Target> CheckUrl(std::string_view url) {
    // Boost.URL validates the syntax, but its components are not used: 1.81 splits
    // "http://1.2.3.4.example.com/" into host 1.2.3.4 and path ".example.com/"
    // (boostorg/url#755, #770).
    if (!boost::urls::parse_uri(url)) {
        return InvalidUrl("not an absolute URL");
    }
    const UriParts parts = SplitUri(url);
    Target target;
    target.scheme = ToLower(parts.scheme);
    if (target.scheme != "http" && target.scheme != "https") {
        return Refused("only http and https are allowed");
    }
    if (!parts.has_authority) {
        return InvalidUrl("no host");
    }
    if (parts.authority.find('@') != std::string_view::npos) {
        return Refused("credentials in the URL are not allowed");
    }
    std::string_view host = parts.authority;
    std::string_view port_text;
    if (!host.empty() && host.front() == '[') {
        const std::size_t close = host.find(']');
        if (close == std::string_view::npos) {
            return InvalidUrl("bad IP address");
        }
        const std::string_view after = host.substr(close + 1);
        if (!after.empty() && after.front() != ':') {
            return InvalidUrl("bad IP address");
        }
        port_text = after.empty() ? after : after.substr(1);
        host = host.substr(0, close + 1);
    } else if (const std::size_t colon = host.rfind(':'); colon != std::string_view::npos) {
        port_text = host.substr(colon + 1);
        host = host.substr(0, colon);
    }
    if (host.empty()) {
        return InvalidUrl("no host");
    }
    if (host.find('%') != std::string_view::npos && host.front() != '[') {
        return InvalidUrl("percent-encoded host");
    }
    target.literal = ParseNumericHost(host);
    if (target.literal) {
        target.host = target.literal->ToString();
    } else if (host.front() == '[') {
        return InvalidUrl("bad IP address");
    } else {
        auto name = NormalizeHostName(host);
        if (!name) {
            return InvalidUrl("bad host name");
        }
        target.host = std::move(*name);
    }
    target.port = DefaultPort(target.scheme);
    if (!port_text.empty()) {
        auto port = ParsePort(port_text);
        if (!port) {
            return InvalidUrl("port must be 1 to 65535");
        }
        target.port = *port;
    }
    target.path_and_query = parts.path.empty() ? "/" : std::string(parts.path);
    if (parts.has_query) {
        target.path_and_query += "?";
        target.path_and_query += parts.query;
    }
    return target;
}

core::Result<ResolvedTarget> ResolveAndCheck(const EgressPolicy& policy, Resolver& resolver,
                                             const Target& target) {
    if (target.literal) {
        const Decision decision = policy.CheckAddress(target, *target.literal);
        if (!decision.allowed) {
            return Refused(decision.reason, "address " + target.literal->ToString());
        }
        return ResolvedTarget{target, *target.literal};
    }
    auto addresses = resolver.Resolve(target.host, target.port);
    if (!addresses) {
        return addresses.error();
    }
    return CheckResolved(policy, target, *addresses);
}

core::Result<ResolvedTarget> CheckResolved(const EgressPolicy& policy, const Target& target,
                                           const std::vector<IpAddress>& addresses) {
    if (addresses.empty()) {
        return core::Error::Make(core::ErrorCode::kUpstreamUnreachable,
                                 "could not resolve host " + target.host,
                                 "resolver returned no address");
    }
    for (const IpAddress& address : addresses) {
        const Decision decision = policy.CheckAddress(target, address);
        if (!decision.allowed) {
            return Refused(decision.reason,
                           "host " + target.host + " resolved to " + address.ToString());
        }
    }
    return ResolvedTarget{target, addresses.front()};
}

core::Result<Target> CheckRedirect(const Target& from, std::string_view location, int hop,
                                   int max_hops) {
    if (hop > max_hops) {
        return core::Error::Make(core::ErrorCode::kTooManyRedirects, "too many redirects",
                                 "redirect hop " + std::to_string(hop) + " over the limit of " +
                                     std::to_string(max_hops));
    }
    location = Trim(location);
    if (location.empty()) {
        return core::Error::Make(core::ErrorCode::kBadRequest,
                                 "invalid redirect: empty Location header");
    }
    auto reference = boost::urls::parse_uri_reference(location);
    if (!reference) {
        return core::Error::Make(core::ErrorCode::kBadRequest,
                                 "invalid redirect: malformed Location header");
    }
    const UriParts parts = SplitUri(location);
    if (!parts.scheme.empty()) {
        return CheckUrl(location);
    }
    if (parts.has_authority) {
        return CheckUrl(from.scheme + ":" + std::string(location));
    }
    // A path-relative reference: merge paths against a placeholder authority (Boost's host
    // parsing is not trusted, see CheckUrl), then put the result under from's origin.
    const std::string base_text = "http://placeholder" + from.path_and_query;
    auto base = boost::urls::parse_uri(base_text);
    if (!base) {
        return core::Error::Internal("redirect base does not parse");
    }
    boost::urls::url next;
    if (auto resolved = boost::urls::resolve(*base, *reference, next); !resolved) {
        return core::Error::Make(core::ErrorCode::kBadRequest,
                                 "invalid redirect: Location cannot be resolved");
    }
    Target origin = from;
    origin.path_and_query = std::string(next.encoded_path());
    if (origin.path_and_query.empty() || origin.path_and_query.front() != '/') {
        origin.path_and_query.insert(0, "/");
    }
    if (next.has_query()) {
        origin.path_and_query += "?";
        origin.path_and_query += next.encoded_query();
    }
    return CheckUrl(origin.Url());
}

bool SameOrigin(const Target& a, const Target& b) {
    return a.scheme == b.scheme && a.host == b.host && a.port == b.port;
}

}  // namespace gc::outbound
