#include "api/handler_support.hpp"

#include "core/json.hpp"
#include "core/log.hpp"

namespace gc::api {

core::Result<boost::json::value> JsonBody(const http::Request& req) {
    if (req.body.empty()) {
        return core::Error::Make(core::ErrorCode::kMalformedJson, "the request body is empty");
    }
    return core::ParseJson(req.body);
}

std::string StringField(const boost::json::value& body, std::string_view key) {
    if (!body.is_object()) {
        return {};
    }
    const auto* s = core::FindString(body.get_object(), key);
    return s ? std::string(*s) : std::string();
}

http::Response ErrorResponse(const core::Error& error) {
    if (error.code == core::ErrorCode::kInternal || error.code == core::ErrorCode::kUnavailable) {
        // The detail stays in the log; the client gets the generic message.
        core::LogError("request failed",
                       {{"code", static_cast<int>(error.code)}, {"detail", error.internal}});
    }
    return http::Response::FromError(error);
}

const core::Scope& ScopeOf(const http::Request& req) { return req.scope.value(); }

}  // namespace gc::api
