// MockUpstream (see mock_upstream.hpp): Beast HTTP/1.1 over Asio C++20 coroutines, one coroutine
// per connection on its own strand; delays are timers, so slow routes never block others.
#include "support/mock_upstream.hpp"

#include <strings.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

namespace gc::test {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

constexpr auto kUseTuple = net::as_tuple(net::use_awaitable);
constexpr std::uint64_t kBodyLimit = 64ull * 1024 * 1024;
constexpr std::chrono::seconds kIoTimeout{60};

bool SameName(const std::string& a, const std::string& b) {
    return a.size() == b.size() && strcasecmp(a.c_str(), b.c_str()) == 0;
}

bool PathMatches(const std::string& pattern, const std::string& path) {
    if (!pattern.empty() && pattern.back() == '*') {
        return path.compare(0, pattern.size() - 1, pattern, 0, pattern.size() - 1) == 0;
    }
    return pattern == path;
}

struct Route {
    std::string method;
    std::string path;
    MockHandler handler;
};

}  // namespace

std::string RecordedRequest::Header(const std::string& name) const {
    for (const auto& [key, value] : headers) {
        if (SameName(key, name)) {
            return value;
        }
    }
    return {};
}

MockResponse MockResponse::Json(int status, std::string body) {
    MockResponse r;
    r.status = status;
    r.headers.emplace_back("Content-Type", "application/json");
    r.body = std::move(body);
    return r;
}

struct MockUpstream::Impl {
    // Destroyed in Stop(): the acceptor first, then the context with every pending coroutine.
    std::optional<net::io_context> ioc;
    std::optional<tcp::acceptor> acceptor;
    std::vector<std::thread> threads;
    std::uint16_t port = 0;

    mutable std::mutex mu;
    std::condition_variable recorded;
    std::vector<Route> routes;              // guarded by mu
    std::vector<RecordedRequest> requests;  // guarded by mu

    MockResponse Dispatch(const RecordedRequest& request) {
        MockHandler handler;
        {
            std::lock_guard lock(mu);
            for (auto it = routes.rbegin(); it != routes.rend(); ++it) {
                if ((it->method == "*" || it->method == request.method) &&
                    PathMatches(it->path, request.path)) {
                    handler = it->handler;
                    break;
                }
            }
        }
        if (!handler) {
            return MockResponse::Json(404, R"({"error":"no mock route"})");
        }
        try {
            return handler(request);
        } catch (const std::exception& e) {
            MockResponse r;
            r.status = 500;
            r.body = e.what();
            return r;
        }
    }

    void Record(const RecordedRequest& request) {
        {
            std::lock_guard lock(mu);
            requests.push_back(request);
        }
        recorded.notify_all();
    }

    net::awaitable<void> Session(beast::tcp_stream stream) {
        beast::flat_buffer buffer;
        for (;;) {
            http::request_parser<http::string_body> parser;
            parser.body_limit(kBodyLimit);
            stream.expires_after(kIoTimeout);
            auto [read_ec, read_n] = co_await http::async_read(stream, buffer, parser, kUseTuple);
            if (read_ec) {
                break;
            }
            http::request<http::string_body> req = parser.release();

            RecordedRequest rec;
            rec.method = std::string(req.method_string());
            rec.target = std::string(req.target());
            auto question = rec.target.find('?');
            rec.path = rec.target.substr(0, question);
            rec.query = question == std::string::npos ? "" : rec.target.substr(question + 1);
            for (const auto& field : req) {
                rec.headers.emplace_back(std::string(field.name_string()),
                                         std::string(field.value()));
            }
            rec.body = std::move(req.body());
            Record(rec);

            MockResponse out = Dispatch(rec);
            if (out.delay.count() > 0) {
                net::steady_timer timer(stream.get_executor());
                timer.expires_after(out.delay);
                co_await timer.async_wait(kUseTuple);
            }
            if (out.drop_connection) {
                beast::error_code ignored;
                stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
                stream.close();
                co_return;
            }

            http::response<http::string_body> res;
            res.version(req.version());
            res.result(static_cast<unsigned>(out.status));
            bool keep_alive = req.keep_alive();
            for (const auto& [name, value] : out.headers) {
                if (SameName(name, "Connection") && SameName(value, "close")) {
                    keep_alive = false;
                    continue;
                }
                res.insert(name, value);
            }
            res.body() = std::move(out.body);
            res.prepare_payload();
            res.keep_alive(keep_alive);
            stream.expires_after(kIoTimeout);
            auto [write_ec, write_n] = co_await http::async_write(stream, res, kUseTuple);
            if (write_ec || !keep_alive) {
                break;
            }
        }
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }

    net::awaitable<void> Listen() {
        for (;;) {
            auto [ec, socket] = co_await acceptor->async_accept(net::make_strand(*ioc), kUseTuple);
            if (ec) {
                if (ec == net::error::operation_aborted || !acceptor->is_open()) {
                    co_return;
                }
                continue;
            }
            beast::error_code ignored;
            socket.set_option(tcp::no_delay(true), ignored);
            auto executor = socket.get_executor();
            net::co_spawn(executor, Session(beast::tcp_stream(std::move(socket))),
                          [](const std::exception_ptr&) {});
        }
    }
};

MockUpstream::MockUpstream(int threads, std::uint16_t port) : impl_(std::make_unique<Impl>()) {
    impl_->ioc.emplace(threads);
    impl_->acceptor.emplace(*impl_->ioc);
    tcp::endpoint endpoint(net::ip::make_address_v4("127.0.0.1"), port);
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

MockUpstream::~MockUpstream() { Stop(); }

void MockUpstream::Stop() {
    if (!impl_->ioc) {
        return;
    }
    // Stop the threads first; destroying the context then destroys every pending coroutine
    // (closing its socket) without running it.
    impl_->ioc->stop();
    for (auto& t : impl_->threads) {
        t.join();
    }
    impl_->threads.clear();
    impl_->acceptor.reset();
    impl_->ioc.reset();
}

void MockUpstream::On(const std::string& method, const std::string& path, MockHandler handler) {
    std::lock_guard lock(impl_->mu);
    impl_->routes.push_back(Route{method, path, std::move(handler)});
}

void MockUpstream::On(const std::string& method, const std::string& path,
                      const MockResponse& response) {
    On(method, path, [response](const RecordedRequest&) { return response; });
}

void MockUpstream::ClearRoutes() {
    std::lock_guard lock(impl_->mu);
    impl_->routes.clear();
}

std::uint16_t MockUpstream::Port() const { return impl_->port; }

std::string MockUpstream::BaseUrl() const {
    return "http://127.0.0.1:" + std::to_string(impl_->port);
}

std::vector<RecordedRequest> MockUpstream::Requests() const {
    std::lock_guard lock(impl_->mu);
    return impl_->requests;
}

std::size_t MockUpstream::RequestCount() const {
    std::lock_guard lock(impl_->mu);
    return impl_->requests.size();
}

void MockUpstream::ClearRequests() {
    std::lock_guard lock(impl_->mu);
    impl_->requests.clear();
}

bool MockUpstream::WaitForRequests(std::size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock lock(impl_->mu);
    return impl_->recorded.wait_for(lock, timeout, [&] { return impl_->requests.size() >= n; });
}

}  // namespace gc::test
