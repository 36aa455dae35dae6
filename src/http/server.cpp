#include "http/server.hpp"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <fstream>
#include <unordered_set>

#include "core/log.hpp"
#include "core/random.hpp"
#include "core/thread_name.hpp"
#include "http/response_head.hpp"

namespace gc::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

std::string SafeRequestId(const std::string& given) {
    if (given.empty() || given.size() > 64) {
        return core::NewUuid();
    }
    for (char c : given) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
            return core::NewUuid();
        }
    }
    return given;
}

// Fills path and query from the target; false when the target is not a valid origin-form.
bool ParseTarget(Request& req) {
    auto u = boost::urls::parse_origin_form(req.target);
    if (!u) {
        return false;
    }
    req.path = u->path();
    if (req.path.empty()) {
        req.path = "/";
    }
    for (auto p : u->params()) {
        req.query.emplace_back(p.key, p.value);
    }
    return true;
}

}  // namespace

struct Server::Impl {
    Impl(ServerSettings s, const Router& r)
        : settings(std::move(s)),
          router(r),
          workers(std::size_t(std::max(1, settings.worker_threads))) {}

    // One connection: read a request, run its handler on the worker pool, write the answer,
    // repeat while the client keeps the connection alive.
    struct Connection {
        explicit Connection(tcp::socket s) : stream(std::move(s)) {}
        beast::tcp_stream stream;
        bool idle = true;  // waiting for a request (only touched on the I/O thread)
    };

    asio::awaitable<void> Serve(std::shared_ptr<Connection> conn);

    // Runs Router::DispatchAsync on the worker pool and completes on the caller's executor
    // with the Response, whichever thread produced it.
    template <class Token>
    auto DispatchOnWorkers(Request& req, Token&& token) {
        return asio::async_initiate<Token, void(Response)>(
            [this, &req](auto handler) {
                using Handler = decltype(handler);
                auto shared = std::make_shared<Handler>(std::move(handler));
                auto work =
                    std::make_shared<asio::executor_work_guard<asio::io_context::executor_type>>(
                        ioc.get_executor());
                asio::post(workers, [this, &req, shared, work]() {
                    thread_local const bool named = (core::NameThisThread("gc-worker"), true);
                    (void)named;
                    router.DispatchAsync(req, [shared, work](Response r) {
                        auto ex = asio::get_associated_executor(*shared, work->get_executor());
                        asio::post(ex, [shared, work, r = std::move(r)]() mutable {
                            (*shared)(std::move(r));
                            work->reset();
                        });
                    });
                });
            },
            token);
    }
    asio::awaitable<void> Accept(tcp::acceptor& acceptor);
    asio::awaitable<bool> WriteResponse(Connection& conn, const Request& req, const Response& resp,
                                        Persistence persistence, bool head);
    void BeginShutdown(tcp::acceptor& acceptor);

    ServerSettings settings;
    const Router& router;
    asio::io_context ioc{1};
    asio::thread_pool workers;
    bool stopping = false;
    std::unordered_set<std::shared_ptr<Connection>> connections;  // I/O thread only
};

asio::awaitable<bool> Server::Impl::WriteResponse(Connection& conn, const Request& req,
                                                  const Response& resp, Persistence persistence,
                                                  bool head) {
    const std::string fields = ResponseHead(resp, req.request_id, persistence);
    const bool with_body = !head && StatusHasBody(resp.status) && !resp.body.empty();
    const std::array<asio::const_buffer, 2> buffers{
        asio::buffer(fields), with_body ? asio::buffer(resp.body) : asio::const_buffer()};
    auto [ec, n] = co_await asio::async_write(conn.stream, buffers, kTuple);
    co_return !ec;
}

