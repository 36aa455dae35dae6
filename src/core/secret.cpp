#include "core/secret.hpp"

#include <openssl/crypto.h>

namespace gc::core {

// Wipe the plaintext before the memory goes back to the allocator.
Secret::~Secret() {
    if (!value_.empty()) {
        OPENSSL_cleanse(value_.data(), value_.size());
    }
}

}  // namespace gc::core
