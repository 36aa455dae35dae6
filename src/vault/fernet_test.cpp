// Fernet against the spec's conformance vectors, plus round trips and tampering.
#include "vault/fernet.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>
#include <vector>

#include "core/base64.hpp"

namespace gc::vault {
namespace {

boost::json::array LoadVectors(const std::string& name) {
    const std::string path = std::string(GC_SHARED_DIR) + "/conformance/fernet/" + name;
    std::ifstream in(path);
    EXPECT_TRUE(in.good()) << "cannot read " << path;
    std::stringstream ss;
    ss << in.rdbuf();
    boost::json::array vectors = boost::json::parse(ss.str()).as_array();
    EXPECT_FALSE(vectors.empty()) << path;
    return vectors;
}

core::TimePoint Time(const boost::json::value& v) {
    core::TimePoint t;
    EXPECT_TRUE(core::ParseTimestamp(std::string(v.as_string()), t)) << v;
    return t;
}

FernetKey Key(const boost::json::value& v) { return FernetKey::Parse(v.as_string()).value(); }

core::TimePoint At(int64_t seconds) { return core::TimePoint(std::chrono::seconds(seconds)); }

void ExpectGenericError(const core::Result<std::string>& r) {
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, core::ErrorCode::kBadRequest);
    EXPECT_EQ(r.error().message, "invalid token");
    EXPECT_TRUE(r.error().internal.empty());
    EXPECT_TRUE(r.error().details.empty());
}

TEST(Fernet, GeneratesConformanceVectorsByteForByte) {
    for (const auto& v : LoadVectors("generate.json")) {
        const auto& o = v.as_object();
        FernetIv iv{};
        const auto& iv_json = o.at("iv").as_array();
        ASSERT_EQ(iv_json.size(), iv.size());
        for (std::size_t i = 0; i < iv.size(); ++i) {
            iv[i] = static_cast<unsigned char>(iv_json[i].as_int64());
        }
        const std::string token =
            FernetEncrypt(Key(o.at("secret")), o.at("src").as_string(), Time(o.at("now")), iv);
        EXPECT_EQ(token, o.at("token").as_string());
    }
}

TEST(Fernet, VerifiesConformanceVectors) {
    for (const auto& v : LoadVectors("verify.json")) {
        const auto& o = v.as_object();
        const auto r =
            FernetDecrypt(Key(o.at("secret")), o.at("token").as_string(),
                          std::chrono::seconds(o.at("ttl_sec").as_int64()), Time(o.at("now")));
        ASSERT_TRUE(r.has_value()) << o.at("token");
        EXPECT_EQ(*r, o.at("src").as_string());
    }
}

TEST(Fernet, RejectsEveryInvalidConformanceVectorWithOneGenericError) {
    const auto vectors = LoadVectors("invalid.json");
    EXPECT_EQ(vectors.size(), 8u);
    for (const auto& v : vectors) {
        const auto& o = v.as_object();
        SCOPED_TRACE(std::string(o.at("desc").as_string()));
        ExpectGenericError(FernetDecrypt(Key(o.at("secret")), o.at("token").as_string(),
                                         std::chrono::seconds(o.at("ttl_sec").as_int64()),
                                         Time(o.at("now"))));
    }
}

TEST(Fernet, RoundTripsMessagesOfEverySizeAroundTheBlockBoundary) {
    const FernetKey key = FernetKey::Generate();
    for (std::size_t n : {0u, 1u, 15u, 16u, 17u, 31u, 32u, 33u, 4096u, 100000u}) {
        std::string msg(n, '\0');
        for (std::size_t i = 0; i < n; ++i) {
            msg[i] = char(i * 7 + 3);
        }
        const std::string token = FernetEncrypt(key, msg);
        const auto raw = core::Base64UrlDecode(token);
        ASSERT_TRUE(raw.has_value());
        EXPECT_EQ(raw->size(), 1 + 8 + 16 + (n / 16 + 1) * 16 + 32);
        const auto r = FernetDecrypt(key, token);
        ASSERT_TRUE(r.has_value()) << n;
        EXPECT_EQ(*r, msg);
    }
}

TEST(Fernet, UsesAFreshIvForEveryToken) {
    const FernetKey key = FernetKey::Generate();
    EXPECT_NE(FernetEncrypt(key, "same"), FernetEncrypt(key, "same"));
}

TEST(Fernet, StampsTheCurrentTime) {
    const FernetKey key = FernetKey::Generate();
    const auto before = std::chrono::system_clock::now();
    const std::string token = FernetEncrypt(key, "x");
    // Valid with a tight ttl now, and expired an hour later.
    EXPECT_TRUE(FernetDecrypt(key, token, std::chrono::seconds(5), before).has_value());
    ExpectGenericError(
        FernetDecrypt(key, token, std::chrono::seconds(5), before + std::chrono::hours(1)));
}

TEST(Fernet, RejectsTokenWithAnyByteTampered) {
    const FernetKey key = FernetKey::Parse("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=").value();
    const std::string token = FernetEncrypt(key, "attack at dawn, bring the credentials");
    const std::string raw = core::Base64UrlDecode(token).value();
    for (std::size_t i = 0; i < raw.size(); ++i) {
        for (unsigned char bit : {0x01, 0x80}) {
            std::string bad = raw;
            bad[i] = char(uint8_t(bad[i]) ^ bit);
            SCOPED_TRACE("byte " + std::to_string(i));
            // The timestamp is signed too, so even it cannot change without a ttl check.
            ExpectGenericError(FernetDecrypt(key, core::Base64UrlEncode(bad)));
        }
    }
}

TEST(Fernet, RejectsTokenWithBadHmac) {
    const FernetKey key = FernetKey::Generate();
    std::string raw = core::Base64UrlDecode(FernetEncrypt(key, "hello")).value();
    raw.back() = char(raw.back() ^ 1);
    ExpectGenericError(FernetDecrypt(key, core::Base64UrlEncode(raw)));
}

TEST(Fernet, RejectsTokenFromAnotherKey) {
    const std::string token = FernetEncrypt(FernetKey::Generate(), "hello");
    ExpectGenericError(FernetDecrypt(FernetKey::Generate(), token));
}

TEST(Fernet, RejectsTruncatedExtendedAndWrongVersionTokens) {
    const FernetKey key = FernetKey::Generate();
    const std::string raw = core::Base64UrlDecode(FernetEncrypt(key, "hello")).value();
    ExpectGenericError(FernetDecrypt(key, ""));
    ExpectGenericError(FernetDecrypt(key, core::Base64UrlEncode(raw.substr(0, 72))));
    ExpectGenericError(FernetDecrypt(key, core::Base64UrlEncode(raw.substr(0, raw.size() - 1))));
    ExpectGenericError(FernetDecrypt(key, core::Base64UrlEncode(raw + std::string(16, 'A'))));
    std::string v81 = raw;
    v81[0] = char(0x81);
    ExpectGenericError(FernetDecrypt(key, core::Base64UrlEncode(v81)));
    ExpectGenericError(FernetDecrypt(key, "gAAAA AAdwJ6w"));
}

TEST(Fernet, AppliesTtlAndClockSkewOnlyWhenATtlIsGiven) {
    const FernetKey key = FernetKey::Generate();
    const FernetIv iv{};
    const std::string token = FernetEncrypt(key, "hi", At(1'000'000), iv);
    const std::chrono::seconds ttl(60);
    EXPECT_TRUE(FernetDecrypt(key, token, ttl, At(1'000'060)).has_value());  // exactly ttl old
    ExpectGenericError(FernetDecrypt(key, token, ttl, At(1'000'061)));
    EXPECT_TRUE(FernetDecrypt(key, token, ttl, At(1'000'000 - 60)).has_value());  // 60 s skew
    ExpectGenericError(FernetDecrypt(key, token, ttl, At(1'000'000 - 61)));
    // Without a ttl the timestamp is not judged.
    EXPECT_TRUE(FernetDecrypt(key, token, std::nullopt, At(0)).has_value());
    EXPECT_TRUE(FernetDecrypt(key, token, std::nullopt, At(9'000'000'000)).has_value());
}

TEST(Fernet, ClampsTimesBefore1970ToZero) {
    const FernetKey key = FernetKey::Generate();
    const std::string token = FernetEncrypt(key, "old", At(-5), FernetIv{});
    const std::string raw = core::Base64UrlDecode(token).value();
    EXPECT_EQ(raw.substr(1, 8), std::string(8, '\0'));
    EXPECT_TRUE(FernetDecrypt(key, token, std::chrono::seconds(10), At(0)).has_value());
}

TEST(Fernet, ParsesOnlyThirtyTwoByteUrlSafeKeys) {
    const std::string good = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
    EXPECT_TRUE(FernetKey::Parse(good).has_value());
    EXPECT_TRUE(FernetKey::Parse(good.substr(0, 43)).has_value());  // padding optional
    EXPECT_EQ(FernetKey::Parse(good).value().ToBase64(), good);
    const std::vector<std::string> bad_keys = {
        std::string(),
        good.substr(0, 40),
        good + "AAAA",
        "cw/0x689RpI+jtRR7oE8h/eQsKImvJapLeSbXpwF4e4=",  // standard alphabet
        good.substr(0, 20) + " " + good.substr(21),
        core::Base64UrlEncode(std::string(31, 'k')),
        core::Base64UrlEncode(std::string(33, 'k')),
    };
    for (const std::string& bad : bad_keys) {
        const auto r = FernetKey::Parse(bad);
        ASSERT_FALSE(r.has_value()) << bad;
        EXPECT_EQ(r.error().code, core::ErrorCode::kValidation);
        // A fixed text: nothing of the input is echoed.
        EXPECT_EQ(r.error().message, "a Fernet key must be 32 bytes of url-safe base64");
    }
}

TEST(Fernet, GeneratedKeysDifferAndRoundTripThroughBase64) {
    const FernetKey a = FernetKey::Generate();
    const FernetKey b = FernetKey::Generate();
    EXPECT_NE(a.ToBase64(), b.ToBase64());
    EXPECT_EQ(a.ToBase64().size(), 44u);
    const FernetKey a2 = FernetKey::Parse(a.ToBase64()).value();
    EXPECT_EQ(FernetDecrypt(a2, FernetEncrypt(a, "x")).value(), "x");
}

TEST(Fernet, KeyPrintsRedacted) {
    const std::string text = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
    std::ostringstream os;
    os << FernetKey::Parse(text).value();
    EXPECT_EQ(os.str(), "FernetKey([redacted])");
    EXPECT_EQ(testing::PrintToString(FernetKey::Parse(text).value()), "FernetKey([redacted])");
}

}  // namespace
}  // namespace gc::vault
