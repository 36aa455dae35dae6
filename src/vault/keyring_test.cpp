// CONNECTOR_ENCRYPTION_KEYS parsing: good and bad inputs, errors that name the variable and never
// echo key material, and rotation order.
#include "vault/keyring.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace gc::vault {
namespace {

const std::string kK1 = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
const std::string kK2 = FernetKey::Generate().ToBase64();
const std::string kK3 = FernetKey::Generate().ToBase64();

struct GoodCase {
    std::string input;
    std::vector<std::string> ids;
};

TEST(Keyring, ParsesGoodInputs) {
    const std::vector<GoodCase> cases = {
        {kK1, {"default"}},
        {kK1.substr(0, 43), {"default"}},
        {"  " + kK1 + "\n", {"default"}},
        {"k1:" + kK1, {"k1"}},
        {"k2:" + kK2 + ",k1:" + kK1, {"k2", "k1"}},
        {"k2:" + kK2 + "," + kK1, {"k2", "default"}},
        {" k2 : " + kK2 + " , k1:" + kK1 + " ", {"k2", "k1"}},
        {"2026-11_a:" + kK2 + ",Z:" + kK1 + ",x:" + kK3, {"2026-11_a", "Z", "x"}},
        {std::string(kMaxKeyIdLength, 'a') + ":" + kK1, {std::string(kMaxKeyIdLength, 'a')}},
    };
    for (const GoodCase& c : cases) {
        const auto r = Keyring::Parse(c.input);
        ASSERT_TRUE(r.has_value()) << r.error().message;
        EXPECT_EQ(r->Ids(), c.ids);
        EXPECT_EQ(r->Primary().id, c.ids.front());
    }
}

TEST(Keyring, FirstKeyIsPrimaryAndEveryKeyIsFound) {
    const Keyring ring = Keyring::Parse("k2:" + kK2 + ",k1:" + kK1).value();
    EXPECT_EQ(ring.Primary().id, "k2");
    EXPECT_EQ(ring.Primary().key.ToBase64(), kK2);
    ASSERT_NE(ring.Find("k1"), nullptr);
    EXPECT_EQ(ring.Find("k1")->ToBase64(), kK1);
    ASSERT_NE(ring.Find("k2"), nullptr);
    EXPECT_EQ(ring.Find("k2")->ToBase64(), kK2);
    EXPECT_EQ(ring.Find("k3"), nullptr);
    EXPECT_EQ(ring.Find(""), nullptr);
    EXPECT_EQ(ring.Find("K1"), nullptr);  // ids are case-sensitive
}

struct BadCase {
    std::string input;
    std::string says;  // a part of the message that explains the problem
};

TEST(Keyring, RejectsBadInputsNamingTheVariableWithoutEchoingKeys) {
    const std::string not_a_key = "c2VjcmV0LXNlY3JldC1zZWNyZXQ";  // 20 bytes
    const std::vector<BadCase> cases = {
        {"", "is empty"},
        {"   \n", "is empty"},
        {kK1 + ",", "entry 2 is empty"},
        {"," + kK1, "entry 1 is empty"},
        {"k1:" + kK1 + ",,k2:" + kK2, "entry 2 is empty"},
        {not_a_key, "entry 1 is not a valid key"},
        {"k1:" + kK1 + ",k2:" + not_a_key, "entry 2 is not a valid key"},
        {"k1:" + kK1.substr(0, 40), "entry 1 is not a valid key"},
        {"k1:" + kK1.substr(0, 20) + "+" + kK1.substr(21), "entry 1 is not a valid key"},
        {"k1:", "entry 1 is not a valid key"},
        {"k1:" + kK1 + ",k1:" + kK2, "entry 2 repeats the key id of entry 1"},
        {kK1 + ",k2:" + kK2 + "," + kK3, "entry 3 repeats the key id of entry 1"},
        {":" + kK1, "entry 1 has an invalid key id"},
        {"k 1:" + kK1, "entry 1 has an invalid key id"},
        {"k.1:" + kK1, "entry 1 has an invalid key id"},
        {"k1:" + kK1 + ",ключ:" + kK2, "entry 2 has an invalid key id"},
        {std::string(kMaxKeyIdLength + 1, 'a') + ":" + kK1, "entry 1 has an invalid key id"},
        // Someone pasting two keys with a colon: the first key is not taken as an id.
        {kK2 + ":" + kK1, "entry 1 has an invalid key id"},
        {"k1:" + kK1 + ":" + kK2, "entry 1 is not a valid key"},
    };
    for (const BadCase& c : cases) {
        SCOPED_TRACE(c.says);
        const auto r = Keyring::Parse(c.input);
        ASSERT_FALSE(r.has_value());
        const std::string& m = r.error().message;
        EXPECT_EQ(r.error().code, core::ErrorCode::kValidation);
        EXPECT_EQ(m.rfind("CONNECTOR_ENCRYPTION_KEYS: ", 0), 0u) << m;
        EXPECT_NE(m.find(c.says), std::string::npos) << m;
        for (const std::string& secret : {kK1, kK2, kK3, not_a_key}) {
            // Not even an 8-character piece of any key appears.
            for (std::size_t i = 0; i + 8 <= secret.size(); i += 4) {
                EXPECT_EQ(m.find(secret.substr(i, 8)), std::string::npos) << m;
            }
        }
        EXPECT_EQ(r.error().internal.find(kK1.substr(0, 8)), std::string::npos);
    }
}

TEST(Keyring, SerializeRoundTripsThroughParse) {
    const Keyring ring = Keyring::Parse("k2:" + kK2 + "," + kK1).value();
    EXPECT_EQ(ring.Serialize(), "k2:" + kK2 + ",default:" + kK1);
    const Keyring again = Keyring::Parse(ring.Serialize()).value();
    EXPECT_EQ(again.Ids(), ring.Ids());
    EXPECT_EQ(again.Find("default")->ToBase64(), kK1);
}

TEST(Keyring, GenerateMakesOneFreshDefaultKey) {
    const Keyring a = Keyring::Generate();
    const Keyring b = Keyring::Generate();
    EXPECT_EQ(a.Ids(), std::vector<std::string>{"default"});
    EXPECT_NE(a.Serialize(), b.Serialize());
    EXPECT_EQ(Keyring::Parse(a.Serialize()).value().Primary().key.ToBase64(),
              a.Primary().key.ToBase64());
}

TEST(Keyring, PrintsIdsOnly) {
    const Keyring ring = Keyring::Parse("k2:" + kK2 + ",k1:" + kK1).value();
    std::ostringstream os;
    os << ring;
    EXPECT_EQ(os.str(), "Keyring{k2, k1}");
}

}  // namespace
}  // namespace gc::vault
