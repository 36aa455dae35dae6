// The credential service, key setup and key rotation on a real SQLite database: input rules,
// masks, sealing bound to the row, status on read, Load's errors, the key file, and rotation.
#include "vault/credential_service.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "store/credential_repository.hpp"
#include "store/migrations.hpp"
#include "vault/key_rotation.hpp"
#include "vault/key_setup.hpp"

namespace gc::vault {
namespace {

namespace json = boost::json;
using core::ErrorCode;

class FakeClock final : public core::Clock {
  public:
    core::TimePoint Now() const override { return now_; }
    void Set(core::TimePoint t) { now_ = t; }
    void Advance(std::chrono::seconds s) { now_ += s; }

  private:
    core::TimePoint now_ = std::chrono::system_clock::now();
};

Keyring Ring(const std::string& text) { return Keyring::Parse(text).value(); }

const std::string kK1 = FernetKey::Generate().ToBase64();
const std::string kK2 = FernetKey::Generate().ToBase64();
const std::string kCanary = "sk_live_CANARY_5f1d2c9a7b";

class CredentialServiceTest : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/gc-vault-XXXXXX";
        dir_ = mkdtemp(tmpl);
        auto db = store::OpenDatabase({.sqlite_path = dir_ + "/connector.db", .pool_size = 2});
        ASSERT_TRUE(db.has_value());
        db_ = std::move(*db);
        ASSERT_TRUE(store::Migrate(*db_).has_value());
        ws_ = NewWorkspace();
        other_ws_ = NewWorkspace();
        service_ = Service(keyring_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::unique_ptr<CredentialService> Service(const Keyring& keyring) {
        return std::make_unique<CredentialService>(*db_, keyring, clock_);
    }

    core::Scope ScopeFor(const std::string& ws, core::Role role = core::Role::kOwner) {
        return core::Scope{.user_id = "", .workspace_id = ws, .role = role};
    }
    core::Scope Owner() { return ScopeFor(ws_); }

    std::string NewWorkspace() {
        const std::string id = core::NewUuid();
        Exec("INSERT INTO workspaces (id, name, personal, created_at, updated_at) VALUES ('" + id +
             "', 'w', 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')");
        return id;
    }

    std::string NewIntegration(const std::string& ws, const std::string& auth_type) {
        const std::string id = core::NewUuid();
        Exec(
            "INSERT INTO custom_integrations (id, workspace_id, name, display_name, auth_type,"
            " base_url, created_at, updated_at) VALUES ('" +
            id + "', '" + ws + "', 'i_" + id.substr(0, 8) + "', 'I', '" + auth_type +
            "', 'https://api.example.com', '2026-01-01T00:00:00.000Z', "
            "'2026-01-01T00:00:00.000Z')");
        return id;
    }

    void Exec(const std::string& sql) {
        ASSERT_TRUE(db_->Transact({}, [&](store::Tx& tx) { tx.Exec(sql); }).has_value()) << sql;
    }

    std::string Scalar(const std::string& sql) {
        std::string out;
        EXPECT_TRUE(db_->Transact({},
                                  [&](store::Tx& tx) {
                                      auto rows = tx.Query(sql);
                                      if (!rows.empty()) {
                                          out = rows[0].Text(0);
                                      }
                                  })
                        .has_value());
        return out;
    }

    CredentialMeta Put(const std::string& integration, const std::string& body) {
        auto r = service_->Put(Owner(), integration, json::parse(body));
        EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
        return r ? *r : CredentialMeta{};
    }

    std::string dir_;
    std::unique_ptr<store::Database> db_;
    FakeClock clock_;
    Keyring keyring_ = Ring("k1:" + kK1);
    std::unique_ptr<CredentialService> service_;
    std::string ws_;
    std::string other_ws_;
};

TEST(CredentialRules, MaskShowsAtMostTheLastFourCharactersOfLongSecrets) {
    EXPECT_EQ(MaskSecret(""), "••••");
    EXPECT_EQ(MaskSecret("short"), "••••");
    EXPECT_EQ(MaskSecret("elevenchars"), "••••");
    EXPECT_EQ(MaskSecret("twelve_chars"), "••••hars");
    EXPECT_EQ(MaskSecret("sk_live_abcdefgh1234"), "••••1234");
    // Code points, not bytes: a multi-byte tail is kept whole.
    EXPECT_EQ(MaskSecret("ééééééééééé€€"), "••••éé€€");
    EXPECT_EQ(MaskSecret("ééééé"), "••••");
}

TEST(CredentialRules, TypesFitTheirAuthTypes) {
    EXPECT_TRUE(CredentialFitsAuthType(CredentialType::kApiKey, "api_key"));
    EXPECT_TRUE(CredentialFitsAuthType(CredentialType::kBearer, "bearer"));
    EXPECT_TRUE(CredentialFitsAuthType(CredentialType::kBasic, "basic"));
    EXPECT_TRUE(CredentialFitsAuthType(CredentialType::kOauth2, "oauth2"));
    EXPECT_TRUE(CredentialFitsAuthType(CredentialType::kOauth2Client, "oauth2"));
    EXPECT_FALSE(CredentialFitsAuthType(CredentialType::kApiKey, "bearer"));
    EXPECT_FALSE(CredentialFitsAuthType(CredentialType::kBearer, "oauth2"));
    EXPECT_FALSE(CredentialFitsAuthType(CredentialType::kOauth2, "api_key"));
    for (auto t : {CredentialType::kApiKey, CredentialType::kBearer, CredentialType::kBasic,
                   CredentialType::kOauth2, CredentialType::kOauth2Client}) {
        EXPECT_FALSE(CredentialFitsAuthType(t, "none"));
        EXPECT_EQ(ParseCredentialType(ToString(t)), t);
    }
    EXPECT_FALSE(ParseCredentialType("password").has_value());
}

TEST(CredentialRules, InputProblemsNameTheFieldAndNeverTheValue) {
    struct Case {
        const char* body;
        const char* field;
    };
    const Case cases[] = {
        {R"([])", ""},
        {R"({})", "type"},
        {R"({"type":"password","value":"x"})", "type"},
        {R"({"type":7})", "type"},
        {R"({"type":"api_key"})", "value"},
        {R"({"type":"api_key","value":""})", "value"},
        {R"({"type":"api_key","value":12})", "value"},
        {R"({"type":"bearer","value":"sk_live_CANARY\nX-Evil: 1"})", "value"},
        {R"({"type":"basic","password":"p"})", "username"},
        {R"({"type":"basic","username":"sk_live_CANARY:x","password":"p"})", "username"},
        {R"({"type":"basic","username":"u"})", "password"},
        {R"({"type":"oauth2","refresh_token":"r"})", "access_token"},
        {R"({"type":"oauth2","access_token":"a","refresh_token":""})", "refresh_token"},
        {R"({"type":"oauth2","access_token":"a","expires_at":"sk_live_CANARY"})", "expires_at"},
        {R"({"type":"oauth2","access_token":"a","expires_at":1700000000})", "expires_at"},
        {R"({"type":"oauth2","access_token":"a","scopes":"read write"})", "scopes"},
        {R"({"type":"oauth2","access_token":"a","scopes":["read","has space"]})", "scopes[1]"},
        {R"({"type":"oauth2_client"})", "client_secret"},
    };
    for (const auto& c : cases) {
        auto r = ParseCredentialInput(json::parse(c.body));
        ASSERT_FALSE(r.has_value()) << c.body;
        EXPECT_EQ(r.error().code, ErrorCode::kValidation) << c.body;
        ASSERT_EQ(r.error().details.size(), 1u) << c.body;
        EXPECT_EQ(r.error().details[0].field, c.field) << c.body;
        EXPECT_EQ(r.error().details[0].problem.find("CANARY"), std::string::npos) << c.body;
        EXPECT_EQ(r.error().message.find("CANARY"), std::string::npos) << c.body;
    }
    auto ok = ParseCredentialInput(json::parse(
        R"({"type":"oauth2","access_token":"a","expires_at":"2030-01-01T00:00:00+02:00",
            "scopes":["read","write:all"],"user_id":"ignored"})"));
    ASSERT_TRUE(ok.has_value());
    EXPECT_EQ(ok->expires_at, "2029-12-31T22:00:00.000Z");
    EXPECT_EQ(ok->scopes->size(), 2u);
    auto basic =
        ParseCredentialInput(json::parse(R"({"type":"basic","username":"u","password":""})"));
    EXPECT_TRUE(basic.has_value()) << "an empty basic password is allowed";
}

TEST_F(CredentialServiceTest, EachTypeRoundTripsThroughLoad) {
    const std::string api = NewIntegration(ws_, "api_key");
    const std::string bearer = NewIntegration(ws_, "bearer");
    const std::string basic = NewIntegration(ws_, "basic");
    const std::string oauth = NewIntegration(ws_, "oauth2");

    auto m = Put(api, R"({"type":"api_key","value":")" + kCanary + R"("})");
    EXPECT_EQ(m.type, CredentialType::kApiKey);
    EXPECT_EQ(m.mask, "••••9a7b");
    EXPECT_EQ(m.mask.substr(m.mask.size() - 4), kCanary.substr(kCanary.size() - 4));
    EXPECT_EQ(m.status, CredentialStatus::kValid);
    Put(bearer, R"({"type":"bearer","value":"tok"})");
    Put(basic, R"({"type":"basic","username":"alice","password":"s3cret-password"})");
    auto o = Put(oauth, R"({"type":"oauth2","access_token":"at-123","refresh_token":"rt-456",
                            "scopes":["read"]})");
    ASSERT_TRUE(o.scopes.has_value());
    EXPECT_EQ(*o.scopes, std::vector<std::string>{"read"});

