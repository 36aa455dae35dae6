// Routes requests to handlers and applies the rules every /api request shares: 404/405,
// authentication, CSRF, the JSON content type, and the one error shape.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "http/request.hpp"

namespace gc::http {

// What authenticating a request yields.
struct AuthResult {
    core::Scope scope;
    std::string csrf_token;  // non-empty for cookie sessions: X-CSRF-Token must equal it
};

// Resolves the caller from the request's session cookie or bearer token. Implemented by the
// api layer over the account service. Blocking; called on worker threads.
class Authenticator {
  public:
    virtual ~Authenticator() = default;
    virtual core::Result<AuthResult> Authenticate(const Request& req) = 0;
    // Authenticate when that needs no blocking work (the answer is in memory); nullopt when it
    // would block. Called on the network thread.
    virtual std::optional<core::Result<AuthResult>> AuthenticateIfCached(const Request& /*req*/) {
        return std::nullopt;
    }
};

using Handler = std::function<Response(Request&)>;
// Delivers a handler's response; call it exactly once, from any thread.
using Respond = std::function<void(Response)>;
// A handler that answers later (after an upstream call): it must not block, and must call
// respond exactly once. The Request stays alive until then. Work that may block goes through
// req.on_worker.
using AsyncHandler = std::function<void(Request&, Respond)>;

struct RouteOptions {
    bool authenticated = true;  // false: open to anyone (health, setup, login)
    bool json_body = true;      // a body, when present, must be application/json
    // The (async) handler never blocks on its own thread: it may run on the network thread,
    // and does so when the caller's authentication is in memory. Whatever may block it runs
    // through req.on_worker.
    bool network_thread = false;
};

// Register all routes before serving; Dispatch is then thread-safe.
class Router {
  public:
    explicit Router(Authenticator& auth) : auth_(auth) {}

    // pattern: a path with {name} segments, e.g. "/api/custom-integrations/{id}".
    void Add(const std::string& method, const std::string& pattern, Handler handler,
             RouteOptions options = {});
    void AddAsync(const std::string& method, const std::string& pattern, AsyncHandler handler,
                  RouteOptions options = {});
    // Serves requests no route matches (the web UI). Only GET and HEAD reach it.
    void SetFallback(Handler handler) { fallback_ = std::move(handler); }

    // Never throws: a handler's exception becomes a logged 500 with a generic message.
    // Runs the route's checks and handler on the calling (worker) thread; respond is called
    // exactly once, on this thread for plain handlers, later and maybe on another thread for
    // async ones.
    void DispatchAsync(Request& req, Respond respond) const;
    // For plain handlers and tests: blocks until the response is ready.
    Response Dispatch(Request& req) const;
    // On the network thread: runs the request's checks and handler here and returns true when
    // its route allows that (RouteOptions::network_thread), its body is small and
    // authentication needs no blocking; otherwise changes nothing and returns false (dispatch
    // it on a worker). req.on_worker must be set.
    bool TryDispatchOnNetworkThread(Request& req, const Respond& respond) const;

    struct RouteInfo {
        std::string method;
        std::string pattern;
    };
    std::vector<RouteInfo> Routes() const;

  private:
    struct Route {
        std::string method;
        std::string pattern;
        std::vector<std::string> segments;
        Handler handler;
        AsyncHandler async_handler;
        RouteOptions options;
    };
    // The shared checks; returns a response when they refuse the request. auth is the
    // caller's authentication when it is already known.
    std::optional<Response> Check(const Route& route, Request& req,
                                  std::optional<core::Result<AuthResult>> auth = {}) const;
    // Runs the route's checks and handler; respond is called exactly once.
    void Run(const Route* route, Response out, Request& req, const Respond& respond,
             std::optional<core::Result<AuthResult>> auth) const;
    static bool MethodAllowed(const Route& route, const std::string& method);
    // Finds the route; returns a response when there is none (404/405/fallback).
    const Route* Match(Request& req, Response& out) const;

    Authenticator& auth_;
    std::vector<Route> routes_;
    Handler fallback_;
};

}  // namespace gc::http
