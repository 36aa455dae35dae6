#include "core/http_token.hpp"

#include <gtest/gtest.h>

#include <string>

namespace gc::core {
namespace {

TEST(HttpToken, AcceptsTcharsOnly) {
    for (const char* good : {"GET", "X-Api-Key", "x_y.z", "!#$%&'*+-.^_`|~09azAZ"}) {
        EXPECT_TRUE(IsHttpToken(good)) << good;
    }
    for (const char* bad : {"", "X Key", "X:Key", "X\r\nKey", "(x)", "k\xc3\xa9y", "a/b"}) {
        EXPECT_FALSE(IsHttpToken(bad)) << bad;
    }
}

TEST(HttpToken, AValueMayHoldAnythingButALineEnd) {
    EXPECT_TRUE(IsSafeHeaderValue("Bearer abc; q=1, \t \xc3\xa9"));
    EXPECT_TRUE(IsSafeHeaderValue(""));
    EXPECT_FALSE(IsSafeHeaderValue("a\rb"));
    EXPECT_FALSE(IsSafeHeaderValue("a\nb"));
    EXPECT_FALSE(IsSafeHeaderValue(std::string("a\0b", 3)));
}

}  // namespace
}  // namespace gc::core
