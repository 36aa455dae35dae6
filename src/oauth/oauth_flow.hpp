// OAuth2 pieces without I/O: an integration's oauth_config read and checked, PKCE (S256), the
// authorize URL, form bodies, the callback's redirect URI, and token endpoint answers parsed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/secret.hpp"
#include "store/integration_records.hpp"

namespace gc::oauth {

// What the flows need of an oauth2 integration's oauth_config.
struct OAuthConfig {
    std::string authorize_url;  // "" for client_credentials
    std::string token_url;
    std::string client_id;
    std::vector<std::string> scopes;
    bool pkce = true;
    std::string grant_type = "authorization_code";  // or "client_credentials"
};

// Reads rec.oauth_config_json. kValidation (422) naming the field when the integration's
// auth_type is not oauth2 ("auth_type"), or a field the grant needs is missing: token_url and
// client_id always, authorize_url for authorization_code. scopes may be an array or a
// space-separated string.
core::Result<OAuthConfig> ReadOAuthConfig(const store::IntegrationRecord& rec);

// The RFC 7636 S256 code challenge of verifier: base64url (no padding) of its SHA-256.
std::string PkceChallenge(std::string_view verifier);

// application/x-www-form-urlencoded: names and values percent-encoded (space as %20), joined
// with '&', in the given order.
std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields);

// config.authorize_url with response_type=code, client_id, redirect_uri, scope (space-joined;
// left out when there are no scopes), state, and, when code_challenge is not empty,
// code_challenge and code_challenge_method=S256 appended to any query it already has.
std::string AuthorizeUrl(const OAuthConfig& config, const std::string& redirect_uri,
                         const std::string& state, const std::string& code_challenge);

// Where the provider sends the browser back: <public_url>/api/oauth/callback when public_url is
// set (a trailing '/' is dropped), else http://<host>/api/oauth/callback. kBadRequest when
// public_url is empty and host is empty or not a host[:port] (letters, digits, '.', '-', ':',
// '[' and ']' only).
core::Result<std::string> CallbackUri(const std::string& public_url, const std::string& host);

// A token endpoint's successful answer. refresh_token is empty when none was sent; scopes is
// nullopt when the answer has no "scope".
struct TokenGrant {
    core::Secret access_token;
    core::Secret refresh_token;
    std::optional<std::int64_t> expires_in;
    std::optional<std::vector<std::string>> scopes;
};

// Why a token request failed. oauth_error is the RFC 6749 error code the endpoint sent
// ("invalid_grant", ...; only [a-z0-9_.-], at most 64 characters), or "token_request_failed"
// when it sent none. permanent: the grant or the client was refused (invalid_grant,
// invalid_client, unauthorized_client, unsupported_grant_type, invalid_scope, or a 400/401
// without a usable code) and asking again will not help; otherwise the failure may pass (5xx,
// a malformed answer).
struct TokenFailure {
    std::string oauth_error;
    bool permanent = false;
    int status = 0;
};

// A token request's outcome: grant when ok, else failure.
struct TokenOutcome {
    bool ok = false;
    TokenGrant grant;
    TokenFailure failure;
};

// Reads a token endpoint's answer (JSON, or form-encoded as some providers send). A 2xx with an
// access_token and a token_type of bearer (any case) or none is a grant; anything else a failure.
// Nothing of the body is kept in a failure but the error code.
TokenOutcome ParseTokenResponse(int status, const std::string& body);

// Keeps an OAuth2 error code safe for a URL or a log: [a-z0-9_.-] and at most 64 characters,
// else "authorization_failed".
std::string SafeErrorCode(std::string_view code);

}  // namespace gc::oauth
