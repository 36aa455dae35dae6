// NullProxy: the cheapest HTTP proxy this machine can run, as a ceiling for the execute
// benchmark. It forwards each request to the upstream as is, over one upstream connection per
// client connection, with no parsing beyond HTTP framing, no authentication, no JSON, no log and
// no thread hand-offs. Whatever it costs, any proxy (the connector included) costs at least.
#pragma once

#include <cstdint>
#include <memory>

namespace gc::bench {

// Listens on 127.0.0.1:<free port> from construction until destruction, on `threads` threads
// of its own, forwarding to 127.0.0.1:upstream_port. Thread-safe.
class NullProxy {
  public:
    // Throws boost::system::system_error when it cannot bind.
    NullProxy(int threads, std::uint16_t upstream_port);
    ~NullProxy();
    NullProxy(const NullProxy&) = delete;
    NullProxy& operator=(const NullProxy&) = delete;

    std::uint16_t Port() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace gc::bench
