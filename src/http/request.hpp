// The server's own request and response types: what handlers see, free of Beast.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/scope.hpp"

namespace gc::http {

struct Request {
    std::string method;                                        // upper case
    std::string target;                                        // as received: path and query
    std::string path;                                          // percent-decoded path
    std::vector<std::pair<std::string, std::string>> query;    // decoded, in order
    std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
    std::string body;
    std::string client_address;
    std::string request_id;
    std::string route;  // the matched pattern, e.g. /api/custom-integrations/{id}
    std::unordered_map<std::string, std::string> path_params;
    std::optional<core::Scope> scope;  // set by authentication; never from client fields

    // First value of a header (name case-insensitive), or "".
    std::string Header(std::string_view name) const;
    // First value of a query parameter, or "".
    std::string Query(std::string_view name) const;
    std::string PathParam(const std::string& name) const;
    // The value of a cookie from the Cookie header, or "".
    std::string Cookie(std::string_view name) const;
};

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    static Response Json(int status, const boost::json::value& body);
    static Response NoContent();
    // The one error shape: {"error":{"code","message","details"}} with the mapped status.
    static Response FromError(const core::Error& error);
};

}  // namespace gc::http
