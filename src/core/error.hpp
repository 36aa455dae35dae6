// Expected failures as values: every service returns Result<T>, whose error is an Error.
#pragma once

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gc::core {

// What went wrong, in terms a client can act on. When you add a code, give it a name in
// ErrorCodeName (core/error.cpp) and a status in http/error_mapping.cpp.
enum class ErrorCode {
    kMalformedJson,         // body is not JSON
    kBadRequest,            // request shape wrong in a way that is not about one field
    kUnauthenticated,       // no valid session or token
    kInvalidCredentials,    // sign-in with a wrong email or password
    kForbidden,             // authenticated, not allowed (role)
    kCsrfFailed,            // cookie-authenticated change without the right X-CSRF-Token
    kNotFound,              // absent, or belongs to another workspace
    kMethodNotAllowed,      // route exists, method does not
    kConflict,              // unique constraint (duplicate name) or state conflict
    kPayloadTooLarge,       // body over the limit
    kUnsupportedMediaType,  // body not application/json
    kValidation,            // fields invalid; details name them
    kRateLimited,           // too many attempts; retry_after_seconds set
    kUnavailable,           // a dependency (database) is down
    // Calling upstream APIs.
    kDestinationNotAllowed,  // the egress guard refused the destination; no connection made
    kUpstreamUnreachable,    // DNS failure, connection refused or reset
    kUpstreamTimeout,        // connect or total timeout
    kUpstreamTls,            // TLS handshake or certificate verification failed
    kUpstreamTooLarge,       // the response passed the size cap (when the caller wants it whole)
    kTooManyRedirects,       // more redirect hops than allowed
    // Credentials.
    kCredentialMissing,     // the integration needs a credential and has none
    kCredentialExpired,     // expired and cannot be refreshed; never sent upstream
    kCredentialInvalid,     // marked invalid (by a user, or after an upstream 401)
    kCredentialUnreadable,  // no configured key opens it
    kCredentialIntegrity,   // the ciphertext belongs to another row
    kInternal,              // a bug or an unexpected failure; never carries detail to the client
};

// The code's stable name, as API errors' "code" and the call log's error_code carry it.
std::string_view ErrorCodeName(ErrorCode code);

// One field-level problem, e.g. {"actions[1].http_method", "must be one of GET, POST, ..."}.
struct FieldProblem {
    std::string field;
    std::string problem;
};

// An error: the code, a message safe to show the client, optional field problems, and an
// internal detail that goes to the log only (never to the client).
struct Error {
    ErrorCode code = ErrorCode::kInternal;
    std::string message;
    std::vector<FieldProblem> details;
    std::string internal;
    int retry_after_seconds = 0;

    static Error Make(ErrorCode code, std::string message, std::string internal = {}) {
        Error e;
        e.code = code;
        e.message = std::move(message);
        e.internal = std::move(internal);
        return e;
    }
    static Error NotFound(const std::string& what) {
        return Make(ErrorCode::kNotFound, what + " not found");
    }
    static Error Internal(std::string internal) {
        return Make(ErrorCode::kInternal, "internal error", std::move(internal));
    }
    static Error Validation(std::vector<FieldProblem> details) {
        Error e = Make(ErrorCode::kValidation, "some fields are invalid");
        e.details = std::move(details);
        return e;
    }
};

// Called by boost::system::result<T, Error>::value() on an error; throws ErrorException.
[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& loc);

struct ErrorException : std::exception {
    explicit ErrorException(Error e) : error(std::move(e)) {}
    const char* what() const noexcept override { return error.message.c_str(); }
    Error error;
};

template <class T>
using Result = boost::system::result<T, Error>;

}  // namespace gc::core
