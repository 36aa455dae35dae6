#include "http/error_mapping.hpp"

namespace gc::http {

HttpError MapError(core::ErrorCode code) {
    using core::ErrorCode;
    switch (code) {
        case ErrorCode::kMalformedJson:
            return {400, "malformed_json"};
        case ErrorCode::kBadRequest:
            return {400, "bad_request"};
        case ErrorCode::kUnauthenticated:
            return {401, "unauthenticated"};
        case ErrorCode::kInvalidCredentials:
            return {401, "invalid_credentials"};
        case ErrorCode::kForbidden:
            return {403, "forbidden"};
        case ErrorCode::kCsrfFailed:
            return {403, "csrf_failed"};
        case ErrorCode::kNotFound:
            return {404, "not_found"};
        case ErrorCode::kMethodNotAllowed:
            return {405, "method_not_allowed"};
        case ErrorCode::kConflict:
            return {409, "conflict"};
        case ErrorCode::kPayloadTooLarge:
            return {413, "payload_too_large"};
        case ErrorCode::kUnsupportedMediaType:
            return {415, "unsupported_media_type"};
        case ErrorCode::kValidation:
            return {422, "validation_failed"};
        case ErrorCode::kRateLimited:
            return {429, "rate_limited"};
        case ErrorCode::kUnavailable:
            return {503, "unavailable"};
        case ErrorCode::kDestinationNotAllowed:
            return {403, "destination_not_allowed"};
        case ErrorCode::kUpstreamUnreachable:
            return {502, "upstream_unreachable"};
        case ErrorCode::kUpstreamTimeout:
            return {504, "upstream_timeout"};
        case ErrorCode::kUpstreamTls:
            return {502, "upstream_tls_error"};
        case ErrorCode::kUpstreamTooLarge:
            return {502, "upstream_response_too_large"};
        case ErrorCode::kTooManyRedirects:
            return {502, "too_many_redirects"};
        case ErrorCode::kCredentialMissing:
            return {409, "credential_missing"};
        case ErrorCode::kCredentialExpired:
            return {409, "credential_expired"};
        case ErrorCode::kCredentialInvalid:
            return {409, "credential_invalid"};
        case ErrorCode::kCredentialUnreadable:
            return {409, "credential_unreadable"};
        case ErrorCode::kCredentialIntegrity:
            return {409, "credential_integrity_failed"};
        case ErrorCode::kInternal:
            return {500, "internal_error"};
    }
    return {500, "internal_error"};
}

}  // namespace gc::http
