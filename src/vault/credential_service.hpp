// The credential vault's service: stores one sealed credential per custom integration, answers
// its metadata (never its secret), and hands the decrypted secret to the code that calls APIs.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/scope.hpp"
#include "core/secret.hpp"
#include "store/database.hpp"
#include "vault/keyring.hpp"

namespace gc::vault {

// The kinds of credential. kOauth2 holds tokens (and, kept from an earlier kOauth2Client, the
// client secret); kOauth2Client holds only an OAuth2 client secret, before any token exists.
enum class CredentialType { kApiKey, kBearer, kBasic, kOauth2, kOauth2Client };

// valid: usable. expired: expires_at has passed and no refresh token is stored. invalid: marked
// so (by a user, or by the calling code after an upstream 401). unreadable: no configured key
// opens it.
enum class CredentialStatus { kValid, kExpired, kInvalid, kUnreadable };

// "api_key", "bearer", "basic", "oauth2", "oauth2_client".
std::string_view ToString(CredentialType type);
// The type for its name, or nullopt.
std::optional<CredentialType> ParseCredentialType(std::string_view name);
// "valid", "expired", "invalid", "unreadable".
std::string_view ToString(CredentialStatus status);

// True when a credential of this type authenticates an integration with this auth_type:
// api_key, bearer and basic need their own type; oauth2 takes oauth2 and oauth2_client; none
// takes nothing.
bool CredentialFitsAuthType(CredentialType type, std::string_view auth_type);

// What the UI may show of a secret: "••••" followed by its last 4 characters (code points) when
// it is at least 12 characters long, else "••••" alone.
std::string MaskSecret(std::string_view secret);

// A credential as a client sends it, checked. Only the fields of its type are set.
struct CredentialInput {
    CredentialType type = CredentialType::kApiKey;
    core::Secret value;                              // api_key, bearer
    core::Secret username;                           // basic
    core::Secret password;                           // basic
    core::Secret access_token;                       // oauth2
    core::Secret refresh_token;                      // oauth2, may be empty
    core::Secret client_secret;                      // oauth2_client
    std::optional<std::string> expires_at;           // oauth2; RFC 3339, normalised
    std::optional<std::vector<std::string>> scopes;  // oauth2
};

// Reads a POST body: {"type":"api_key"|"bearer","value"} | {"type":"basic","username","password"}
// | {"type":"oauth2","access_token","refresh_token"?,"expires_at"?,"scopes"?} |
// {"type":"oauth2_client","client_secret"}. Other fields are ignored. On failure returns
// kValidation naming every bad field; no problem text contains any part of the input.
core::Result<CredentialInput> ParseCredentialInput(const boost::json::value& body);

// What the API shows of a stored credential.
struct CredentialMeta {
    std::string integration_id;
    CredentialType type = CredentialType::kApiKey;
    std::string mask;
    CredentialStatus status = CredentialStatus::kValid;
    std::optional<std::string> invalid_reason;
    std::optional<std::string> expires_at;
    std::optional<std::vector<std::string>> scopes;
    std::string created_at;
    std::string updated_at;
};

// {type, mask, status, invalid_reason, expires_at, scopes? (only when stored), created_at,
// updated_at}; null fields are written as null.
boost::json::object CredentialMetaToJson(const CredentialMeta& meta);

// A credential opened for use. Only the fields of its type are set; the secrets are Secrets.
struct DecryptedCredential {
    std::string credential_id;
    std::string integration_id;
    CredentialType type = CredentialType::kApiKey;
    // kValid, or kExpired when the access token has expired but can be refreshed.
    CredentialStatus status = CredentialStatus::kValid;
    core::Secret value;
    core::Secret username;
    core::Secret password;
    core::Secret access_token;
    core::Secret refresh_token;
    core::Secret client_secret;
    std::optional<std::string> expires_at;
    std::vector<std::string> scopes;
    // The access token has expired or expires within CredentialSettings::refresh_margin, and a
    // refresh token is stored: refresh it before use.
    bool needs_refresh = false;
    // The row's version when it was read: the compare-and-swap token for writing refreshed tokens.
    std::int64_t version = 0;
};

struct CredentialSettings {
    // An OAuth2 access token this close to expiry is reported as needs_refresh.
    std::chrono::seconds refresh_margin{60};
};

// Thread-safe; blocks on the database (call from worker threads). Every method takes the
// caller's Scope: an integration of another workspace answers kNotFound ("integration not
// found"), exactly like one that does not exist. The keyring must outlive the service.
class CredentialService {
  public:
    CredentialService(store::Database& db, const Keyring& keyring, const core::Clock& clock,
                      CredentialSettings settings = {})
        : db_(db), keyring_(keyring), clock_(clock), settings_(settings) {}

