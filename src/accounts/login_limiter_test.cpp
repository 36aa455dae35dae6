#include "accounts/login_limiter.hpp"

#include <gtest/gtest.h>

namespace gc::accounts {
namespace {

class FakeClock final : public core::Clock {
  public:
    core::TimePoint Now() const override { return now; }
    core::TimePoint now = core::TimePoint(std::chrono::seconds(1'700'000'000));
};

TEST(LoginLimiter, BlocksAnAccountAfterTooManyFailuresThenReleasesIt) {
    FakeClock clock;
    LoginLimiter limiter(clock, {.failures_per_account = 3,
                                 .attempts_per_address = 100,
                                 .window = std::chrono::seconds(60)});
    for (int i = 0; i < 3; ++i) {
        ASSERT_EQ(limiter.Admit("a@x", "1.1.1.1"), 0);
        limiter.RecordFailure("a@x");
    }
    const int wait = limiter.Admit("a@x", "2.2.2.2");
    EXPECT_GT(wait, 0);
    EXPECT_LE(wait, 60);
    EXPECT_EQ(limiter.Admit("b@x", "1.1.1.1"), 0);  // other accounts unaffected
    clock.now += std::chrono::seconds(61);
    EXPECT_EQ(limiter.Admit("a@x", "1.1.1.1"), 0);
}

TEST(LoginLimiter, BlocksAnAddressSprayingManyAccounts) {
    FakeClock clock;
    LoginLimiter limiter(clock, {.failures_per_account = 100,
                                 .attempts_per_address = 5,
                                 .window = std::chrono::seconds(60)});
    for (int i = 0; i < 5; ++i) {
        ASSERT_EQ(limiter.Admit("user" + std::to_string(i), "9.9.9.9"), 0);
    }
    EXPECT_GT(limiter.Admit("user99", "9.9.9.9"), 0);
    EXPECT_EQ(limiter.Admit("user99", "8.8.8.8"), 0);
}

TEST(LoginLimiter, SuccessClearsAccountFailures) {
    FakeClock clock;
    LoginLimiter limiter(clock, {.failures_per_account = 2, .attempts_per_address = 100});
    limiter.RecordFailure("a@x");
    limiter.RecordSuccess("a@x");
    limiter.RecordFailure("a@x");
    EXPECT_EQ(limiter.Admit("a@x", "1.1.1.1"), 0);
}

}  // namespace
}  // namespace gc::accounts
