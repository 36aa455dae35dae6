#include "core/error.hpp"

namespace gc::core {

std::string_view ErrorCodeName(ErrorCode code) {
    switch (code) {
        case ErrorCode::kMalformedJson:
            return "malformed_json";
        case ErrorCode::kBadRequest:
            return "bad_request";
        case ErrorCode::kUnauthenticated:
            return "unauthenticated";
        case ErrorCode::kInvalidCredentials:
            return "invalid_credentials";
        case ErrorCode::kForbidden:
            return "forbidden";
        case ErrorCode::kCsrfFailed:
            return "csrf_failed";
        case ErrorCode::kNotFound:
            return "not_found";
        case ErrorCode::kMethodNotAllowed:
            return "method_not_allowed";
        case ErrorCode::kConflict:
            return "conflict";
        case ErrorCode::kPayloadTooLarge:
            return "payload_too_large";
        case ErrorCode::kUnsupportedMediaType:
            return "unsupported_media_type";
        case ErrorCode::kValidation:
            return "validation_failed";
        case ErrorCode::kRateLimited:
            return "rate_limited";
        case ErrorCode::kUnavailable:
            return "unavailable";
        case ErrorCode::kDestinationNotAllowed:
            return "destination_not_allowed";
        case ErrorCode::kUpstreamUnreachable:
            return "upstream_unreachable";
        case ErrorCode::kUpstreamTimeout:
            return "upstream_timeout";
        case ErrorCode::kUpstreamTls:
            return "upstream_tls_error";
        case ErrorCode::kUpstreamTooLarge:
            return "upstream_response_too_large";
        case ErrorCode::kTooManyRedirects:
            return "too_many_redirects";
        case ErrorCode::kCredentialMissing:
            return "credential_missing";
        case ErrorCode::kCredentialExpired:
            return "credential_expired";
        case ErrorCode::kCredentialInvalid:
            return "credential_invalid";
        case ErrorCode::kCredentialUnreadable:
            return "credential_unreadable";
        case ErrorCode::kCredentialIntegrity:
            return "credential_integrity_failed";
        case ErrorCode::kInternal:
            return "internal_error";
    }
    return "internal_error";
}

void throw_exception_from_error(const Error& e, const boost::source_location&) {
    throw ErrorException(e);
}

}  // namespace gc::core
