// NullProxy (see null_proxy.hpp): Beast over Asio C++20 coroutines, one coroutine per client
// connection on its own strand, paired with its own keep-alive connection to the upstream.
#include "null_proxy.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <optional>

#include "loopback_server.hpp"

namespace gc::bench {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

constexpr auto kUseTuple = net::as_tuple(net::use_awaitable);

}  // namespace

struct NullProxy::Impl {
    tcp::endpoint upstream;

    net::awaitable<void> Session(beast::tcp_stream client) {
        beast::tcp_stream server(client.get_executor());
        auto [connect_ec] = co_await server.async_connect(upstream, kUseTuple);
        if (connect_ec) {
            co_return;
        }
        beast::error_code ignored;
        server.socket().set_option(tcp::no_delay(true), ignored);
        beast::flat_buffer client_buffer;
        beast::flat_buffer server_buffer;
        for (;;) {
            http::request<http::string_body> req;
            auto [read_ec, read_n] =
                co_await http::async_read(client, client_buffer, req, kUseTuple);
            if (read_ec) {
                break;
            }
            auto [fwd_ec, fwd_n] = co_await http::async_write(server, req, kUseTuple);
            if (fwd_ec) {
                break;
            }
            http::response<http::string_body> res;
            auto [back_ec, back_n] =
                co_await http::async_read(server, server_buffer, res, kUseTuple);
            if (back_ec) {
                break;
            }
            auto [write_ec, write_n] = co_await http::async_write(client, res, kUseTuple);
            if (write_ec || !req.keep_alive()) {
                break;
            }
        }
        client.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }

    std::optional<LoopbackServer> server;  // last: stopped before what its sessions use
};

NullProxy::NullProxy(int threads, std::uint16_t upstream_port) : impl_(std::make_unique<Impl>()) {
    impl_->upstream = tcp::endpoint(net::ip::make_address_v4("127.0.0.1"), upstream_port);
    impl_->server.emplace(threads, [impl = impl_.get()](beast::tcp_stream client) {
        return impl->Session(std::move(client));
    });
}

NullProxy::~NullProxy() = default;

std::uint16_t NullProxy::Port() const { return impl_->server->Port(); }

}  // namespace gc::bench
