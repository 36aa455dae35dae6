#include "accounts/password.hpp"

#include <argon2.h>

#include <vector>

#include "core/random.hpp"

namespace gc::accounts {
namespace {

constexpr uint32_t kTimeCost = 2;
constexpr uint32_t kMemoryKiB = 19 * 1024;
constexpr uint32_t kLanes = 1;
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;

}  // namespace

std::string HashPassword(const core::Secret& password) {
    const std::string salt = core::RandomBytes(kSaltBytes);
    const std::size_t len =
        argon2_encodedlen(kTimeCost, kMemoryKiB, kLanes, kSaltBytes, kHashBytes, Argon2_id);
    std::vector<char> encoded(len);
    const int rc = argon2id_hash_encoded(kTimeCost, kMemoryKiB, kLanes, password.Reveal().data(),
                                         password.size(), salt.data(), salt.size(), kHashBytes,
                                         encoded.data(), encoded.size());
    if (rc != ARGON2_OK) {
        // Only memory exhaustion gets here; there is nothing safe to store instead.
        throw std::runtime_error(std::string("argon2 failed: ") + argon2_error_message(rc));
    }
    return std::string(encoded.data());
}

bool VerifyPassword(const std::string& encoded, const core::Secret& password) {
    if (!encoded.starts_with("$argon2id$")) {
        return false;
    }
    return argon2id_verify(encoded.c_str(), password.Reveal().data(), password.size()) == ARGON2_OK;
}

void VerifyDummyPassword(const core::Secret& password) {
    static const std::string dummy = HashPassword(core::Secret("not a real password"));
    (void)VerifyPassword(dummy, password);
}

}  // namespace gc::accounts
