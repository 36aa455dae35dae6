#include "http/error_mapping.hpp"

namespace gc::http {
namespace {

int StatusOf(core::ErrorCode code) {
    using core::ErrorCode;
    switch (code) {
        case ErrorCode::kMalformedJson:
        case ErrorCode::kBadRequest:
            return 400;
        case ErrorCode::kUnauthenticated:
        case ErrorCode::kInvalidCredentials:
            return 401;
        case ErrorCode::kForbidden:
        case ErrorCode::kCsrfFailed:
            return 403;
        case ErrorCode::kNotFound:
            return 404;
        case ErrorCode::kMethodNotAllowed:
            return 405;
        case ErrorCode::kConflict:
            return 409;
        case ErrorCode::kPayloadTooLarge:
            return 413;
        case ErrorCode::kUnsupportedMediaType:
            return 415;
        case ErrorCode::kValidation:
            return 422;
        case ErrorCode::kRateLimited:
            return 429;
        case ErrorCode::kUnavailable:
            return 503;
        case ErrorCode::kDestinationNotAllowed:
            return 403;
        case ErrorCode::kUpstreamUnreachable:
            return 502;
        case ErrorCode::kUpstreamTimeout:
            return 504;
        case ErrorCode::kUpstreamTls:
        case ErrorCode::kUpstreamTooLarge:
        case ErrorCode::kTooManyRedirects:
            return 502;
        case ErrorCode::kCredentialMissing:
        case ErrorCode::kCredentialExpired:
        case ErrorCode::kCredentialInvalid:
        case ErrorCode::kCredentialUnreadable:
        case ErrorCode::kCredentialIntegrity:
            return 409;
        case ErrorCode::kInternal:
            return 500;
    }
    return 500;
}

}  // namespace

HttpError MapError(core::ErrorCode code) { return {StatusOf(code), core::ErrorCodeName(code)}; }

}  // namespace gc::http
