#include "http/response_head.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/status.hpp>
#include <string_view>

#include "core/http_token.hpp"

namespace gc::http {
namespace {

void AppendField(std::string& out, std::string_view name, std::string_view value) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
}

}  // namespace

bool StatusHasBody(int status) { return status >= 200 && status != 204 && status != 304; }

std::string ResponseHead(const Response& resp, const std::string& request_id,
                         Persistence persistence) {
    namespace bhttp = boost::beast::http;
    std::string out;
    out.reserve(320);
    out += "HTTP/1.1 ";
    out += std::to_string(resp.status);
    out += ' ';
    const auto known = bhttp::int_to_status(static_cast<unsigned>(resp.status));
    out += known == bhttp::status::unknown ? std::string_view("Status")
                                           : std::string_view(bhttp::obsolete_reason(known));
    out += "\r\n";
    AppendField(out, "Server", "global-connector");
    if (!resp.content_type.empty() && core::IsSafeHeaderValue(resp.content_type)) {
        AppendField(out, "Content-Type", resp.content_type);
    }
    if (core::IsSafeHeaderValue(request_id)) {
        AppendField(out, "X-Request-Id", request_id);
    }
    AppendField(out, "X-Content-Type-Options", "nosniff");
    AppendField(out, "Referrer-Policy", "no-referrer");
    bool has_cache_control = false;
    for (const auto& [name, value] : resp.headers) {
        if (!core::IsHttpToken(name) || !core::IsSafeHeaderValue(value)) {
            continue;
        }
        AppendField(out, name, value);
        has_cache_control = has_cache_control || boost::beast::iequals(name, "cache-control");
    }
    if (!has_cache_control) {
        AppendField(out, "Cache-Control", "no-store");
    }
    if (persistence == Persistence::kClose) {
        AppendField(out, "Connection", "close");
    } else if (persistence == Persistence::kKeepAliveExplicit) {
        AppendField(out, "Connection", "keep-alive");
    }
    if (StatusHasBody(resp.status)) {
        AppendField(out, "Content-Length", std::to_string(resp.body.size()));
    }
    out += "\r\n";
    return out;
}

}  // namespace gc::http
