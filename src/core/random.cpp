#include "core/random.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <pthread.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

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

namespace {

// Ids come from a per-thread buffer of RAND_bytes output rather than one RAND_bytes call each:
// every call checks for a fork with getpid(), and on virtual machines where a system call is
// slow two of them per id showed in the request path. A fork clears the buffers (the child
// must not reuse its parent's bytes).
std::atomic<unsigned> fork_generation{0};

struct IdRandomness {
    std::array<unsigned char, 4096> bytes{};
    std::size_t used = bytes.size();
    unsigned generation = 0;
};

void TakeIdRandomness(unsigned char* out, std::size_t n) {
    static const bool registered = [] {
        pthread_atfork(nullptr, nullptr, [] { fork_generation.fetch_add(1); });
        return true;
    }();
    (void)registered;
    thread_local IdRandomness pool;
    const unsigned generation = fork_generation.load(std::memory_order_relaxed);
    if (pool.used + n > pool.bytes.size() || pool.generation != generation) {
        if (RAND_bytes(pool.bytes.data(), int(pool.bytes.size())) != 1) {
            std::fputs("fatal: the system random number generator failed\n", stderr);
            std::abort();
        }
        pool.used = 0;
        pool.generation = generation;
    }
    std::memcpy(out, pool.bytes.data() + pool.used, n);
    // Each byte is handed out once.
    OPENSSL_cleanse(pool.bytes.data() + pool.used, n);
    pool.used += n;
}

std::string FormatUuid(const std::array<unsigned char, 16>& b) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) {
            out += '-';
        }
        out += kHex[b[i] >> 4];
        out += kHex[b[i] & 15];
    }
    return out;
}

}  // namespace

std::string NewUuid() {
    std::array<unsigned char, 16> b{};
    TakeIdRandomness(b.data(), b.size());
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
    return FormatUuid(b);
}

std::string NewTimeOrderedUuid() {
    std::array<unsigned char, 16> b{};
    TakeIdRandomness(b.data() + 6, b.size() - 6);
    const auto ms =
        static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
    for (int i = 0; i < 6; ++i) {
        b[i] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
    }
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x70);
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
    return FormatUuid(b);
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
