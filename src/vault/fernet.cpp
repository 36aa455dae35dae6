// Fernet on OpenSSL 3 EVP: AES-128-CBC with PKCS7 padding and HMAC-SHA256, nothing hand-rolled
// below them. Layout: 0x80 | timestamp (u64 BE) | IV (16) | ciphertext (16n) | HMAC (32).
#include "vault/fernet.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "core/base64.hpp"
#include "core/random.hpp"

namespace gc::vault {
namespace {

constexpr unsigned char kVersion = 0x80;
constexpr std::size_t kHeaderSize = 1 + 8 + 16;  // version, timestamp, IV
constexpr std::size_t kHmacSize = 32;
constexpr std::size_t kBlockSize = 16;
// EVP takes int lengths; feed larger inputs in pieces of this size.
constexpr std::size_t kMaxChunk = std::size_t(1) << 30;

[[noreturn]] void Fatal(const char* what) {
    std::fprintf(stderr, "fatal: OpenSSL failed in %s\n", what);
    std::abort();
}

// Algorithms are fetched once: implicit fetching on every call costs more than the work itself.
// The handles are immutable and OpenSSL allows sharing them between threads.
const EVP_CIPHER* Aes128Cbc() {
    static const EVP_CIPHER* const cipher = [] {
        EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, "AES-128-CBC", nullptr);
        if (c == nullptr) {
            Fatal("EVP_CIPHER_fetch(AES-128-CBC)");
        }
        return c;
    }();
    return cipher;
}

// An HMAC-SHA256 context with its digest set, which each call duplicates and keys.
const EVP_MAC_CTX* HmacSha256Template() {
    static const EVP_MAC_CTX* const tmpl = [] {
        EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
        if (mac == nullptr) {
            Fatal("EVP_MAC_fetch(HMAC)");
        }
        EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
        EVP_MAC_free(mac);  // the context keeps its own reference
        char digest[] = "SHA256";
        const OSSL_PARAM params[] = {
            OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
            OSSL_PARAM_construct_end()};
        if (ctx == nullptr || EVP_MAC_CTX_set_params(ctx, params) != 1) {
            Fatal("EVP_MAC_CTX_set_params(SHA256)");
        }
        return ctx;
    }();
    return tmpl;
}

struct CipherCtxFree {
    void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
struct MacCtxFree {
    void operator()(EVP_MAC_CTX* c) const { EVP_MAC_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;
using MacCtx = std::unique_ptr<EVP_MAC_CTX, MacCtxFree>;

const unsigned char* U(const char* p) { return reinterpret_cast<const unsigned char*>(p); }
unsigned char* U(char* p) { return reinterpret_cast<unsigned char*>(p); }

// HMAC-SHA256 of data under the 16-byte signing key, into out[32].
void Hmac(const unsigned char* key, const unsigned char* data, std::size_t size,
          unsigned char* out) {
    MacCtx ctx(EVP_MAC_CTX_dup(HmacSha256Template()));
    if (!ctx || EVP_MAC_init(ctx.get(), key, 16, nullptr) != 1 ||
        EVP_MAC_update(ctx.get(), data, size) != 1) {
        Fatal("HMAC-SHA256");
    }
    std::size_t written = 0;
    if (EVP_MAC_final(ctx.get(), out, &written, kHmacSize) != 1 || written != kHmacSize) {
        Fatal("HMAC-SHA256 final");
    }
}

// Runs EVP_CipherUpdate over in[0..size) in int-sized pieces; returns bytes written to out.
bool CipherUpdate(EVP_CIPHER_CTX* ctx, const unsigned char* in, std::size_t size,
                  unsigned char* out, std::size_t& written) {
    written = 0;
    while (size > 0) {
        const std::size_t piece = std::min(size, kMaxChunk);
        int n = 0;
        if (EVP_CipherUpdate(ctx, out + written, &n, in, int(piece)) != 1) {
            return false;
        }
        written += std::size_t(n);
        in += piece;
        size -= piece;
    }
    return true;
}

int64_t FloorSeconds(core::TimePoint t) {
    return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

FernetKey::~FernetKey() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

core::Result<FernetKey> FernetKey::Parse(std::string_view base64) {
    std::optional<std::string> raw = core::Base64UrlDecode(base64);
    if (!raw || raw->size() != kSize) {
        if (raw) {
            OPENSSL_cleanse(raw->data(), raw->size());
        }
        return core::Error::Make(core::ErrorCode::kValidation,
                                 "a Fernet key must be 32 bytes of url-safe base64");
    }
    Bytes bytes;
    std::memcpy(bytes.data(), raw->data(), kSize);
    OPENSSL_cleanse(raw->data(), raw->size());
    FernetKey key(bytes);
    OPENSSL_cleanse(bytes.data(), bytes.size());
    return key;
}

FernetKey FernetKey::Generate() {
    std::string raw = core::RandomBytes(kSize);
    Bytes bytes;
    std::memcpy(bytes.data(), raw.data(), kSize);
    OPENSSL_cleanse(raw.data(), raw.size());
    FernetKey key(bytes);
    OPENSSL_cleanse(bytes.data(), bytes.size());
    return key;
}

std::string FernetKey::ToBase64() const {
    return core::Base64UrlEncode(
        std::string_view(reinterpret_cast<const char*>(bytes_.data()), bytes_.size()));
}

core::Error FernetInvalidToken() {
    return core::Error::Make(core::ErrorCode::kBadRequest, "invalid token");
}

std::string FernetEncrypt(const FernetKey& key, std::string_view plaintext) {
    const std::string iv_bytes = core::RandomBytes(16);
    FernetIv iv;
    std::memcpy(iv.data(), iv_bytes.data(), iv.size());
    return FernetEncrypt(key, plaintext, std::chrono::system_clock::now(), iv);
}

std::string FernetEncrypt(const FernetKey& key, std::string_view plaintext, core::TimePoint now,
                          const FernetIv& iv) {
    const std::size_t padded = (plaintext.size() / kBlockSize + 1) * kBlockSize;
    std::string raw(kHeaderSize + padded + kHmacSize, '\0');
    unsigned char* p = U(raw.data());

    p[0] = kVersion;
    const uint64_t ts = uint64_t(std::max<int64_t>(0, FloorSeconds(now)));
    for (int i = 0; i < 8; ++i) {
        p[1 + i] = static_cast<unsigned char>(ts >> (56 - 8 * i));
    }
    std::memcpy(p + 9, iv.data(), iv.size());

    CipherCtx ctx(EVP_CIPHER_CTX_new());
    std::size_t body = 0;
    int tail = 0;
    if (!ctx ||
        EVP_CipherInit_ex2(ctx.get(), Aes128Cbc(), key.EncryptionKey(), iv.data(), 1, nullptr) !=
            1 ||
        !CipherUpdate(ctx.get(), U(plaintext.data()), plaintext.size(), p + kHeaderSize, body) ||
        EVP_CipherFinal_ex(ctx.get(), p + kHeaderSize + body, &tail) != 1 ||
        body + std::size_t(tail) != padded) {
        Fatal("AES-128-CBC encrypt");
    }

    Hmac(key.SigningKey(), p, kHeaderSize + padded, p + kHeaderSize + padded);
    return core::Base64UrlEncode(raw);
}

core::Result<std::string> FernetDecrypt(const FernetKey& key, std::string_view token,
                                        std::optional<std::chrono::seconds> ttl,
                                        core::TimePoint now) {
    std::optional<std::string> decoded = core::Base64UrlDecode(token);
    if (!decoded) {
        return FernetInvalidToken();
    }
    const std::string& raw = *decoded;
    if (raw.size() < kHeaderSize + kBlockSize + kHmacSize ||
        (raw.size() - kHeaderSize - kHmacSize) % kBlockSize != 0) {
        return FernetInvalidToken();
    }
    const unsigned char* p = U(raw.data());
    if (p[0] != kVersion) {
        return FernetInvalidToken();
    }

    if (ttl) {
        uint64_t ts = 0;
        for (int i = 0; i < 8; ++i) {
            ts = (ts << 8) | p[1 + i];
        }
        const int64_t now_s = FloorSeconds(now);
        // Reject the far future first; after that ts <= now_s + skew, so now_s - ts cannot
        // overflow.
        const int64_t latest = now_s + kFernetMaxClockSkew.count();
        if (latest < 0 || ts > uint64_t(latest)) {
            return FernetInvalidToken();
        }
        if (now_s - int64_t(ts) > ttl->count()) {
            return FernetInvalidToken();
        }
    }

    const std::size_t signed_size = raw.size() - kHmacSize;
    unsigned char expected[kHmacSize];
    Hmac(key.SigningKey(), p, signed_size, expected);
    const bool hmac_ok = CRYPTO_memcmp(expected, p + signed_size, kHmacSize) == 0;
    OPENSSL_cleanse(expected, sizeof expected);
    if (!hmac_ok) {
        return FernetInvalidToken();
    }

    const std::size_t ct_size = signed_size - kHeaderSize;
    std::string plain(ct_size, '\0');
    CipherCtx ctx(EVP_CIPHER_CTX_new());
    if (!ctx) {
        Fatal("EVP_CIPHER_CTX_new");
    }
    std::size_t body = 0;
    int tail = 0;
    if (EVP_CipherInit_ex2(ctx.get(), Aes128Cbc(), key.EncryptionKey(), p + 9, 0, nullptr) != 1 ||
        !CipherUpdate(ctx.get(), p + kHeaderSize, ct_size, U(plain.data()), body) ||
        EVP_CipherFinal_ex(ctx.get(), U(plain.data()) + body, &tail) != 1) {
        // Only a bad PKCS7 padding gets here: the HMAC matched, so the key holder wrote it.
        OPENSSL_cleanse(plain.data(), plain.size());
        return FernetInvalidToken();
    }
    plain.resize(body + std::size_t(tail));
    return plain;
}

core::Result<std::string> FernetDecrypt(const FernetKey& key, std::string_view token) {
    return FernetDecrypt(key, token, std::nullopt, core::TimePoint{});
}

}  // namespace gc::vault
