#include "loopback_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <optional>
#include <thread>
#include <vector>

namespace gc::bench {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

}  // namespace

struct LoopbackServer::Impl {
    Session session;
    std::optional<net::io_context> ioc;
    std::optional<tcp::acceptor> acceptor;
    std::vector<std::thread> threads;
    std::uint16_t port = 0;

    net::awaitable<void> Listen() {
        for (;;) {
            auto [ec, socket] = co_await acceptor->async_accept(net::make_strand(*ioc),
                                                                net::as_tuple(net::use_awaitable));
            if (ec) {
                if (ec == net::error::operation_aborted || !acceptor->is_open()) {
                    co_return;
                }
                continue;
            }
            boost::system::error_code ignored;
            socket.set_option(tcp::no_delay(true), ignored);
            auto executor = socket.get_executor();
            net::co_spawn(executor, session(boost::beast::tcp_stream(std::move(socket))),
                          [](const std::exception_ptr&) {});
        }
    }
};

LoopbackServer::LoopbackServer(int threads, Session session) : impl_(std::make_unique<Impl>()) {
    impl_->session = std::move(session);
    impl_->ioc.emplace(threads);
    impl_->acceptor.emplace(*impl_->ioc);
    tcp::endpoint endpoint(net::ip::make_address_v4("127.0.0.1"), 0);
    impl_->acceptor->open(endpoint.protocol());
    impl_->acceptor->set_option(net::socket_base::reuse_address(true));
    impl_->acceptor->bind(endpoint);
    impl_->acceptor->listen(net::socket_base::max_listen_connections);
    impl_->port = impl_->acceptor->local_endpoint().port();
    net::co_spawn(*impl_->ioc, impl_->Listen(), net::detached);
    for (int i = 0; i < std::max(threads, 1); ++i) {
        impl_->threads.emplace_back([this] { impl_->ioc->run(); });
    }
}

LoopbackServer::~LoopbackServer() {
    impl_->ioc->stop();
    for (auto& t : impl_->threads) {
        t.join();
    }
    impl_->acceptor.reset();
    impl_->ioc.reset();
}

std::uint16_t LoopbackServer::Port() const { return impl_->port; }

}  // namespace gc::bench
