// BenchUpstream (see bench_upstream.hpp): Beast over Asio C++20 coroutines, one coroutine per
// connection on its own strand; the answer's bytes are serialized once at start.
#include "bench_upstream.hpp"

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <sstream>

#include "loopback_server.hpp"

namespace gc::bench {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

constexpr auto kUseTuple = net::as_tuple(net::use_awaitable);
constexpr std::chrono::seconds kIdleTimeout{60};

// The full HTTP/1.1 response for a status and body, keep-alive.
std::string SerializedResponse(http::status status, const std::string& body) {
    http::response<http::string_body> res{status, 11};
    res.set(http::field::server, "bench-upstream");
    res.set(http::field::content_type, "application/json");
    res.body() = body;
    res.keep_alive(true);
    res.prepare_payload();
    std::ostringstream out;
    out << res;
    return out.str();
}

}  // namespace

struct BenchUpstream::Impl {
    std::chrono::milliseconds slow_delay{0};
    std::string ok_response = SerializedResponse(http::status::ok, kUpstreamBody);
    std::string not_found_response =
        SerializedResponse(http::status::not_found, R"({"error":"no route"})");
    std::atomic<std::uint64_t> requests{0};
    std::atomic<std::uint64_t> connections{0};

    net::awaitable<void> Session(beast::tcp_stream stream) {
        beast::flat_buffer buffer;
        net::steady_timer timer(stream.get_executor());
        for (;;) {
            http::request_parser<http::string_body> parser;
            parser.body_limit(std::uint64_t{1024} * 1024);
            stream.expires_after(kIdleTimeout);
            auto [read_ec, read_n] = co_await http::async_read(stream, buffer, parser, kUseTuple);
            if (read_ec) {
                break;
            }
            const auto& req = parser.get();
            const std::string* answer = &not_found_response;
            if (req.method() == http::verb::get && req.target() == "/fast") {
                answer = &ok_response;
            } else if (req.method() == http::verb::get && req.target() == "/slow") {
                timer.expires_after(slow_delay);
                co_await timer.async_wait(kUseTuple);
                answer = &ok_response;
            }
            const bool keep_alive = req.keep_alive();
            stream.expires_after(kIdleTimeout);
            auto [write_ec, write_n] =
                co_await net::async_write(stream, net::buffer(*answer), kUseTuple);
            requests.fetch_add(1, std::memory_order_relaxed);
            if (write_ec || !keep_alive) {
                break;
            }
        }
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }

    std::optional<LoopbackServer> server;  // last: stopped before what its sessions use
};

BenchUpstream::BenchUpstream(int threads, std::chrono::milliseconds slow_delay)
    : impl_(std::make_unique<Impl>()) {
    impl_->slow_delay = slow_delay;
    impl_->server.emplace(threads, [impl = impl_.get()](beast::tcp_stream stream) {
        impl->connections.fetch_add(1, std::memory_order_relaxed);
        return impl->Session(std::move(stream));
    });
}

BenchUpstream::~BenchUpstream() = default;

std::uint16_t BenchUpstream::Port() const { return impl_->server->Port(); }

std::uint64_t BenchUpstream::Requests() const {
    return impl_->requests.load(std::memory_order_relaxed);
}

std::uint64_t BenchUpstream::Connections() const {
    return impl_->connections.load(std::memory_order_relaxed);
}

}  // namespace gc::bench