asio::awaitable<void> Server::Impl::Serve(std::shared_ptr<Connection> conn) {
    beast::flat_buffer buffer;
    bool unread_input = false;  // we answered before reading the whole request
    std::string remote;
    {
        boost::system::error_code ec;
        auto ep = conn->stream.socket().remote_endpoint(ec);
        remote = ec ? std::string() : ep.address().to_string();
    }
    for (;;) {
        conn->idle = true;
        if (stopping) {
            break;
        }
        bhttp::request_parser<bhttp::string_body> parser;
        parser.body_limit(settings.body_limit);
        parser.header_limit(16 * 1024);
        conn->stream.expires_after(settings.read_timeout);
        auto [hec, hn] = co_await bhttp::async_read_header(conn->stream, buffer, parser, kTuple);
        conn->idle = false;
        const auto started = std::chrono::steady_clock::now();
        Request req;
        req.client_address = remote;
        Response resp;
        bool close_after = false;
        bool http10 = false;
        if (hec) {
            req.request_id = core::NewUuid();
            if (hec == bhttp::error::end_of_stream || hec == beast::error::timeout ||
                hec == asio::error::operation_aborted || hec == asio::error::connection_reset ||
                hec == asio::error::eof) {
                break;
            }
            resp = hec == bhttp::error::body_limit
                       ? Response::FromError(
                             core::Error::Make(core::ErrorCode::kPayloadTooLarge,
                                               "the request body is larger than 1 MiB"))
                       : Response::FromError(core::Error::Make(core::ErrorCode::kBadRequest,
                                                               "malformed HTTP request"));
            close_after = true;
        } else {
            auto& header = parser.get();
            if (beast::iequals(header[bhttp::field::expect], "100-continue")) {
                bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, 11};
                co_await bhttp::async_write(conn->stream, cont, kTuple);
            }
            auto [bec, bn] = co_await bhttp::async_read(conn->stream, buffer, parser, kTuple);
            auto& msg = parser.get();
            http10 = msg.version() == 10;
            req.method = std::string(msg.method_string());
            req.target = std::string(msg.target());
            req.request_id = SafeRequestId(std::string(msg["x-request-id"]));
            if (bec == bhttp::error::body_limit) {
                resp = Response::FromError(core::Error::Make(
                    core::ErrorCode::kPayloadTooLarge, "the request body is larger than 1 MiB"));
                close_after = true;
            } else if (bec) {
                if (bec == beast::error::timeout || bec == bhttp::error::end_of_stream ||
                    bec == asio::error::operation_aborted) {
                    break;
                }
                resp = Response::FromError(
                    core::Error::Make(core::ErrorCode::kBadRequest, "malformed HTTP request"));
                close_after = true;
            } else if (!ParseTarget(req)) {
                resp = Response::FromError(
                    core::Error::Make(core::ErrorCode::kBadRequest, "malformed request target"));
                close_after = true;
            } else {
                for (const auto& field : msg) {
                    std::string name(field.name_string());
                    for (auto& c : name) {
                        c = char(std::tolower(static_cast<unsigned char>(c)));
                    }
                    req.headers.emplace_back(std::move(name), std::string(field.value()));
                }
                req.body = std::move(msg.body());
                close_after = !msg.keep_alive();
                // The handler (database, crypto) runs on the worker pool, an upstream call on
                // the outbound loop; this coroutine resumes on the I/O thread with the answer.
                resp = co_await DispatchOnWorkers(req, asio::use_awaitable);
            }
        }
        const bool keep_alive = !close_after && !stopping;
        const Persistence persistence = !keep_alive ? Persistence::kClose
                                        : http10    ? Persistence::kKeepAliveExplicit
                                                    : Persistence::kKeepAlive;
        const bool ok = co_await WriteResponse(*conn, req, resp, persistence, req.method == "HEAD");
        if (core::LogEnabled(core::LogLevel::kInfo)) {
            const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                                std::chrono::steady_clock::now() - started)
                                .count();
            core::LogInfo("request", {{"request_id", req.request_id},
                                      {"method", req.method},
                                      {"route", req.route.empty() ? "(none)" : req.route},
                                      {"status", resp.status},
                                      {"duration_ms", (us + 500) / 1000},
                                      {"client", remote}});
        }
        if (!ok || !keep_alive) {
            unread_input = ok && close_after;
            break;
        }
    }
    boost::system::error_code ignored;
    conn->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    if (unread_input) {
        // Closing a socket with unread input resets the connection, and the client may lose
        // the answer (a 413 sent while it still uploads). Read and drop what it still sends,
        // bounded in bytes and time, before closing.
        conn->stream.expires_after(std::chrono::seconds(2));
        std::size_t drained = 0;
        std::array<char, 16384> sink{};
        while (drained < std::size_t{8} * 1024 * 1024) {
            auto [ec, n] = co_await conn->stream.async_read_some(asio::buffer(sink), kTuple);
            if (ec) {
                break;
            }
            drained += n;
        }
    }
    connections.erase(conn);
}

