// The DNS seam of the outbound path: an interface, the getaddrinfo implementation, and (in
// fake_resolver.hpp) a table-driven fake for tests.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "outbound/ip_address.hpp"

namespace gc::outbound {

// Turns a host name into addresses. Implementations must be thread-safe.
class Resolver {
  public:
    virtual ~Resolver() = default;
    // Returns every address `host` resolves to, in the order a client should try them, without
    // duplicates. `port` is informational (some resolvers use it). On failure returns an error
    // with ErrorCode::kUnavailable and a public message naming the host; never an empty vector.
    virtual core::Result<std::vector<IpAddress>> Resolve(std::string_view host,
                                                         std::uint16_t port) = 0;
};

// getaddrinfo with AF_UNSPEC and SOCK_STREAM. Blocks for as long as the system resolver takes:
// call it off the network threads. Thread-safe.
class SystemResolver final : public Resolver {
  public:
    core::Result<std::vector<IpAddress>> Resolve(std::string_view host,
                                                 std::uint16_t port) override;
};

}  // namespace gc::outbound
