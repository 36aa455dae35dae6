#include "core/percent_encoding.hpp"

#include <gtest/gtest.h>

#include <string>

namespace gc::core {
namespace {

TEST(PercentEncoding, KeepsUnreservedAndEncodesEveryOtherByteInUpperHex) {
    EXPECT_EQ(PercentEncode("AZaz09-._~"), "AZaz09-._~");
    EXPECT_EQ(PercentEncode("a b/c?d=e&f#g"), "a%20b%2Fc%3Fd%3De%26f%23g");
    EXPECT_EQ(PercentEncode("%+"), "%25%2B");
    EXPECT_EQ(PercentEncode("\xc3\xa9"), "%C3%A9");
    EXPECT_EQ(PercentEncode(std::string("\0\xff", 2)), "%00%FF");
    EXPECT_EQ(PercentEncode(""), "");
}

}  // namespace
}  // namespace gc::core
