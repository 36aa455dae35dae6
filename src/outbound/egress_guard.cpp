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
    return core::Error::Make(core::ErrorCode::kForbidden,
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
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed) {
        return InvalidUrl("not an absolute URL");
    }
    const boost::urls::url_view& view = *parsed;
    Target target;
    target.scheme = ToLower(view.scheme());
    if (target.scheme != "http" && target.scheme != "https") {
        return Refused("only http and https are allowed");
    }
    if (view.has_userinfo()) {
        return Refused("credentials in the URL are not allowed");
    }
    if (!view.has_authority() || view.encoded_host().empty()) {
        return InvalidUrl("no host");
    }
    const std::string_view raw_host = view.encoded_host();
    switch (view.host_type()) {
        case boost::urls::host_type::ipv4:
        case boost::urls::host_type::ipv6:
            target.literal = ParseNumericHost(raw_host);
            if (!target.literal) {
                return InvalidUrl("bad IP address");
            }
            break;
        case boost::urls::host_type::name:
            if (raw_host.find('%') != std::string_view::npos) {
                return InvalidUrl("percent-encoded host");
            }
            target.literal = ParseNumericHost(raw_host);
            if (!target.literal) {
                auto name = NormalizeHostName(raw_host);
                if (!name) {
                    return InvalidUrl("bad host name");
                }
                target.host = std::move(*name);
            }
            break;
        default:
            return InvalidUrl("unsupported host");
    }
    if (target.literal) {
        target.host = target.literal->ToString();
    }
    target.port = DefaultPort(target.scheme);
    if (view.has_port() && !view.port().empty()) {
        auto port = ParsePort(view.port());
        if (!port) {
            return InvalidUrl("port must be 1 to 65535");
        }
        target.port = *port;
    }
    target.path_and_query = view.encoded_path();
    if (target.path_and_query.empty()) {
        target.path_and_query = "/";
    }
    if (view.has_query()) {
        target.path_and_query += "?";
        target.path_and_query += view.encoded_query();
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
    if (addresses->empty()) {
        return core::Error::Make(core::ErrorCode::kUnavailable,
                                 "could not resolve host " + target.host,
                                 "resolver returned no address");
    }
    for (const IpAddress& address : *addresses) {
        const Decision decision = policy.CheckAddress(target, address);
        if (!decision.allowed) {
            return Refused(decision.reason,
                           "host " + target.host + " resolved to " + address.ToString());
        }
    }
    return ResolvedTarget{target, addresses->front()};
}

core::Result<Target> CheckRedirect(const Target& from, std::string_view location, int hop,
                                   int max_hops) {
    if (hop > max_hops) {
        return core::Error::Make(core::ErrorCode::kBadRequest, "too many redirects",
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
    const std::string base_text = from.Url();
    auto base = boost::urls::parse_uri(base_text);
    if (!base) {
        return core::Error::Internal("redirect base does not parse: " + from.scheme + "://" +
                                     from.host);
    }
    boost::urls::url next;
    if (auto resolved = boost::urls::resolve(*base, *reference, next); !resolved) {
        return core::Error::Make(core::ErrorCode::kBadRequest,
                                 "invalid redirect: Location cannot be resolved");
    }
    return CheckUrl(next.buffer());
}

bool SameOrigin(const Target& a, const Target& b) {
    return a.scheme == b.scheme && a.host == b.host && a.port == b.port;
}

}  // namespace gc::outbound
