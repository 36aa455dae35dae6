#include "http/router.hpp"

#include <atomic>
#include <future>

#include "core/hash.hpp"
#include "core/log.hpp"

namespace gc::http {
namespace {

std::vector<std::string> Split(std::string_view path) {
    std::vector<std::string> out;
    std::size_t start = 1;
    while (start <= path.size()) {
        const auto slash = path.find('/', start);
        const auto end = slash == std::string_view::npos ? path.size() : slash;
        out.emplace_back(path.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

// The path's segments, as views into it (matching allocates nothing until a route matches).
std::vector<std::string_view> SplitViews(std::string_view path) {
    std::vector<std::string_view> out;
    std::size_t start = 1;
    while (start <= path.size()) {
        const auto slash = path.find('/', start);
        const auto end = slash == std::string_view::npos ? path.size() : slash;
        out.push_back(path.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

bool IsParameter(const std::string& segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

bool Matches(const std::vector<std::string>& pattern, const std::vector<std::string_view>& path) {
    if (pattern.size() != path.size()) {
        return false;
    }
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (IsParameter(pattern[i]) ? path[i].empty() : pattern[i] != path[i]) {
            return false;
        }
    }
    return true;
}

std::unordered_map<std::string, std::string> PathParams(const std::vector<std::string>& pattern,
                                                        const std::vector<std::string_view>& path) {
    std::unordered_map<std::string, std::string> params;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (IsParameter(pattern[i])) {
            params[pattern[i].substr(1, pattern[i].size() - 2)] = std::string(path[i]);
        }
    }
    return params;
}

bool ChangesState(const std::string& method) {
    return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

bool IsJsonContentType(const std::string& value) {
    std::string v;
    for (char c : value.substr(0, value.find(';'))) {
        if (c != ' ') {
            v += char(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    return v == "application/json" || (v.starts_with("application/") && v.ends_with("+json"));
}

Response Error(core::ErrorCode code, std::string message) {
    return Response::FromError(core::Error::Make(code, std::move(message)));
}

}  // namespace

bool Router::MethodAllowed(const Route& route, const std::string& method) {
    return route.method == method || (method == "HEAD" && route.method == "GET");
}

void Router::Add(const std::string& method, const std::string& pattern, Handler handler,
                 RouteOptions options) {
    routes_.push_back(Route{method, pattern, Split(pattern), std::move(handler), {}, options});
}

void Router::AddAsync(const std::string& method, const std::string& pattern, AsyncHandler handler,
                      RouteOptions options) {
    routes_.push_back(Route{method, pattern, Split(pattern), {}, std::move(handler), options});
}

std::vector<Router::RouteInfo> Router::Routes() const {
    std::vector<RouteInfo> out;
    for (const auto& r : routes_) {
        out.push_back({r.method, r.pattern});
    }
    return out;
}

const Router::Route* Router::Match(Request& req, Response& out) const {
    const auto segments = SplitViews(req.path);
    std::vector<std::string> allowed;
    for (const auto& route : routes_) {
        if (!Matches(route.segments, segments)) {
            continue;
        }
        if (!MethodAllowed(route, req.method)) {
            allowed.push_back(route.method);
            continue;
        }
        req.route = route.pattern;
        req.path_params = PathParams(route.segments, segments);
        return &route;
    }
    if (!allowed.empty()) {
        out = Error(core::ErrorCode::kMethodNotAllowed, "this path does not accept " + req.method);
        std::string allow;
        for (const auto& m : allowed) {
            allow += (allow.empty() ? "" : ", ") + m;
        }
        out.headers.emplace_back("Allow", allow);
        return nullptr;
    }
    const bool api = req.path == "/api" || req.path.starts_with("/api/");
    if (!api && fallback_ && (req.method == "GET" || req.method == "HEAD")) {
        req.route = "(static)";
        out = fallback_(req);
        return nullptr;
    }
    req.route = "(none)";
    out = Error(core::ErrorCode::kNotFound, "no such endpoint");
    return nullptr;
}

void Router::DispatchAsync(Request& req, Respond respond) const {
    Response out;
    const Route* route = nullptr;
    try {
        route = Match(req, out);
    } catch (const std::exception& e) {
        core::LogError("unhandled exception in routing",
                       {{"request_id", req.request_id}, {"detail", e.what()}});
        out = Response::FromError(core::Error::Internal(e.what()));
    }
    Run(route, std::move(out), req, respond, std::nullopt);
}

bool Router::TryDispatchOnNetworkThread(Request& req, const Respond& respond) const {
    // A large body is parsed on a worker: the network thread serves everyone else meanwhile.
    constexpr std::size_t kNetworkThreadBodyLimit = std::size_t{64} * 1024;
    if (req.body.size() > kNetworkThreadBodyLimit) {
        return false;
    }
    // The route Match would find; no route (404, 405, the UI's files) takes the worker path.
    const auto segments = SplitViews(req.path);
    const Route* found = nullptr;
    for (const auto& route : routes_) {
        if (MethodAllowed(route, req.method) && Matches(route.segments, segments)) {
            found = &route;
            break;
        }
    }
    if (found == nullptr || !found->options.network_thread || !found->async_handler) {
        return false;
    }
    std::optional<core::Result<AuthResult>> auth;
    if (found->options.authenticated) {
        auth = auth_.AuthenticateIfCached(req);
        if (!auth) {
            return false;
        }
    }
    req.route = found->pattern;
    req.path_params = PathParams(found->segments, segments);
    Run(found, {}, req, respond, std::move(auth));
    return true;
}

void Router::Run(const Route* route, Response out, Request& req, const Respond& respond,
                 std::optional<core::Result<AuthResult>> auth) const {
    // Whatever happens (a handler that answers and then throws, say), respond runs once.
    struct Once {
        Respond respond;
        std::atomic<bool> done{false};
    };
    auto once = std::make_shared<Once>();
    once->respond = respond;
    Respond answer = [once](Response r) {
        if (!once->done.exchange(true)) {
            once->respond(std::move(r));
        }
    };
    try {
        if (route) {
            if (auto refused = Check(*route, req, std::move(auth))) {
                out = std::move(*refused);
            } else if (route->async_handler) {
                route->async_handler(req, answer);
                return;
            } else {
                out = route->handler(req);
            }
        }
    } catch (const std::exception& e) {
        core::LogError("unhandled exception in handler",
                       {{"request_id", req.request_id}, {"detail", e.what()}});
        out = Response::FromError(core::Error::Internal(e.what()));
    }
    answer(std::move(out));
}

Response Router::Dispatch(Request& req) const {
    std::promise<Response> done;
    auto result = done.get_future();
    DispatchAsync(req, [&done](Response r) { done.set_value(std::move(r)); });
    return result.get();
}

std::optional<Response> Router::Check(const Route& route, Request& req,
                                      std::optional<core::Result<AuthResult>> known) const {
    if (route.options.authenticated) {
        auto auth = known ? std::move(*known) : auth_.Authenticate(req);
        if (!auth) {
            return Response::FromError(auth.error());
        }
        // A browser sends the cookie on cross-site requests too; the CSRF token proves the
        // request came from our own page. Bearer tokens are not sent by browsers on their own.
        if (!auth->csrf_token.empty() && ChangesState(req.method) &&
            !core::ConstantTimeEquals(req.Header("x-csrf-token"), auth->csrf_token)) {
            return Error(core::ErrorCode::kCsrfFailed,
                         "missing or wrong X-CSRF-Token header for a signed-in session");
        }
        req.scope = auth->scope;
    }
    if (route.options.json_body && !req.body.empty() &&
        !IsJsonContentType(req.Header("content-type"))) {
        return Error(core::ErrorCode::kUnsupportedMediaType, "the body must be application/json");
    }
    return std::nullopt;
}

}  // namespace gc::http
