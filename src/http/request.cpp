#include "http/request.hpp"

#include <boost/json/serialize.hpp>

#include "http/error_mapping.hpp"

namespace gc::http {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

}  // namespace

std::string Request::Header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
        if (EqualsIgnoreCase(k, name)) {
            return v;
        }
    }
    return {};
}

std::string Request::Query(std::string_view name) const {
    for (const auto& [k, v] : query) {
        if (k == name) {
            return v;
        }
    }
    return {};
}

std::string Request::PathParam(const std::string& name) const {
    auto it = path_params.find(name);
    return it == path_params.end() ? std::string() : it->second;
}

std::string Request::Cookie(std::string_view name) const {
    const std::string header = Header("cookie");
    std::string_view rest(header);
    while (!rest.empty()) {
        const auto semi = rest.find(';');
        std::string_view pair = rest.substr(0, semi);
        rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
        while (!pair.empty() && pair.front() == ' ') {
            pair.remove_prefix(1);
        }
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
            return std::string(pair.substr(eq + 1));
        }
    }
    return {};
}

Response Response::Json(int status, const boost::json::value& body) {
    Response r;
    r.status = status;
    r.body = boost::json::serialize(body);
    return r;
}

Response Response::NoContent() {
    Response r;
    r.status = 204;
    r.content_type.clear();
    return r;
}

Response Response::FromError(const core::Error& error) {
    const HttpError mapped = MapError(error.code);
    boost::json::object e{
        {"code", mapped.code},
        {"message",
         error.code == core::ErrorCode::kInternal ? std::string("internal error") : error.message}};
    if (!error.details.empty()) {
        boost::json::array details;
        for (const auto& d : error.details) {
            details.push_back(boost::json::object{{"field", d.field}, {"problem", d.problem}});
        }
        e["details"] = std::move(details);
    }
    Response r = Json(mapped.status, boost::json::object{{"error", std::move(e)}});
    if (error.retry_after_seconds > 0) {
        r.headers.emplace_back("Retry-After", std::to_string(error.retry_after_seconds));
    }
    return r;
}

}  // namespace gc::http