    auto a = service_->Load(Owner(), api);
    ASSERT_TRUE(a.has_value()) << a.error().message;
    EXPECT_EQ(a->value.Reveal(), kCanary);
    EXPECT_EQ(a->type, CredentialType::kApiKey);
    EXPECT_EQ(a->status, CredentialStatus::kValid);
    EXPECT_FALSE(a->needs_refresh);
    EXPECT_EQ(service_->Load(Owner(), bearer)->value.Reveal(), "tok");
    auto b = service_->Load(Owner(), basic);
    EXPECT_EQ(b->username.Reveal(), "alice");
    EXPECT_EQ(b->password.Reveal(), "s3cret-password");
    auto t = service_->Load(Owner(), oauth);
    EXPECT_EQ(t->access_token.Reveal(), "at-123");
    EXPECT_EQ(t->refresh_token.Reveal(), "rt-456");
    EXPECT_EQ(t->scopes, std::vector<std::string>{"read"});

    // The row holds the secret only as ciphertext, sealed with the primary key.
    EXPECT_EQ(Scalar("SELECT COUNT(*) FROM custom_integration_credentials WHERE encrypted_value"
                     " LIKE '%CANARY%' OR mask LIKE '%CANARY%' OR metadata LIKE '%CANARY%'"),
              "0");
    EXPECT_EQ(Scalar("SELECT COUNT(*) FROM custom_integration_credentials WHERE key_id = 'k1'"),
              "4");
}

TEST_F(CredentialServiceTest, ReplacingKeepsTheRowAndAFailedReplaceLeavesTheOldOne) {
    const std::string api = NewIntegration(ws_, "api_key");
    auto first = Put(api, R"({"type":"api_key","value":"first-secret-value-1111"})");
    const std::string id = Scalar("SELECT id FROM custom_integration_credentials");
    clock_.Advance(std::chrono::seconds(5));
    auto second = Put(api, R"({"type":"api_key","value":"second-secret-value-2222"})");
    EXPECT_EQ(second.mask, "••••2222");
    EXPECT_EQ(second.created_at, first.created_at);
    EXPECT_NE(second.updated_at, first.updated_at);
    EXPECT_EQ(Scalar("SELECT id FROM custom_integration_credentials"), id);
    EXPECT_EQ(Scalar("SELECT version FROM custom_integration_credentials"), "2");

    auto bad = service_->Put(Owner(), api, json::parse(R"({"type":"api_key","value":""})"));
    ASSERT_FALSE(bad.has_value());
    auto wrong_type = service_->Put(Owner(), api, json::parse(R"({"type":"bearer","value":"x"})"));
    ASSERT_FALSE(wrong_type.has_value());
    EXPECT_EQ(wrong_type.error().code, ErrorCode::kValidation);
    EXPECT_EQ(wrong_type.error().details.at(0).field, "type");
    EXPECT_EQ(service_->Load(Owner(), api)->value.Reveal(), "second-secret-value-2222");
    EXPECT_EQ(Scalar("SELECT COUNT(*) FROM custom_integration_credentials"), "1");
}

TEST_F(CredentialServiceTest, OAuthClientSecretAndTokensAreKeptAcrossEachOther) {
    const std::string oauth = NewIntegration(ws_, "oauth2");
    auto client = Put(oauth, R"({"type":"oauth2_client","client_secret":"client-secret-abcd"})");
    EXPECT_EQ(client.type, CredentialType::kOauth2Client);
    auto tokens = Put(oauth, R"({"type":"oauth2","access_token":"access-token-wxyz"})");
    EXPECT_EQ(tokens.type, CredentialType::kOauth2);
    EXPECT_EQ(tokens.mask, "••••wxyz");
    auto loaded = service_->Load(Owner(), oauth);
    EXPECT_EQ(loaded->client_secret.Reveal(), "client-secret-abcd");
    EXPECT_EQ(loaded->access_token.Reveal(), "access-token-wxyz");

    // A new client secret keeps the tokens (and the type and mask that describe them).
    auto again = Put(oauth, R"({"type":"oauth2_client","client_secret":"client-secret-efgh"})");
    EXPECT_EQ(again.type, CredentialType::kOauth2);
    EXPECT_EQ(again.mask, "••••wxyz");
    loaded = service_->Load(Owner(), oauth);
    EXPECT_EQ(loaded->client_secret.Reveal(), "client-secret-efgh");
    EXPECT_EQ(loaded->access_token.Reveal(), "access-token-wxyz");
}

TEST_F(CredentialServiceTest, CiphertextCopiedIntoAnotherRowFailsItsIntegrityCheck) {
    const std::string a = NewIntegration(ws_, "api_key");
    const std::string b = NewIntegration(ws_, "api_key");
    const std::string foreign = NewIntegration(other_ws_, "api_key");
    Put(a, R"({"type":"api_key","value":"secret-of-a-000000"})");
    Put(b, R"({"type":"api_key","value":"secret-of-b-111111"})");
    ASSERT_TRUE(service_->Put(ScopeFor(other_ws_), foreign,
                              json::parse(R"({"type":"api_key","value":"foreign-22222222"})")));
    // At the database level: b's row and the other workspace's row get a's ciphertext.
    const std::string token = Scalar(
        "SELECT encrypted_value FROM custom_integration_credentials WHERE integration_id = '" + a +
        "'");
    Exec("UPDATE custom_integration_credentials SET encrypted_value = '" + token +
         "' WHERE integration_id IN ('" + b + "', '" + foreign + "')");

    auto lb = service_->Load(Owner(), b);
    ASSERT_FALSE(lb.has_value());
    EXPECT_EQ(lb.error().code, ErrorCode::kCredentialIntegrity);
    auto lf = service_->Load(ScopeFor(other_ws_), foreign);
    ASSERT_FALSE(lf.has_value());
    EXPECT_EQ(lf.error().code, ErrorCode::kCredentialIntegrity);
    EXPECT_EQ(service_->GetMeta(Owner(), b).error().code, ErrorCode::kCredentialIntegrity);
    EXPECT_EQ(service_->MarkInvalid(Owner(), b, "x").error().code, ErrorCode::kCredentialIntegrity);
    auto listed = service_->MetaForIntegrations(Owner(), {a, b});
    ASSERT_TRUE(listed.has_value());
    EXPECT_EQ(listed->at(a).status, CredentialStatus::kValid);
    EXPECT_EQ(listed->at(b).status, CredentialStatus::kUnreadable);
    // The original still opens; the copied one can be replaced.
    EXPECT_EQ(service_->Load(Owner(), a)->value.Reveal(), "secret-of-a-000000");
    Put(b, R"({"type":"api_key","value":"secret-of-b-333333"})");
    EXPECT_EQ(service_->Load(Owner(), b)->value.Reveal(), "secret-of-b-333333");
}

TEST_F(CredentialServiceTest, WithoutItsKeyACredentialIsUnreadable) {
    const std::string api = NewIntegration(ws_, "api_key");
    Put(api, R"({"type":"api_key","value":"secret-value-000000"})");
    const Keyring other = Ring("k2:" + kK2);
    auto without = Service(other);
    EXPECT_EQ(without->GetMeta(Owner(), api)->status, CredentialStatus::kUnreadable);
    EXPECT_EQ(without->Load(Owner(), api).error().code, ErrorCode::kCredentialUnreadable);
    // Same id, other key material: still unreadable, not a crash or an integrity failure.
    const Keyring same_id = Ring("k1:" + kK2);
    EXPECT_EQ(Service(same_id)->Load(Owner(), api).error().code, ErrorCode::kCredentialUnreadable);
    // Both keys: opens.
    const Keyring both = Ring("k2:" + kK2 + ",k1:" + kK1);
    EXPECT_EQ(Service(both)->Load(Owner(), api)->value.Reveal(), "secret-value-000000");
}

TEST_F(CredentialServiceTest, ExpiryRefusesUnlessARefreshTokenIsStored) {
    const std::string plain = NewIntegration(ws_, "oauth2");
    const std::string refreshable = NewIntegration(ws_, "oauth2");
    const std::string in_an_hour = core::FormatTimestamp(clock_.Now() + std::chrono::hours(1));
    Put(plain, R"({"type":"oauth2","access_token":"at-plain","expires_at":")" + in_an_hour + "\"}");
    Put(refreshable, R"({"type":"oauth2","access_token":"at-r","refresh_token":"rt",
                         "expires_at":")" +
                         in_an_hour + "\"}");
    EXPECT_FALSE(service_->Load(Owner(), refreshable)->needs_refresh);

