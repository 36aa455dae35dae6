// BenchUpstream: a lean HTTP/1.1 upstream on 127.0.0.1 for the execute benchmark. Answers
// GET /fast at once and GET /slow after a fixed delay (an Asio timer, never a blocked thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace gc::bench {

// The body both routes answer with (Content-Type: application/json).
inline constexpr const char* kUpstreamBody = R"({"ok":true,"items":[1,2,3]})";

// Listens on 127.0.0.1:<free port> from construction until destruction, serving keep-alive
// connections on `threads` threads of its own. Other paths answer 404. It records nothing but
// counts, so it costs the same for every caller. Every method is thread-safe.
class BenchUpstream {
  public:
    // Throws boost::system::system_error when it cannot bind.
    BenchUpstream(int threads, std::chrono::milliseconds slow_delay);
    ~BenchUpstream();
    BenchUpstream(const BenchUpstream&) = delete;
    BenchUpstream& operator=(const BenchUpstream&) = delete;

    std::uint16_t Port() const;
    // Requests answered and TCP connections accepted since start.
    std::uint64_t Requests() const;
    std::uint64_t Connections() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace gc::bench
