// The HTTP/1.1 server: Beast on Asio coroutines. Network work happens on one I/O thread;
// every request's handler runs on a bounded worker pool, so the I/O thread never waits on the
// database.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "http/router.hpp"

namespace gc::http {

struct ServerSettings {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;  // 0: any free port (written to port_file)
    int worker_threads = 8;     // handlers run here; match the database pool size
    std::size_t body_limit = std::size_t{1024} * 1024;
    std::chrono::seconds read_timeout{30};
    std::chrono::seconds shutdown_grace{10};
    std::string port_file;  // when set, the bound port is written here once listening
};

class Server {
  public:
    Server(ServerSettings settings, const Router& router);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds and serves until SIGTERM or SIGINT, then stops accepting, lets requests in flight
    // finish (up to shutdown_grace) and returns 0. Returns 1 if it cannot bind.
    int Run();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace gc::http
