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

bool Matches(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
             std::unordered_map<std::string, std::string>& params) {
    if (pattern.size() != path.size()) {
        return false;
    }
    std::unordered_map<std::string, std::string> found;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const std::string& p = pattern[i];
        if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
            if (path[i].empty()) {
                return false;
            }
            found[p.substr(1, p.size() - 2)] = path[i];
        } else if (p != path[i]) {
            return false;
        }
    }
    params = std::move(found);
    return true;
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
    const auto segments = Split(req.path);
    std::vector<std::string> allowed;
    for (const auto& route : routes_) {
        std::unordered_map<std::string, std::string> params;
        if (!Matches(route.segments, segments, params)) {
            continue;
        }
        const bool method_ok =
            route.method == req.method || (req.method == "HEAD" && route.method == "GET");
        if (!method_ok) {
            allowed.push_back(route.method);
            continue;
        }
        req.route = route.pattern;
        req.path_params = std::move(params);
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
    // Whatever happens (a handler that answers and then throws, say), respond runs once.
    struct Once {
        Respond respond;
        std::atomic<bool> done{false};
    };
    auto once = std::make_shared<Once>();
    once->respond = std::move(respond);
    Respond answer = [once](Response r) {
        if (!once->done.exchange(true)) {
            once->respond(std::move(r));
        }
    };
    Response out;
    try {
        const Route* route = Match(req, out);
        if (route) {
            if (auto refused = Check(*route, req)) {
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

std::optional<Response> Router::Check(const Route& route, Request& req) const {
    if (route.options.authenticated) {
        auto auth = auth_.Authenticate(req);
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
