// Password hashing with Argon2id (RFC 9106) in the PHC string format.
#pragma once

#include <string>

#include "core/secret.hpp"

namespace gc::accounts {

// Argon2id, 19 MiB, 2 passes, 1 lane (OWASP's minimum), 16-byte random salt. Thread-safe.
std::string HashPassword(const core::Secret& password);
// True when password matches the encoded hash; false for a wrong password or a malformed hash.
bool VerifyPassword(const std::string& encoded, const core::Secret& password);
// Spends the same time as a verification, for unknown accounts (no timing oracle for emails).
void VerifyDummyPassword(const core::Secret& password);

}  // namespace gc::accounts
