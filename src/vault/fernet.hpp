// Fernet tokens (spec version 0x80): AES-128-CBC + HMAC-SHA256, url-safe base64, as written by
// Python's cryptography.fernet, so credentials stored by the prototype decrypt here.
#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace gc::vault {

// How far a token's timestamp may lie in the future when a ttl is checked (as Python's
// cryptography does); a token further ahead is invalid.
inline constexpr std::chrono::seconds kFernetMaxClockSkew{60};

// The 16-byte AES-CBC initialisation vector stored in every token.
using FernetIv = std::array<unsigned char, 16>;

// A Fernet key: 16 bytes of HMAC-SHA256 signing key, then 16 bytes of AES-128 encryption key.
// The bytes are wiped when the object is destroyed and never printed (operator<< is redacted).
// Immutable once made; safe to share between threads.
class FernetKey {
  public:
    static constexpr std::size_t kSize = 32;

    FernetKey(const FernetKey&) = default;
    FernetKey(FernetKey&&) noexcept = default;
    FernetKey& operator=(const FernetKey&) = default;
    FernetKey& operator=(FernetKey&&) noexcept = default;
    ~FernetKey();

    // Reads the url-safe base64 of exactly 32 bytes (padding optional, any other character
    // rejected). On failure returns kValidation whose message never contains the input.
    static core::Result<FernetKey> Parse(std::string_view base64);
    // A new key from the system RNG.
    static FernetKey Generate();

    // The key in the form Parse reads (44 characters, padded). This IS the key: write it only
    // to a key file or to the terminal of the operator who asked for it.
    std::string ToBase64() const;

    friend std::ostream& operator<<(std::ostream& os, const FernetKey&) {
        return os << "FernetKey([redacted])";
    }

  private:
    using Bytes = std::array<unsigned char, kSize>;
    explicit FernetKey(const Bytes& bytes) : bytes_(bytes) {}
    const unsigned char* SigningKey() const { return bytes_.data(); }
    const unsigned char* EncryptionKey() const { return bytes_.data() + 16; }

    Bytes bytes_{};

    friend std::string FernetEncrypt(const FernetKey&, std::string_view, core::TimePoint,
                                     const FernetIv&);
    friend core::Result<std::string> FernetDecrypt(const FernetKey&, std::string_view,
                                                   std::optional<std::chrono::seconds>,
                                                   core::TimePoint);
};

// Encrypts plaintext (any bytes, may be empty) into a token stamped with the current time and a
// random IV. Never fails on input; aborts only if OpenSSL or the system RNG fails.
std::string FernetEncrypt(const FernetKey& key, std::string_view plaintext);

// Deterministic form for test vectors: the given time (seconds are floored; times before 1970
// are stamped 0) and IV. Never reuse an IV with the same key outside tests.
std::string FernetEncrypt(const FernetKey& key, std::string_view plaintext, core::TimePoint now,
                          const FernetIv& iv);

// Verifies and decrypts a token. With a ttl (must not be negative), a token older than ttl, or
// stamped more than kFernetMaxClockSkew after now, is invalid; without one the timestamp is not
// checked. Every failure (bad base64, length, version, time, HMAC, padding) returns the same
// error, FernetInvalidToken(), so the caller learns nothing about which check failed.
core::Result<std::string> FernetDecrypt(const FernetKey& key, std::string_view token,
                                        std::optional<std::chrono::seconds> ttl,
                                        core::TimePoint now);

// Decrypts without a ttl check.
core::Result<std::string> FernetDecrypt(const FernetKey& key, std::string_view token);

// The one error FernetDecrypt returns: kBadRequest, "invalid token", no internal detail.
core::Error FernetInvalidToken();

}  // namespace gc::vault
