// AuthenticateTokenIfCached on a real SQLite database: what the network thread may answer
// without the database, and when it must leave the request to a worker.
#include "accounts/account_service.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "core/clock.hpp"
#include "store/migrations.hpp"

namespace gc::accounts {
namespace {

class MovableClock final : public core::Clock {
  public:
    core::TimePoint Now() const override { return now_; }
    void Advance(std::chrono::seconds s) { now_ += s; }

  private:
    core::TimePoint now_ = std::chrono::system_clock::now();
};

class AccountServiceTest : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/gc-accounts-XXXXXX";
        dir_ = mkdtemp(tmpl);
        auto db = store::OpenDatabase({.sqlite_path = dir_ + "/connector.db", .pool_size = 2});
        ASSERT_TRUE(db.has_value());
        db_ = std::move(*db);
        ASSERT_TRUE(store::Migrate(*db_).has_value());
        accounts_ = std::make_unique<AccountService>(*db_, clock_, AccountSettings{});
        ASSERT_TRUE(accounts_->AddUser("ada@example.com", "Ada",
                                       core::Secret("correct horse battery staple")));
        auto token = accounts_->CreateTokenForEmail("ada@example.com", "ci");
        ASSERT_TRUE(token.has_value());
        token_ = token->token;
        plaintext_ = token->plaintext.Reveal();
    }
    void TearDown() override {
        accounts_.reset();
        db_.reset();
        std::filesystem::remove_all(dir_);
    }

    std::string dir_;
    std::unique_ptr<store::Database> db_;
    MovableClock clock_;
    std::unique_ptr<AccountService> accounts_;
    TokenView token_;
    std::string plaintext_;
};

TEST_F(AccountServiceTest, ATokenIsAnsweredFromMemoryOnlyAfterItWasReadAndItsUseRecorded) {
    EXPECT_FALSE(accounts_->AuthenticateTokenIfCached(plaintext_).has_value())
        << "not read yet: the database must be asked";
    auto read = accounts_->AuthenticateToken(plaintext_);
    ASSERT_TRUE(read.has_value());

    auto cached = accounts_->AuthenticateTokenIfCached(plaintext_);
    ASSERT_TRUE(cached.has_value());
    ASSERT_TRUE(cached->has_value());
    EXPECT_EQ((*cached)->scope.workspace_id, read->scope.workspace_id);
    EXPECT_EQ((*cached)->scope.user_id, read->scope.user_id);

    // A minute later its use must be written again: that is the worker's job.
    clock_.Advance(std::chrono::seconds(61));
    EXPECT_FALSE(accounts_->AuthenticateTokenIfCached(plaintext_).has_value());
    ASSERT_TRUE(accounts_->AuthenticateToken(plaintext_).has_value());
    EXPECT_TRUE(accounts_->AuthenticateTokenIfCached(plaintext_).has_value());
}

TEST_F(AccountServiceTest, ADeletedTokenIsNeverAnsweredFromMemory) {
    auto principal = accounts_->AuthenticateToken(plaintext_);
    ASSERT_TRUE(principal.has_value());
    ASSERT_TRUE(accounts_->AuthenticateTokenIfCached(plaintext_).has_value());
    ASSERT_TRUE(accounts_->DeleteToken(principal->scope, token_.id));
    EXPECT_FALSE(accounts_->AuthenticateTokenIfCached(plaintext_).has_value());
    auto after = accounts_->AuthenticateToken(plaintext_);
    ASSERT_FALSE(after.has_value());
    EXPECT_EQ(after.error().code, core::ErrorCode::kUnauthenticated);
}

TEST_F(AccountServiceTest, AMalformedTokenIsRefusedWithoutTheDatabase) {
    for (const std::string& bad : {std::string("not-a-token"), "gct_" + std::string(300, 'a')}) {
        auto r = accounts_->AuthenticateTokenIfCached(bad);
        ASSERT_TRUE(r.has_value()) << bad;
        ASSERT_FALSE(r->has_value());
        EXPECT_EQ(r->error().code, core::ErrorCode::kUnauthenticated);
    }
    EXPECT_FALSE(accounts_->AuthenticateTokenIfCached("gct_unknown").has_value())
        << "a well-formed unknown token is looked up by a worker";
}

}  // namespace
}  // namespace gc::accounts