    clock_.Advance(std::chrono::minutes(59) + std::chrono::seconds(30));  // inside the margin
    auto soon = service_->Load(Owner(), refreshable);
    EXPECT_TRUE(soon->needs_refresh);
    EXPECT_EQ(soon->status, CredentialStatus::kValid);
    EXPECT_FALSE(service_->Load(Owner(), plain)->needs_refresh);

    clock_.Advance(std::chrono::minutes(1));  // past expiry
    auto expired = service_->Load(Owner(), plain);
    ASSERT_FALSE(expired.has_value());
    EXPECT_EQ(expired.error().code, ErrorCode::kCredentialExpired);
    EXPECT_EQ(service_->GetMeta(Owner(), plain)->status, CredentialStatus::kExpired);
    auto late = service_->Load(Owner(), refreshable);
    ASSERT_TRUE(late.has_value());
    EXPECT_TRUE(late->needs_refresh);
    EXPECT_EQ(late->status, CredentialStatus::kExpired);
    EXPECT_EQ(late->refresh_token.Reveal(), "rt");
    EXPECT_EQ(service_->GetMeta(Owner(), refreshable)->status, CredentialStatus::kValid);
}

TEST_F(CredentialServiceTest, InvalidCredentialsStayStoredUntilReplaced) {
    const std::string api = NewIntegration(ws_, "api_key");
    Put(api, R"({"type":"api_key","value":"secret-value-000000"})");
    auto marked = service_->MarkInvalid(Owner(), api, "upstream answered 401\nUnauthorized");
    ASSERT_TRUE(marked.has_value());
    EXPECT_EQ(marked->status, CredentialStatus::kInvalid);
    EXPECT_EQ(marked->invalid_reason, "upstream answered 401 Unauthorized");
    auto refused = service_->Load(Owner(), api);
    EXPECT_EQ(refused.error().code, ErrorCode::kCredentialInvalid);
    EXPECT_EQ(Scalar("SELECT COUNT(*) FROM custom_integration_credentials"), "1");

    auto api_bad = service_->Invalidate(Owner(), api, json::parse(R"({"reason":""})"));
    EXPECT_EQ(api_bad.error().code, ErrorCode::kValidation);
    auto viewer = service_->Invalidate(ScopeFor(ws_, core::Role::kViewer), api,
                                       json::parse(R"({"reason":"x"})"));
    EXPECT_EQ(viewer.error().code, ErrorCode::kForbidden);

    auto replaced = Put(api, R"({"type":"api_key","value":"secret-value-111111"})");
    EXPECT_EQ(replaced.status, CredentialStatus::kValid);
    EXPECT_FALSE(replaced.invalid_reason.has_value());
    EXPECT_TRUE(service_->Load(Owner(), api).has_value());
}

