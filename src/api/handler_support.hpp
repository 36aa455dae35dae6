// Small pieces every handler file uses: reading the JSON body, reading fields, shaping errors.
#pragma once

#include <boost/json/value.hpp>
#include <string>

#include "core/error.hpp"
#include "http/request.hpp"

namespace gc::api {

// The request body as JSON; 400 malformed_json when it is empty or not JSON.
core::Result<boost::json::value> JsonBody(const http::Request& req);
// A string field of an object body, or "" when absent or not a string.
std::string StringField(const boost::json::value& body, std::string_view key);
// The error answer for an error result.
http::Response ErrorResponse(const core::Error& error);
// The scope authentication set; handlers of authenticated routes only.
const core::Scope& ScopeOf(const http::Request& req);

}  // namespace gc::api
