// Sealed secrets: bound to their row, opened by any key in the ring, and failures told apart.
#include "vault/sealed_secret.hpp"

#include <gtest/gtest.h>

#include "core/base64.hpp"

namespace gc::vault {
namespace {

const std::string kK1 = FernetKey::Generate().ToBase64();
const std::string kK2 = FernetKey::Generate().ToBase64();
const std::string kWs = "5b0c1f3e-8a2d-4c1b-9e7f-0a1b2c3d4e5f";
const std::string kCred = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a";

Keyring Ring(const std::string& text) { return Keyring::Parse(text).value(); }

void ExpectFailure(const OpenResult& r, OpenFailure expected) {
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), expected) << ToString(r.error());
}

TEST(SealedSecret, RoundTripsForItsOwnRow) {
    const Keyring ring = Ring("k1:" + kK1);
    for (const std::string& value : {std::string(), std::string("sk_live_abc123"),
                                     std::string("a\0b", 3), std::string(5000, 'x')}) {
        const SealedSecret sealed = Seal(ring, kWs, kCred, core::Secret(value));
        EXPECT_EQ(sealed.key_id, "k1");
        const OpenResult r = Open(ring, sealed, kWs, kCred);
        ASSERT_TRUE(r.has_value()) << ToString(r.error());
        EXPECT_EQ(r->Reveal(), value);
    }
}

TEST(SealedSecret, TokenIsFernetAndHidesThePlaintext) {
    const Keyring ring = Ring("k1:" + kK1);
    const SealedSecret sealed = Seal(ring, kWs, kCred, core::Secret("sk_live_canary_42"));
    EXPECT_EQ(sealed.token.find("sk_live"), std::string::npos);
    const std::string raw = core::Base64UrlDecode(sealed.token).value();
    EXPECT_EQ(uint8_t(raw[0]), 0x80);
    EXPECT_EQ(raw.find("sk_live"), std::string::npos);
    EXPECT_EQ(raw.find(kWs), std::string::npos);
}

TEST(SealedSecret, SealsWithThePrimaryKey) {
    const Keyring ring = Ring("k2:" + kK2 + ",k1:" + kK1);
    const SealedSecret sealed = Seal(ring, kWs, kCred, core::Secret("s"));
    EXPECT_EQ(sealed.key_id, "k2");
    EXPECT_TRUE(FernetDecrypt(*ring.Find("k2"), sealed.token).has_value());
    EXPECT_FALSE(FernetDecrypt(*ring.Find("k1"), sealed.token).has_value());
}

TEST(SealedSecret, OldKeyStillOpensAfterRotationButNotOnceRemoved) {
    const SealedSecret sealed = Seal(Ring("k1:" + kK1), kWs, kCred, core::Secret("old"));
    const OpenResult rotated = Open(Ring("k2:" + kK2 + ",k1:" + kK1), sealed, kWs, kCred);
    ASSERT_TRUE(rotated.has_value());
    EXPECT_EQ(rotated->Reveal(), "old");
    ExpectFailure(Open(Ring("k2:" + kK2), sealed, kWs, kCred), OpenFailure::kUnknownKey);
}

TEST(SealedSecret, KeyIdNamingAnotherKeyIsUndecryptable) {
    const SealedSecret sealed = Seal(Ring("k1:" + kK1), kWs, kCred, core::Secret("s"));
    // The operator replaced the key behind the id k1.
    ExpectFailure(Open(Ring("k1:" + kK2), sealed, kWs, kCred), OpenFailure::kUndecryptable);
    SealedSecret relabelled = sealed;
    relabelled.key_id = "k2";
    ExpectFailure(Open(Ring("k2:" + kK2 + ",k1:" + kK1), relabelled, kWs, kCred),
                  OpenFailure::kUndecryptable);
}

TEST(SealedSecret, CorruptTokenIsUndecryptable) {
    const Keyring ring = Ring("k1:" + kK1);
    SealedSecret sealed = Seal(ring, kWs, kCred, core::Secret("s"));
    std::string raw = core::Base64UrlDecode(sealed.token).value();
    raw[40] = char(raw[40] ^ 0x10);
    sealed.token = core::Base64UrlEncode(raw);
    ExpectFailure(Open(ring, sealed, kWs, kCred), OpenFailure::kUndecryptable);
    sealed.token = "not a token";
    ExpectFailure(Open(ring, sealed, kWs, kCred), OpenFailure::kUndecryptable);
}

TEST(SealedSecret, CopiedIntoAnotherRowFailsAsWrongRow) {
    const Keyring ring = Ring("k1:" + kK1);
    const SealedSecret sealed = Seal(ring, kWs, kCred, core::Secret("s"));
    const std::string other = "00000000-0000-4000-8000-000000000000";
    ExpectFailure(Open(ring, sealed, other, kCred), OpenFailure::kWrongRow);
    ExpectFailure(Open(ring, sealed, kWs, other), OpenFailure::kWrongRow);
    ExpectFailure(Open(ring, sealed, kCred, kWs), OpenFailure::kWrongRow);
    ExpectFailure(Open(ring, sealed, "", ""), OpenFailure::kWrongRow);
    // A prefix of the real id is another id, too.
    ExpectFailure(Open(ring, sealed, kWs, kCred.substr(0, 35)), OpenFailure::kWrongRow);
}

TEST(SealedSecret, FieldBoundariesCannotBeShifted) {
    const Keyring ring = Ring("k1:" + kK1);
    // ("ab", "c") and ("a", "bc") must not be the same binding.
    const SealedSecret sealed = Seal(ring, "ab", "c", core::Secret("s"));
    ExpectFailure(Open(ring, sealed, "a", "bc"), OpenFailure::kWrongRow);
    EXPECT_TRUE(Open(ring, sealed, "ab", "c").has_value());
}

TEST(SealedSecret, BareFernetTokenWithoutEnvelopeIsNotBoundToAnyRow) {
    const Keyring ring = Ring("k1:" + kK1);
    const SealedSecret bare{"k1", FernetEncrypt(ring.Primary().key, "sk_live_prototype")};
    ExpectFailure(Open(ring, bare, kWs, kCred), OpenFailure::kWrongRow);
}

TEST(SealedSecret, ErrorsAreDistinctAndCarryNoSecret) {
    const core::Error wrong_row = ToError(OpenFailure::kWrongRow);
    EXPECT_EQ(wrong_row.code, core::ErrorCode::kInternal);
    EXPECT_EQ(wrong_row.message, "credential integrity check failed");
    const core::Error unknown = ToError(OpenFailure::kUnknownKey);
    const core::Error undecryptable = ToError(OpenFailure::kUndecryptable);
    EXPECT_EQ(unknown.message, "credential unreadable");
    EXPECT_EQ(undecryptable.message, "credential unreadable");
    EXPECT_NE(unknown.internal, undecryptable.internal);
    EXPECT_EQ(ToString(OpenFailure::kUnknownKey), "unknown_key");
    EXPECT_EQ(ToString(OpenFailure::kUndecryptable), "undecryptable");
    EXPECT_EQ(ToString(OpenFailure::kWrongRow), "wrong_row");
}

TEST(SealedSecret, ValueOnFailureThrowsTheMappedError) {
    const Keyring ring = Ring("k1:" + kK1);
    const SealedSecret sealed = Seal(ring, kWs, kCred, core::Secret("s"));
    try {
        (void)Open(ring, sealed, kWs, "other").value();
        FAIL() << "value() did not throw";
    } catch (const core::ErrorException& e) {
        EXPECT_EQ(e.error.message, "credential integrity check failed");
    }
}

}  // namespace
}  // namespace gc::vault
