#include "core/random.hpp"

#include <gtest/gtest.h>

#include <set>

namespace gc::core {
namespace {

TEST(Uuid, IsVersion4AndUnique) {
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        const std::string id = NewUuid();
        ASSERT_TRUE(IsUuid(id)) << id;
        EXPECT_EQ(id[14], '4');
        EXPECT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b');
        seen.insert(id);
    }
    EXPECT_EQ(seen.size(), 1000u);
}

TEST(Uuid, RecognisesOnlyCanonicalForm) {
    EXPECT_TRUE(IsUuid("123e4567-e89b-42d3-a456-426614174000"));
    EXPECT_FALSE(IsUuid("123e4567e89b42d3a456426614174000"));
    EXPECT_FALSE(IsUuid("123e4567-e89b-42d3-a456-42661417400z"));
    EXPECT_FALSE(IsUuid("' OR 1=1 --"));
}

TEST(RandomToken, CarriesRequestedEntropy) {
    EXPECT_EQ(RandomToken(32).size(), 43u);
    EXPECT_NE(RandomToken(), RandomToken());
}

}  // namespace
}  // namespace gc::core