    // Stores the credential in body for the integration, replacing the one stored (one
    // transaction: a failed replace leaves the old one). The secret fields are sealed together,
    // bound to the workspace and the credential id. An oauth2 credential keeps a client secret
    // stored before it, and an oauth2_client credential keeps the tokens stored before it. Errors:
    // kNotFound, kForbidden (viewer), kValidation (bad fields, or a type that does not fit the
    // integration's auth_type, field "type"), kConflict (a concurrent write won).
    core::Result<CredentialMeta> Put(const core::Scope& scope, const std::string& integration_id,
                                     const boost::json::value& body);

    // The stored credential's metadata. kNotFound ("credential not found") when none is stored;
    // kCredentialIntegrity when its ciphertext was sealed for another row.
    core::Result<CredentialMeta> GetMeta(const core::Scope& scope,
                                         const std::string& integration_id);

    // Metadata of the credentials of these integrations of the workspace, keyed by integration
    // id; integrations without one are absent. A ciphertext sealed for another row shows as
    // unreadable here (listing must not fail on it). Ids that are not UUIDs are skipped.
    core::Result<std::map<std::string, CredentialMeta>> MetaForIntegrations(
        const core::Scope& scope, const std::vector<std::string>& integration_ids);

    // Removes the stored credential. kNotFound for a missing integration or credential,
    // kForbidden for a viewer.
    core::Result<void> Delete(const core::Scope& scope, const std::string& integration_id);

    // The API's invalidate: body {"reason": 1 to 500 characters}; kValidation otherwise,
    // kForbidden for a viewer; then as MarkInvalid.
    core::Result<CredentialMeta> Invalidate(const core::Scope& scope,
                                            const std::string& integration_id,
                                            const boost::json::value& body);

    // Marks the stored credential invalid with reason (cut to 500 characters; "" becomes
    // "marked invalid"); it stays stored, and Load refuses it until it is replaced. For the
    // calling code (e.g. after an upstream 401), so no role check. reason must not contain a
    // secret. kNotFound when the integration or credential is missing; kCredentialIntegrity as
    // GetMeta.
    core::Result<CredentialMeta> MarkInvalid(const core::Scope& scope,
                                             const std::string& integration_id,
                                             const std::string& reason);

    // Opens the integration's credential for a call. Errors, in this order: kNotFound (no such
    // integration in the workspace), kCredentialMissing (none stored, or one whose type no
    // longer fits the integration's auth_type), kCredentialIntegrity (sealed for another row),
    // kCredentialInvalid (marked invalid), kCredentialUnreadable (no configured key opens it),
    // kCredentialExpired (expired and no refresh token; an expired one with a refresh token is
    // returned with needs_refresh set). Never returns a secret inside an error.
    core::Result<DecryptedCredential> Load(const core::Scope& scope,
                                           const std::string& integration_id);

  private:
    store::Database& db_;
    const Keyring& keyring_;
    const core::Clock& clock_;
    CredentialSettings settings_;
};

}  // namespace gc::vault
