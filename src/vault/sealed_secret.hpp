// A credential's ciphertext bound to its row: the workspace and credential ids travel inside the
// Fernet payload and are checked on open, so a token copied into another row does not open.
#pragma once

#include <boost/system/result.hpp>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/secret.hpp"
#include "vault/keyring.hpp"

namespace gc::vault {

// What the store keeps for a secret: the id of the key that sealed it and the Fernet token.
// Neither is secret; the token alone reveals nothing without the key.
struct SealedSecret {
    std::string key_id;
    std::string token;
};

// Why Open failed, for the caller to act on (e.g. mark a credential `unreadable`).
enum class OpenFailure {
    kUnknownKey,     // key_id names no key in the keyring (the key was removed): unreadable
    kUndecryptable,  // the named key does not open the token (wrong key, corrupt token): unreadable
    kWrongRow,       // it opened, but was sealed for another workspace or credential: integrity
};

using OpenResult = boost::system::result<core::Secret, OpenFailure>;

// Encrypts plaintext with the keyring's primary key, binding it to (workspace_id,
// credential_id); any of the ids may be any bytes (callers pass UUIDs, or a name such as
// "integration:<id>:client_secret" for a secret that is not a credential row). Never fails;
// aborts only if OpenSSL or the RNG fails. The plaintext copy made inside is wiped. Thread-safe.
SealedSecret Seal(const Keyring& keyring, std::string_view workspace_id,
                  std::string_view credential_id, const core::Secret& plaintext);

// Decrypts sealed with the key named by sealed.key_id (no ttl: credentials do not age out by
// their Fernet timestamp) and checks that it was sealed for exactly (workspace_id,
// credential_id). Returns the secret, or which of the OpenFailure cases happened. The decrypted
// envelope is wiped. Thread-safe.
OpenResult Open(const Keyring& keyring, const SealedSecret& sealed, std::string_view workspace_id,
                std::string_view credential_id);

// The core::Error for a failure: kUnknownKey and kUndecryptable give kInternal "credential
// unreadable", kWrongRow gives kInternal "credential integrity check failed"; the internal
// detail names the failure kind (no secret, no id).
core::Error ToError(OpenFailure failure);

// A stable name for logs and status columns: "unknown_key", "undecryptable", "wrong_row".
std::string_view ToString(OpenFailure failure);

// Called by OpenResult::value() on an error; throws core::ErrorException(ToError(failure)).
[[noreturn]] void throw_exception_from_error(const OpenFailure& failure,
                                             const boost::source_location& loc);

}  // namespace gc::vault
