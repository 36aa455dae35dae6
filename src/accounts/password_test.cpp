#include "accounts/password.hpp"

#include <gtest/gtest.h>

namespace gc::accounts {
namespace {

TEST(Password, HashesWithArgon2idAndVerifies) {
    const std::string hash = HashPassword(core::Secret("correct horse"));
    EXPECT_TRUE(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << hash;
    EXPECT_EQ(hash.find("correct horse"), std::string::npos);
    EXPECT_TRUE(VerifyPassword(hash, core::Secret("correct horse")));
    EXPECT_FALSE(VerifyPassword(hash, core::Secret("correct horsf")));
}

TEST(Password, SaltsEveryHash) {
    EXPECT_NE(HashPassword(core::Secret("same")), HashPassword(core::Secret("same")));
}

TEST(Password, RejectsMalformedOrForeignHashes) {
    EXPECT_FALSE(VerifyPassword("", core::Secret("x")));
    EXPECT_FALSE(
        VerifyPassword("$argon2i$v=19$m=16,t=2,p=1$c2FsdHNhbHQ$aGFzaA", core::Secret("x")));
    EXPECT_FALSE(VerifyPassword("$argon2id$garbage", core::Secret("x")));
}

}  // namespace
}  // namespace gc::accounts