TEST_F(CredentialServiceTest, AnotherWorkspaceSeesNothingAndMissingIsMissing) {
    const std::string api = NewIntegration(ws_, "api_key");
    const std::string none = NewIntegration(ws_, "none");
    const core::Scope intruder = ScopeFor(other_ws_);
    EXPECT_EQ(service_->Load(Owner(), api).error().code, ErrorCode::kCredentialMissing);
    EXPECT_EQ(service_->GetMeta(Owner(), api).error().code, ErrorCode::kNotFound);
    Put(api, R"({"type":"api_key","value":"secret-value-000000"})");
    const json::value body = json::parse(R"({"type":"api_key","value":"x"})");
    EXPECT_EQ(service_->Put(intruder, api, body).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(service_->GetMeta(intruder, api).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(service_->Load(intruder, api).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(service_->Delete(intruder, api).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(service_->MarkInvalid(intruder, api, "x").error().code, ErrorCode::kNotFound);
    EXPECT_TRUE(service_->MetaForIntegrations(intruder, {api})->empty());
    EXPECT_EQ(service_->Load(Owner(), "not-a-uuid").error().code, ErrorCode::kNotFound);
    EXPECT_EQ(service_->Put(Owner(), none, body).error().code, ErrorCode::kValidation);
    EXPECT_EQ(service_->Put(ScopeFor(ws_, core::Role::kViewer), api, body).error().code,
              ErrorCode::kForbidden);
    EXPECT_TRUE(service_->Load(Owner(), api).has_value());

    EXPECT_TRUE(service_->Delete(Owner(), api).has_value());
    EXPECT_EQ(service_->Delete(Owner(), api).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(service_->Load(Owner(), api).error().code, ErrorCode::kCredentialMissing);
}

TEST_F(CredentialServiceTest, ACredentialThatNoLongerFitsTheAuthTypeIsMissing) {
    const std::string api = NewIntegration(ws_, "api_key");
    Put(api, R"({"type":"api_key","value":"secret-value-000000"})");
    Exec("UPDATE custom_integrations SET auth_type = 'bearer' WHERE id = '" + api + "'");
    EXPECT_EQ(service_->Load(Owner(), api).error().code, ErrorCode::kCredentialMissing);
}

TEST_F(CredentialServiceTest, RotationMovesEveryCredentialToThePrimaryInBatches) {
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i) {
        ids.push_back(NewIntegration(i % 2 == 0 ? ws_ : other_ws_, "api_key"));
        ASSERT_TRUE(service_->Put(
            ScopeFor(i % 2 == 0 ? ws_ : other_ws_), ids.back(),
            json::parse(R"({"type":"api_key","value":"secret-)" + std::to_string(i) + "\"}")));
    }
    // One credential sealed under a key nobody has any more: skipped, never lost.
    const Keyring lost = Ring("k0:" + FernetKey::Generate().ToBase64());
    const std::string orphan = NewIntegration(ws_, "api_key");
    ASSERT_TRUE(
        Service(lost)->Put(Owner(), orphan, json::parse(R"({"type":"api_key","value":"orphan"})")));

    const Keyring rotating = Ring("k2:" + kK2 + ",k1:" + kK1);
    std::vector<RotationBatch> batches;
    auto report = RotateCredentials(*db_, rotating, {.batch_size = 2},
                                    [&](const RotationBatch& b) { batches.push_back(b); });
    ASSERT_TRUE(report.has_value()) << report.error().message;
    EXPECT_EQ(report->rotated, 5);
    EXPECT_EQ(report->skipped, 1);
    EXPECT_EQ(report->batches, 3);
    ASSERT_EQ(batches.size(), 3u);
    EXPECT_EQ(batches[0].rotated + batches[0].skipped, 2);
    ASSERT_EQ(report->remaining.size(), 2u);
    EXPECT_EQ(report->remaining[0].key_id, "k0");
    EXPECT_EQ(report->remaining[0].count, 1);
    EXPECT_EQ(report->remaining[1].key_id, "k2");
    EXPECT_EQ(report->remaining[1].count, 5);

    // K1 removed: every rotated credential still opens.
    const Keyring only_k2 = Ring("k2:" + kK2);
    auto after = Service(only_k2);
    for (int i = 0; i < 5; ++i) {
        auto loaded = after->Load(ScopeFor(i % 2 == 0 ? ws_ : other_ws_), ids[std::size_t(i)]);
        ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
        EXPECT_EQ(loaded->value.Reveal(), "secret-" + std::to_string(i));
    }
    // Running again has nothing to do but the orphan.
    auto again = RotateCredentials(*db_, rotating, {.batch_size = 2});
    EXPECT_EQ(again->rotated, 0);
    EXPECT_EQ(again->skipped, 1);
}

TEST_F(CredentialServiceTest, RewrapDoesNotOverwriteAConcurrentReplace) {
    const std::string api = NewIntegration(ws_, "api_key");
    Put(api, R"({"type":"api_key","value":"before-000000000"})");
    std::vector<store::SealedRow> rows;
    ASSERT_TRUE(db_->Transact({}, [&](store::Tx& tx) {
        rows = store::ListCredentialsNotOnKey(tx, "k2", store::kNilUuid, 10);
    }));
    ASSERT_EQ(rows.size(), 1u);
    Put(api, R"({"type":"api_key","value":"after-1111111111"})");  // the server replaces it
    bool written = true;
    ASSERT_TRUE(db_->Transact({}, [&](store::Tx& tx) {
        written = store::RewrapCredential(tx, rows[0], "k2", "stale-token");
    }));
    EXPECT_FALSE(written);
    EXPECT_EQ(service_->Load(Owner(), api)->value.Reveal(), "after-1111111111");
}

class KeySetupTest : public CredentialServiceTest {
  protected:
    std::string KeyFile() { return KeyFilePath(dir_ + "/data"); }
    core::Result<KeySetup> Keys(const std::string& keys, bool create = true) {
        return SetUpKeyring(
            {.encryption_keys = keys, .data_dir = dir_ + "/data", .create_key_file = create}, *db_);
    }
};

TEST_F(KeySetupTest, CreatesA0600KeyFileOnlyWhileNoCredentialExists) {
    auto first = Keys("");
    ASSERT_TRUE(first.has_value()) << first.error().message;
    EXPECT_TRUE(first->created_key_file);
    EXPECT_EQ(first->source, KeyFile());
    struct stat st {};
    ASSERT_EQ(::stat(KeyFile().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);

    // The next start reads the same file and opens what was sealed with it.
    const std::string api = NewIntegration(ws_, "api_key");
    ASSERT_TRUE(CredentialService(*db_, first->keyring, clock_)
                    .Put(Owner(), api, json::parse(R"({"type":"api_key","value":"v"})")));
    auto second = Keys("");
    ASSERT_TRUE(second.has_value()) << second.error().message;
    EXPECT_FALSE(second->created_key_file);
    EXPECT_EQ(second->keyring.Serialize(), first->keyring.Serialize());
    ASSERT_EQ(second->usage.size(), 1u);
    EXPECT_TRUE(second->usage[0].opens);

    // With the key file gone and credentials stored, nothing is created and the start refused.
    std::filesystem::remove(KeyFile());
    auto refused = Keys("");
    ASSERT_FALSE(refused.has_value());
    EXPECT_NE(refused.error().message.find("1 credentials are stored"), std::string::npos)
        << refused.error().message;
    EXPECT_FALSE(std::filesystem::exists(KeyFile()));
}

TEST_F(KeySetupTest, RefusesKeysThatOpenNoneOfTheStoredCredentials) {
    const std::string api = NewIntegration(ws_, "api_key");
    Put(api, R"({"type":"api_key","value":"secret-value-000000"})");  // sealed with k1
    auto wrong = Keys("k2:" + kK2);
    ASSERT_FALSE(wrong.has_value());
    EXPECT_NE(wrong.error().message.find("none of the 1 stored credentials"), std::string::npos);
    EXPECT_NE(wrong.error().message.find("k1 (1)"), std::string::npos);
    EXPECT_EQ(wrong.error().message.find(kK1), std::string::npos);
    EXPECT_EQ(wrong.error().message.find(kK2), std::string::npos);
    // The right id with the wrong key is refused as well.
    EXPECT_FALSE(Keys("k1:" + kK2).has_value());
    EXPECT_FALSE(std::filesystem::exists(KeyFile()));

    auto rotated = Keys("k2:" + kK2 + ",k1:" + kK1);
    ASSERT_TRUE(rotated.has_value());
    EXPECT_EQ(rotated->source, "CONNECTOR_ENCRYPTION_KEYS");
    // Some opening and some not is allowed (those show as unreadable).
    const std::string other = NewIntegration(ws_, "api_key");
    ASSERT_TRUE(CredentialService(*db_, rotated->keyring, clock_)
                    .Put(Owner(), other, json::parse(R"({"type":"api_key","value":"v"})")));
    auto partial = Keys("k2:" + kK2);
    ASSERT_TRUE(partial.has_value());
    ASSERT_EQ(partial->usage.size(), 2u);
    EXPECT_FALSE(partial->usage[0].opens);  // k1
    EXPECT_TRUE(partial->usage[1].opens);   // k2
}

TEST_F(KeySetupTest, RotateKeyNeverCreatesAKeyFile) {
    auto r = Keys("", false);
    ASSERT_FALSE(r.has_value());
    EXPECT_FALSE(std::filesystem::exists(KeyFile()));
}

}  // namespace
}  // namespace gc::vault
