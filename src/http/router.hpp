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
};

using Handler = std::function<Response(Request&)>;
// Delivers a handler's response; call it exactly once, from any thread.
using Respond = std::function<void(Response)>;
// A handler that answers later (after an upstream call): it must not block, and must call
// respond exactly once. The Request stays alive until then.
using AsyncHandler = std::function<void(Request&, Respond)>;

struct RouteOptions {
    bool authenticated = true;  // false: open to anyone (health, setup, login)
    bool json_body = true;      // a body, when present, must be application/json
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
    // The shared checks; returns a response when they refuse the request.
    std::optional<Response> Check(const Route& route, Request& req) const;
    // Finds the route; returns a response when there is none (404/405/fallback).
    const Route* Match(Request& req, Response& out) const;

    Authenticator& auth_;
    std::vector<Route> routes_;
    Handler fallback_;
};

}  // namespace gc::http
