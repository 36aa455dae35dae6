#include "core/random.hpp"

#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>

#include "core/base64.hpp"

namespace gc::core {

std::string RandomBytes(std::size_t n) {
    std::string out(n, '\0');
    if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), int(n)) != 1) {
        std::fputs("fatal: the system random number generator failed\n", stderr);
        std::abort();
    }
    return out;
}

std::string NewUuid() {
    std::string b = RandomBytes(16);
    b[6] = char((uint8_t(b[6]) & 0x0f) | 0x40);
    b[8] = char((uint8_t(b[8]) & 0x3f) | 0x80);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) {
            out += '-';
        }
        out += kHex[uint8_t(b[i]) >> 4];
        out += kHex[uint8_t(b[i]) & 15];
    }
    return out;
}

std::string RandomToken(std::size_t bytes) { return Base64UrlEncodeNoPad(RandomBytes(bytes)); }

bool IsUuid(const std::string& text) {
    if (text.size() != 36) {
        return false;
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') {
                return false;
            }
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
            return false;
        }
    }
    return true;
}

}  // namespace gc::core