asio::awaitable<void> Server::Impl::Accept(tcp::acceptor& acceptor) {
    while (!stopping) {
        auto [ec, socket] = co_await acceptor.async_accept(kTuple);
        if (ec) {
            if (stopping || ec == asio::error::operation_aborted) {
                break;
            }
            continue;  // e.g. too many open files: try again
        }
        auto conn = std::make_shared<Connection>(std::move(socket));
        connections.insert(conn);
        asio::co_spawn(ioc, Serve(conn), asio::detached);
    }
}

void Server::Impl::BeginShutdown(tcp::acceptor& acceptor) {
    stopping = true;
    boost::system::error_code ignored;
    acceptor.close(ignored);
    // Idle keep-alive connections are closed now; busy ones finish their request first.
    for (const auto& c : connections) {
        if (c->idle) {
            c->stream.socket().cancel(ignored);
        }
    }
}

Server::Server(ServerSettings settings, const Router& router)
    : impl_(std::make_unique<Impl>(std::move(settings), router)) {}

Server::~Server() = default;

int Server::Run() {
    Impl& s = *impl_;
    tcp::acceptor acceptor(s.ioc);
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(s.settings.host, ec);
    if (ec) {
        core::LogError("cannot listen: bad CONNECTOR_LISTEN address", {{"host", s.settings.host}});
        return 1;
    }
    tcp::endpoint endpoint(address, s.settings.port);
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) {
        acceptor.set_option(asio::socket_base::reuse_address(true), ec);
        acceptor.bind(endpoint, ec);
    }
    if (!ec) {
        acceptor.listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        core::LogError(
            "cannot listen",
            {{"address", s.settings.host}, {"port", s.settings.port}, {"error", ec.message()}});
        return 1;
    }
    const auto port = acceptor.local_endpoint().port();
    if (!s.settings.port_file.empty()) {
        std::ofstream(s.settings.port_file) << port << "\n";
    }
    core::LogInfo("listening", {{"address", s.settings.host}, {"port", port}});

    asio::signal_set signals(s.ioc, SIGINT, SIGTERM);
    asio::steady_timer drain(s.ioc);
    std::function<void()> wait_for_drain;
    signals.async_wait([&](const boost::system::error_code& sec, int signo) {
        if (sec) {
            return;
        }
        core::LogInfo("shutting down",
                      {{"signal", signo}, {"open_connections", s.connections.size()}});
        s.BeginShutdown(acceptor);
        const auto give_up = std::chrono::steady_clock::now() + s.settings.shutdown_grace;
        wait_for_drain = [&, give_up] {
            if (s.connections.empty() || std::chrono::steady_clock::now() >= give_up) {
                s.ioc.stop();
                return;
            }
            drain.expires_after(std::chrono::milliseconds(20));
            drain.async_wait([&](const boost::system::error_code&) { wait_for_drain(); });
        };
        wait_for_drain();
    });
    asio::co_spawn(s.ioc, s.Accept(acceptor), asio::detached);
    s.ioc.run();
    s.workers.join();
    core::LogInfo("stopped");
    return 0;
}

}  // namespace gc::http
