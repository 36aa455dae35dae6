// Cryptographically secure randomness (OpenSSL RAND_bytes): ids, tokens, nonces.
#pragma once

#include <string>

namespace gc::core {

// n random bytes. Aborts the process if the system RNG fails (nothing safe can continue).
std::string RandomBytes(std::size_t n);
// A random UUID version 4 in the canonical lower-case 8-4-4-4-12 form.
std::string NewUuid();
// A UUID version 7 (RFC 9562): the Unix time in milliseconds, then 74 random bits. Ids made
// later sort later (to the millisecond), so an index on them grows at its end.
std::string NewTimeOrderedUuid();
// A url-safe random token carrying `bytes` bytes of entropy.
std::string RandomToken(std::size_t bytes = 32);
// True when text is a canonical lower- or upper-case UUID.
bool IsUuid(const std::string& text);

}  // namespace gc::core
