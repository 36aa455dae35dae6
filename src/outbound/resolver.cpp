// SystemResolver: getaddrinfo, with results converted to IpAddress and de-duplicated.
#include "outbound/resolver.hpp"

#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <memory>
#include <string>

namespace gc::outbound {

core::Result<std::vector<IpAddress>> SystemResolver::Resolve(std::string_view host,
                                                             std::uint16_t port) {
    const std::string name(host);
    const std::string service = std::to_string(port);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    // No AI_ADDRCONFIG: glibc ignores loopback when deciding which families are configured, so
    // on a host with only loopback it would hide the very answers the guard must see.
    addrinfo* raw = nullptr;
    const int rc = getaddrinfo(name.c_str(), service.c_str(), &hints, &raw);
    const std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> list(raw, &freeaddrinfo);
    if (rc != 0) {
        return core::Error::Make(core::ErrorCode::kUpstreamUnreachable,
                                 "could not resolve host " + name,
                                 std::string("getaddrinfo: ") + gai_strerror(rc));
    }
    std::vector<IpAddress> addresses;
    for (const addrinfo* entry = list.get(); entry != nullptr; entry = entry->ai_next) {
        auto address = IpAddress::FromSockaddr(entry->ai_addr, entry->ai_addrlen);
        if (address && std::find(addresses.begin(), addresses.end(), *address) == addresses.end()) {
            addresses.push_back(*address);
        }
    }
    if (addresses.empty()) {
        return core::Error::Make(core::ErrorCode::kUpstreamUnreachable,
                                 "could not resolve host " + name,
                                 "getaddrinfo returned no IPv4 or IPv6 address");
    }
    return addresses;
}

}  // namespace gc::outbound
