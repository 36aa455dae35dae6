#include "core/base64.hpp"

#include <gtest/gtest.h>

namespace gc::core {
namespace {

TEST(Base64, EncodesRfc4648Vectors) {
    EXPECT_EQ(Base64Encode(""), "");
    EXPECT_EQ(Base64Encode("f"), "Zg==");
    EXPECT_EQ(Base64Encode("fo"), "Zm8=");
    EXPECT_EQ(Base64Encode("foo"), "Zm9v");
    EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
    EXPECT_EQ(Base64UrlEncodeNoPad("fo"), "Zm8");
}

TEST(Base64, UrlSafeAlphabetRoundTrips) {
    const std::string bytes("\xfb\xff\xfe", 3);
    EXPECT_EQ(Base64UrlEncode(bytes), "-__-");
    EXPECT_EQ(Base64UrlDecode("-__-").value(), bytes);
}

TEST(Base64, DecodesWithAndWithoutPadding) {
    EXPECT_EQ(Base64UrlDecode("Zm8=").value(), "fo");
    EXPECT_EQ(Base64UrlDecode("Zm8").value(), "fo");
}

TEST(Base64, RejectsBadInput) {
    EXPECT_FALSE(Base64UrlDecode("Zm8+").has_value());    // standard alphabet
    EXPECT_FALSE(Base64UrlDecode("Z").has_value());       // impossible length
    EXPECT_FALSE(Base64UrlDecode("Zm9=").has_value());    // non-zero trailing bits
    EXPECT_FALSE(Base64UrlDecode("Zm8===").has_value());  // too much padding
}

}  // namespace
}  // namespace gc::core
