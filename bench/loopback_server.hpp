// LoopbackServer: what the benchmark's local servers (the upstream, the null proxy) share. An
// io_context on threads of its own and an acceptor on 127.0.0.1:<free port>; each accepted
// connection (TCP_NODELAY) runs the given session coroutine on its own strand.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <cstdint>
#include <functional>
#include <memory>

namespace gc::bench {

class LoopbackServer {
  public:
    using Session = std::function<boost::asio::awaitable<void>(boost::beast::tcp_stream)>;

    // Listens from construction until destruction. Throws boost::system::system_error when it
    // cannot bind.
    LoopbackServer(int threads, Session session);
    // Stops the threads; pending sessions are destroyed (closing their sockets) without running.
    ~LoopbackServer();
    LoopbackServer(const LoopbackServer&) = delete;
    LoopbackServer& operator=(const LoopbackServer&) = delete;

    std::uint16_t Port() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace gc::bench
