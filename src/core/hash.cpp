#include "core/hash.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>

namespace gc::core {

std::string Sha256(std::string_view data) {
    std::string out(SHA256_DIGEST_LENGTH, '\0');
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
           reinterpret_cast<unsigned char*>(out.data()));
    return out;
}

std::string Sha256Hex(std::string_view data) {
    static constexpr char kHex[] = "0123456789abcdef";
    const std::string raw = Sha256(data);
    std::string out;
    out.reserve(raw.size() * 2);
    for (char c : raw) {
        out += kHex[uint8_t(c) >> 4];
        out += kHex[uint8_t(c) & 15];
    }
    return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace gc::core
