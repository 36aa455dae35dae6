// Turning an integration's action (or a /test request) into the exact HTTP call to make.
// Pure functions: no I/O, so every rule here is tested without a server.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/secret.hpp"
#include "store/integration_records.hpp"

namespace gc::calls {

// The decrypted credential, as the calling path needs it. Empty for auth_type none.
struct AuthMaterial {
    std::string type;       // api_key | bearer | basic | oauth2 | "" (none)
    core::Secret value;     // the API key, bearer token or OAuth2 access token
    core::Secret username;  // basic
    core::Secret password;  // basic
};

struct PreparedCall {
    std::string method;
    std::string url;           // what is sent: may carry an API key in the query
    std::string redacted_url;  // what is stored and shown: credential values replaced
    std::vector<std::pair<std::string, std::string>> headers;
    std::vector<std::string> credential_headers;  // names to drop on a cross-origin redirect
    std::string body;
};

// A call checked and laid out, without its credential: the calling path drafts it before it
// opens the credential (a bad request never touches it), then Authorize finishes it.
struct CallDraft {
    std::string method;
    std::string path;  // the endpoint with path parameters placed
    std::vector<std::pair<std::string, std::string>> query;
    std::vector<std::pair<std::string, std::string>> headers;        // go before the auth's
    std::vector<std::pair<std::string, std::string>> extra_headers;  // go after them
    std::optional<std::string> body;
    // Content-Type: application/json is added with the body: always, or (a /test body) only when
    // no header sets one.
    bool json_content_type_always = false;
};

// Checks params against the action's parameter definitions and places each value: path
// (percent-encoded), query, header, or a JSON body. Missing required or wrongly typed values,
// unknown names and header values with line breaks answer kValidation naming "params.<name>";
// an unknown action answers kNotFound.
core::Result<CallDraft> DraftActionCall(const store::IntegrationRecord& integration,
                                        const std::string& action_id,
                                        const boost::json::value& params);

// The seed's /test body: {"endpoint":"/charges","method":"GET","headers":{},"query":{},"body":…}.
// kValidation naming each bad field.
core::Result<CallDraft> DraftTestCall(const boost::json::value& request);

// Adds the integration's default headers and injects the credential by its auth_type (API key
// in a header or the query, bearer, basic, OAuth2); kCredentialMissing when one is needed and
// auth is empty. The stored URL leaves a query-parameter key out.
core::Result<PreparedCall> Authorize(const store::IntegrationRecord& integration, CallDraft draft,
                                     const AuthMaterial& auth);

// DraftActionCall, then Authorize.
core::Result<PreparedCall> PrepareActionCall(const store::IntegrationRecord& integration,
                                             const std::string& action_id,
                                             const boost::json::value& params,
                                             const AuthMaterial& auth);

// DraftTestCall, then Authorize.
core::Result<PreparedCall> PrepareTestCall(const store::IntegrationRecord& integration,
                                           const boost::json::value& request,
                                           const AuthMaterial& auth);

}  // namespace gc::calls
