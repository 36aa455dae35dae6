// The status line and header fields of an answer, written by hand. Beast's serializer walks a
// chain of buffer views per field: about 30,000 instructions for a small JSON answer
// (callgrind), more than the rest of the I/O thread's work for a call.
#pragma once

#include <string>

#include "http/request.hpp"

namespace gc::http {

// How the connection goes on after this answer.
enum class Persistence {
    kClose,              // "Connection: close"; the server closes after writing
    kKeepAlive,          // HTTP/1.1 default: no Connection field
    kKeepAliveExplicit,  // an HTTP/1.0 client asked to keep it: "Connection: keep-alive"
};

// "HTTP/1.1 <status> <reason>", Server, Content-Type (when set), X-Request-Id,
// X-Content-Type-Options, Referrer-Policy, resp.headers in order, Cache-Control: no-store unless
// resp.headers has one, Connection as persistence says, then Content-Length of resp.body (also
// for HEAD, which sends no body; never for 1xx, 204 and 304, which have none), then the blank
// line. A handler's field whose name is not an HTTP token or whose value holds CR, LF or NUL is
// left out rather than let split the answer.
std::string ResponseHead(const Response& resp, const std::string& request_id,
                         Persistence persistence);

// Whether an answer with this status carries a body (and a Content-Length).
bool StatusHasBody(int status);

}  // namespace gc::http
