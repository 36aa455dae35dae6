// The credential rules: input checks, the sealed JSON payload (every secret field of a credential
// in one Fernet token bound to its row), merging OAuth2 parts, status on read, and Load.
#include "vault/credential_service.hpp"

#include <openssl/crypto.h>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include "core/log.hpp"
#include "core/random.hpp"
#include "store/credential_repository.hpp"
#include "vault/sealed_secret.hpp"

namespace gc::vault {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::FieldProblem;

constexpr std::size_t kMaxSecretBytes = 16 * 1024;
constexpr std::size_t kMaxReasonChars = 500;
constexpr std::size_t kMaxScopes = 100;
constexpr std::size_t kMaxScopeBytes = 256;
constexpr std::string_view kMaskDots = "\u2022\u2022\u2022\u2022";

// The secret fields of a credential: what is sealed, as one JSON object.
struct Payload {
    core::Secret value;
    core::Secret username;
    core::Secret password;
    core::Secret access_token;
    core::Secret refresh_token;
    core::Secret client_secret;
};

// Non-secret facts kept in the metadata column.
struct Facts {
    std::optional<std::vector<std::string>> scopes;
    bool refreshable = false;
};

enum class OpenState { kOpened, kUnreadable, kWrongRow };

store::TxContext Context(const core::Scope& scope, bool read_only = false) {
    return {.workspace_id = scope.workspace_id, .user_id = scope.user_id, .read_only = read_only};
}

Error ReadOnly() {
    return Error::Make(ErrorCode::kForbidden, "your role in this workspace cannot change it");
}

bool IsContinuationByte(unsigned char c) { return (c & 0xC0) == 0x80; }

std::size_t CodePoints(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) {
        if (!IsContinuationByte(c)) {
            ++n;
        }
    }
    return n;
}

// The first max code points of s.
std::string CutCodePoints(std::string_view s, std::size_t max) {
    std::size_t seen = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (!IsContinuationByte(static_cast<unsigned char>(s[i]))) {
            if (seen == max) {
                return std::string(s.substr(0, i));
            }
            ++seen;
        }
    }
    return std::string(s);
}

bool HasControlCharacter(std::string_view s) {
    for (unsigned char c : s) {
        if (c < 0x20 || c == 0x7f) {
            return true;
        }
    }
    return false;
}

// Reads the fields of one credential body into problems and values; never echoes a value.
class InputReader {
  public:
    InputReader(const json::object& obj, std::vector<FieldProblem>& problems)
        : obj_(obj), problems_(problems) {}

    // A secret string field. allow_empty: "" is accepted (a basic-auth password may be empty).
    core::Secret Secret(std::string_view key, bool required, bool allow_empty = false) {
        const json::value* v = obj_.if_contains(key);
        if (v == nullptr || v->is_null()) {
            if (required) {
                Problem(key, "is required");
            }
            return {};
        }
        if (!v->is_string()) {
            Problem(key, "must be a string");
            return {};
        }
        const json::string& s = v->get_string();
        if (s.empty() && !allow_empty) {
            Problem(key, required ? "is required" : "must not be empty when given");
            return {};
        }
        if (s.size() > kMaxSecretBytes) {
            Problem(key, "must be at most " + std::to_string(kMaxSecretBytes) + " bytes");
            return {};
        }
        if (HasControlCharacter(s)) {
            Problem(key, "must not contain control characters or line breaks");
            return {};
        }
        return core::Secret(std::string(s));
    }

    std::optional<std::string> Timestamp(std::string_view key) {
        const json::value* v = obj_.if_contains(key);
        if (v == nullptr || v->is_null()) {
            return std::nullopt;
        }
        core::TimePoint t;
        if (!v->is_string() || !core::ParseTimestamp(std::string(v->get_string()), t)) {
            Problem(key, "must be an RFC 3339 timestamp, e.g. 2026-01-31T12:00:00Z");
            return std::nullopt;
        }
        return core::FormatTimestamp(t);
    }

    std::optional<std::vector<std::string>> Scopes(std::string_view key) {
        const json::value* v = obj_.if_contains(key);
        if (v == nullptr || v->is_null()) {
            return std::nullopt;
        }
        if (!v->is_array()) {
            Problem(key, "must be an array of strings");
            return std::nullopt;
        }
        const json::array& arr = v->get_array();
        if (arr.size() > kMaxScopes) {
            Problem(key, "must hold at most " + std::to_string(kMaxScopes) + " scopes");
            return std::nullopt;
        }
        std::vector<std::string> out;
        for (std::size_t i = 0; i < arr.size(); ++i) {
            const std::string field = std::string(key) + "[" + std::to_string(i) + "]";
            if (!arr[i].is_string() || arr[i].get_string().empty() ||
                arr[i].get_string().size() > kMaxScopeBytes) {
                Problem(field, "must be a string of 1 to " + std::to_string(kMaxScopeBytes) +
                                   " characters");
                continue;
            }
            const json::string& s = arr[i].get_string();
            bool ok = true;
            for (unsigned char c : s) {
                // RFC 6749 scope-token: %x21 / %x23-5B / %x5D-7E.
                if (c < 0x21 || c == 0x22 || c == 0x5C || c > 0x7E) {
                    ok = false;
                }
            }
            if (!ok) {
                Problem(field, "must be printable ASCII without spaces, '\"' or '\\'");
                continue;
            }
            out.emplace_back(s);
        }
        return out;
    }

    void Problem(std::string_view key, std::string problem) {
        problems_.push_back({std::string(key), std::move(problem)});
    }

  private:
    const json::object& obj_;
    std::vector<FieldProblem>& problems_;
};

std::string SerializePayload(const Payload& p, CredentialType type) {
    json::object o;
    const auto put = [&o](std::string_view key, const core::Secret& s, bool always = false) {
        if (always || !s.empty()) {
            o[key] = s.Reveal();
        }
    };
    put("value", p.value);
    put("username", p.username, type == CredentialType::kBasic);
    put("password", p.password, type == CredentialType::kBasic);
    put("access_token", p.access_token);
    put("refresh_token", p.refresh_token);
    put("client_secret", p.client_secret);
    return json::serialize(o);
}

// Reads a payload opened from the vault; false when it is not the JSON object Seal was given.
bool ParsePayload(const core::Secret& plaintext, Payload& out) {
    boost::system::error_code ec;
    json::value v = json::parse(plaintext.Reveal(), ec);
    if (ec || !v.is_object()) {
        return false;
    }
    const json::object& o = v.get_object();
    const auto get = [&o](std::string_view key, core::Secret& into) {
        if (const json::value* f = o.if_contains(key); f != nullptr && f->is_string()) {
            into = core::Secret(std::string(f->get_string()));
        }
    };
    get("value", out.value);
    get("username", out.username);
    get("password", out.password);
    get("access_token", out.access_token);
    get("refresh_token", out.refresh_token);
    get("client_secret", out.client_secret);
    return true;
}

std::string SerializeFacts(const Facts& f, bool has_client_secret) {
    json::object o{{"refreshable", f.refreshable}, {"client_secret", has_client_secret}};
    if (f.scopes) {
        json::array a;
        for (const auto& s : *f.scopes) {
            a.emplace_back(s);
        }
        o["scopes"] = std::move(a);
    }
    return json::serialize(o);
}

Facts ParseFacts(const std::string& text) {
    Facts f;
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) {
        return f;
    }
    const json::object& o = v.get_object();
    if (const json::value* r = o.if_contains("refreshable"); r != nullptr && r->is_bool()) {
        f.refreshable = r->get_bool();
    }
    if (const json::value* s = o.if_contains("scopes"); s != nullptr && s->is_array()) {
        f.scopes.emplace();
        for (const json::value& item : s->get_array()) {
            if (item.is_string()) {
                f.scopes->emplace_back(item.get_string());
            }
        }
    }
    return f;
}

SealedSecret SealedOf(const store::CredentialRecord& rec) {
    return SealedSecret{rec.key_id, rec.encrypted_value};
}

Error IntegrityError(const store::CredentialRecord& rec) {
    core::LogWarn("credential integrity check failed: its ciphertext was sealed for another row",
                  {{"credential_id", rec.id}, {"integration_id", rec.integration_id}});
    return Error::Make(ErrorCode::kCredentialIntegrity,
                       "the stored credential failed its integrity check; store it again",
                       "vault: wrong_row");
}

OpenState StateOf(const OpenResult& opened) {
    if (opened) {
        return OpenState::kOpened;
    }
    return opened.error() == OpenFailure::kWrongRow ? OpenState::kWrongRow : OpenState::kUnreadable;
}

OpenState TryOpen(const Keyring& keyring, const store::CredentialRecord& rec) {
    return StateOf(Open(keyring, SealedOf(rec), rec.workspace_id, rec.id));
}

bool ExpiredAt(const std::optional<std::string>& expires_at, core::TimePoint when) {
    core::TimePoint t;
    return expires_at && core::ParseTimestamp(*expires_at, t) && t <= when;
}

// The metadata of a row whose ciphertext is readable (opened) or not; the type must parse.
CredentialMeta BuildMeta(const store::CredentialRecord& rec, CredentialType type, bool opened,
                         core::TimePoint now) {
    const Facts facts = ParseFacts(rec.metadata_json);
    CredentialMeta m;
    m.integration_id = rec.integration_id;
    m.type = type;
    m.mask = rec.mask;
    m.invalid_reason = rec.invalid_reason;
    m.expires_at = rec.expires_at;
    m.scopes = facts.scopes;
    m.created_at = rec.created_at;
    m.updated_at = rec.updated_at;
    if (rec.status == "invalid") {
        m.status = CredentialStatus::kInvalid;
    } else if (!opened) {
        m.status = CredentialStatus::kUnreadable;
    } else if (ExpiredAt(rec.expires_at, now) && !facts.refreshable) {
        m.status = CredentialStatus::kExpired;
    } else {
        m.status = CredentialStatus::kValid;
    }
    return m;
}

CredentialType StoredType(const store::CredentialRecord& rec) {
    auto type = ParseCredentialType(rec.credential_type);
    if (!type) {
        throw core::ErrorException(
            Error::Internal("credential " + rec.id + " has an unknown stored type"));
    }
    return *type;
}

// The metadata answer for one row: integrity failures are errors on this path.
CredentialMeta MetaOrThrow(const Keyring& keyring, const store::CredentialRecord& rec,
                           core::TimePoint now) {
    const CredentialType type = StoredType(rec);
    const OpenState state = TryOpen(keyring, rec);
    if (state == OpenState::kWrongRow) {
        throw core::ErrorException(IntegrityError(rec));
    }
    return BuildMeta(rec, type, state == OpenState::kOpened, now);
}

std::string AuthTypeExpectation(std::string_view auth_type) {
    if (auth_type == "oauth2") {
        return "oauth2 or oauth2_client";
    }
    if (auth_type == "none") {
        return "no credential (auth_type none)";
    }
    return std::string(auth_type);
}

void RequireIntegration(store::Tx& tx, const core::Scope& scope, const std::string& id,
                        std::string* auth_type = nullptr) {
    auto found = store::FindIntegrationAuthType(tx, scope.workspace_id, id);
    if (!found) {
        throw core::ErrorException(Error::NotFound("integration"));
    }
    if (auth_type != nullptr) {
        *auth_type = *found;
    }
}

// Wipes a std::string's bytes when the scope ends.
class WipeOnExit {
  public:
    explicit WipeOnExit(std::string& s) : s_(s) {}
    WipeOnExit(const WipeOnExit&) = delete;
    WipeOnExit& operator=(const WipeOnExit&) = delete;
    ~WipeOnExit() { OPENSSL_cleanse(s_.data(), s_.size()); }

  private:
    std::string& s_;
};

}  // namespace

std::string_view ToString(CredentialType type) {
    switch (type) {
        case CredentialType::kApiKey:
            return "api_key";
        case CredentialType::kBearer:
            return "bearer";
        case CredentialType::kBasic:
            return "basic";
        case CredentialType::kOauth2:
            return "oauth2";
        case CredentialType::kOauth2Client:
            return "oauth2_client";
    }
    return "unknown";
}

std::optional<CredentialType> ParseCredentialType(std::string_view name) {
    for (auto t : {CredentialType::kApiKey, CredentialType::kBearer, CredentialType::kBasic,
                   CredentialType::kOauth2, CredentialType::kOauth2Client}) {
        if (ToString(t) == name) {
            return t;
        }
    }
    return std::nullopt;
}

std::string_view ToString(CredentialStatus status) {
    switch (status) {
        case CredentialStatus::kValid:
            return "valid";
        case CredentialStatus::kExpired:
            return "expired";
        case CredentialStatus::kInvalid:
            return "invalid";
        case CredentialStatus::kUnreadable:
            return "unreadable";
    }
    return "unknown";
}

bool CredentialFitsAuthType(CredentialType type, std::string_view auth_type) {
    switch (type) {
        case CredentialType::kApiKey:
            return auth_type == "api_key";
        case CredentialType::kBearer:
            return auth_type == "bearer";
        case CredentialType::kBasic:
            return auth_type == "basic";
        case CredentialType::kOauth2:
        case CredentialType::kOauth2Client:
            return auth_type == "oauth2";
    }
    return false;
}

std::string MaskSecret(std::string_view secret) {
    constexpr std::size_t kMinLengthForTail = 12;
    constexpr std::size_t kTail = 4;
    std::string mask(kMaskDots);
    if (CodePoints(secret) < kMinLengthForTail) {
        return mask;
    }
    std::size_t start = secret.size();
    for (std::size_t seen = 0; seen < kTail && start > 0;) {
        --start;
        if (!IsContinuationByte(static_cast<unsigned char>(secret[start]))) {
            ++seen;
        }
    }
    return mask + std::string(secret.substr(start));
}

core::Result<CredentialInput> ParseCredentialInput(const json::value& body) {
    if (!body.is_object()) {
        return Error::Validation({{"", "the body must be a JSON object"}});
    }
    const json::object& obj = body.get_object();
    std::vector<FieldProblem> problems;
    InputReader in(obj, problems);
    CredentialInput out;
    const json::value* type = obj.if_contains("type");
    std::optional<CredentialType> parsed;
    if (type != nullptr && type->is_string()) {
        parsed = ParseCredentialType(type->get_string());
    }
    if (!parsed) {
        in.Problem("type", type == nullptr || type->is_null()
                               ? "is required"
                               : "must be one of api_key, bearer, basic, oauth2, oauth2_client");
        return Error::Validation(std::move(problems));
    }
    out.type = *parsed;
    switch (out.type) {
        case CredentialType::kApiKey:
        case CredentialType::kBearer:
            out.value = in.Secret("value", true);
            break;
        case CredentialType::kBasic:
            out.username = in.Secret("username", true);
            out.password = in.Secret("password", true, true);
            if (out.username.Reveal().find(':') != std::string::npos) {
                in.Problem("username", "must not contain ':' (HTTP Basic, RFC 7617)");
            }
            break;
        case CredentialType::kOauth2:
            out.access_token = in.Secret("access_token", true);
            out.refresh_token = in.Secret("refresh_token", false);
            out.expires_at = in.Timestamp("expires_at");
            out.scopes = in.Scopes("scopes");
            break;
        case CredentialType::kOauth2Client:
            out.client_secret = in.Secret("client_secret", true);
            break;
    }
    if (!problems.empty()) {
        return Error::Validation(std::move(problems));
    }
    return out;
}

json::object CredentialMetaToJson(const CredentialMeta& meta) {
    json::object o;
    o["type"] = ToString(meta.type);
    o["mask"] = meta.mask;
    o["status"] = ToString(meta.status);
    o["invalid_reason"] = meta.invalid_reason ? json::value(*meta.invalid_reason) : nullptr;
    o["expires_at"] = meta.expires_at ? json::value(*meta.expires_at) : nullptr;
    if (meta.scopes) {
        json::array a;
        for (const auto& s : *meta.scopes) {
            a.emplace_back(s);
        }
        o["scopes"] = std::move(a);
    }
    o["created_at"] = meta.created_at;
    o["updated_at"] = meta.updated_at;
    return o;
}

core::Result<CredentialMeta> CredentialService::Put(const core::Scope& scope,
                                                    const std::string& integration_id,
                                                    const json::value& body) {
    if (!core::IsUuid(integration_id)) {
        return Error::NotFound("integration");
    }
    if (!scope.CanWrite()) {
        return ReadOnly();
    }
    auto input = ParseCredentialInput(body);
    if (!input) {
        return input.error();
    }
    const CredentialInput& in = *input;

    // Two first writes racing meet the unique index: the loser runs once more as a replace.
    for (int attempt = 0;; ++attempt) {
        CredentialMeta meta;
        bool replaced = false;
        auto r = db_.Transact(Context(scope), [&](store::Tx& tx) {
            std::string auth_type;
            RequireIntegration(tx, scope, integration_id, &auth_type);
            if (!CredentialFitsAuthType(in.type, auth_type)) {
                Error e = Error::Validation(
                    {{"type", "this integration's auth_type is " + auth_type + ": expected " +
                                  AuthTypeExpectation(auth_type)}});
                throw core::ErrorException(std::move(e));
            }
            const auto existing = store::FindCredential(tx, scope.workspace_id, integration_id);
            const std::string now = core::FormatTimestamp(clock_.Now());

            store::CredentialRecord rec;
            rec.id = existing ? existing->id : core::NewUuid();
            rec.workspace_id = scope.workspace_id;
            rec.user_id = scope.user_id;
            rec.integration_id = integration_id;
            rec.version = existing ? existing->version + 1 : 1;
            rec.created_at = existing ? existing->created_at : now;
            rec.updated_at = now;

            Payload payload;
            Facts facts;
            CredentialType type = in.type;
            payload.value = in.value;
            payload.username = in.username;
            payload.password = in.password;
            payload.access_token = in.access_token;
            payload.refresh_token = in.refresh_token;
            payload.client_secret = in.client_secret;
            facts.scopes = in.scopes;
            rec.expires_at = in.expires_at;

            // OAuth2 parts arrive separately (the client secret with the integration, tokens
            // later): keep the part of the stored credential this request does not carry.
            const bool oauth =
                in.type == CredentialType::kOauth2 || in.type == CredentialType::kOauth2Client;
            if (existing && oauth) {
                auto old_type = ParseCredentialType(existing->credential_type);
                OpenResult opened =
                    Open(keyring_, SealedOf(*existing), existing->workspace_id, existing->id);
                Payload old;
                if (old_type && opened && ParsePayload(*opened, old)) {
                    if (in.type == CredentialType::kOauth2) {
                        payload.client_secret = old.client_secret;
                    } else if (*old_type == CredentialType::kOauth2 && !old.access_token.empty()) {
                        type = CredentialType::kOauth2;
                        payload.access_token = old.access_token;
                        payload.refresh_token = old.refresh_token;
                        rec.expires_at = existing->expires_at;
                        facts.scopes = ParseFacts(existing->metadata_json).scopes;
                    }
                }
            }
            facts.refreshable = type == CredentialType::kOauth2 && !payload.refresh_token.empty();

            rec.credential_type = std::string(ToString(type));
            switch (type) {
                case CredentialType::kApiKey:
                case CredentialType::kBearer:
                    rec.mask = MaskSecret(payload.value.Reveal());
                    break;
                case CredentialType::kBasic:
                    rec.mask = MaskSecret(payload.password.empty() ? payload.username.Reveal()
                                                                   : payload.password.Reveal());
                    break;
                case CredentialType::kOauth2:
                    rec.mask = MaskSecret(payload.access_token.Reveal());
                    break;
                case CredentialType::kOauth2Client:
                    rec.mask = MaskSecret(payload.client_secret.Reveal());
                    break;
            }
            rec.metadata_json = SerializeFacts(facts, !payload.client_secret.empty());

            std::string plaintext = SerializePayload(payload, type);
            WipeOnExit wipe(plaintext);
            const SealedSecret sealed =
                Seal(keyring_, rec.workspace_id, rec.id, core::Secret(plaintext));
            rec.key_id = sealed.key_id;
            rec.encrypted_value = sealed.token;

            if (existing) {
                if (!store::UpdateCredential(tx, rec, existing->version)) {
                    throw core::ErrorException(
                        Error::Make(ErrorCode::kConflict,
                                    "the credential was changed at the same time; try again"));
                }
                replaced = true;
            } else {
                store::InsertCredential(tx, rec);
            }
            meta = BuildMeta(rec, type, true, clock_.Now());
        });
        if (r) {
            core::LogInfo(replaced ? "credential replaced" : "credential stored",
                          {{"integration_id", integration_id},
                           {"workspace_id", scope.workspace_id},
                           {"type", ToString(meta.type)}});
            return meta;
        }
        if (r.error().code != ErrorCode::kConflict || attempt > 0) {
            return r.error();
        }
    }
}

core::Result<CredentialMeta> CredentialService::GetMeta(const core::Scope& scope,
                                                        const std::string& integration_id) {
    if (!core::IsUuid(integration_id)) {
        return Error::NotFound("integration");
    }
    CredentialMeta meta;
    auto r = db_.Transact(Context(scope, true), [&](store::Tx& tx) {
        RequireIntegration(tx, scope, integration_id);
        auto rec = store::FindCredential(tx, scope.workspace_id, integration_id);
        if (!rec) {
            throw core::ErrorException(Error::NotFound("credential"));
        }
        meta = MetaOrThrow(keyring_, *rec, clock_.Now());
    });
    if (!r) {
        return r.error();
    }
    return meta;
}

core::Result<std::map<std::string, CredentialMeta>> CredentialService::MetaForIntegrations(
    const core::Scope& scope, const std::vector<std::string>& integration_ids) {
    std::vector<std::string> ids;
    for (const auto& id : integration_ids) {
        if (core::IsUuid(id)) {
            ids.push_back(id);
        }
    }
    std::map<std::string, CredentialMeta> out;
    if (ids.empty()) {
        return out;
    }
    std::vector<store::CredentialRecord> recs;
    auto r = db_.Transact(Context(scope, true), [&](store::Tx& tx) {
        recs = store::FindCredentials(tx, scope.workspace_id, ids);
    });
    if (!r) {
        return r.error();
    }
    const core::TimePoint now = clock_.Now();
    for (const auto& rec : recs) {
        auto type = ParseCredentialType(rec.credential_type);
        if (!type) {
            continue;
        }
        // Sealed for another row shows as unreadable in a list; GetMeta and Load answer
        // kCredentialIntegrity for it.
        const bool opened = TryOpen(keyring_, rec) == OpenState::kOpened;
        out.emplace(rec.integration_id, BuildMeta(rec, *type, opened, now));
    }
    return out;
}

core::Result<void> CredentialService::Delete(const core::Scope& scope,
                                             const std::string& integration_id) {
    if (!core::IsUuid(integration_id)) {
        return Error::NotFound("integration");
    }
    if (!scope.CanWrite()) {
        return ReadOnly();
    }
    auto r = db_.Transact(Context(scope), [&](store::Tx& tx) {
        RequireIntegration(tx, scope, integration_id);
        if (!store::DeleteCredential(tx, scope.workspace_id, integration_id)) {
            throw core::ErrorException(Error::NotFound("credential"));
        }
    });
    if (!r) {
        return r.error();
    }
    core::LogInfo("credential deleted",
                  {{"integration_id", integration_id}, {"workspace_id", scope.workspace_id}});
    return {};
}

core::Result<CredentialMeta> CredentialService::Invalidate(const core::Scope& scope,
                                                           const std::string& integration_id,
                                                           const json::value& body) {
    if (!core::IsUuid(integration_id)) {
        return Error::NotFound("integration");
    }
    if (!scope.CanWrite()) {
        return ReadOnly();
    }
    if (!body.is_object()) {
        return Error::Validation({{"", "the body must be a JSON object"}});
    }
    const json::value* reason = body.get_object().if_contains("reason");
    if (reason == nullptr || reason->is_null()) {
        return Error::Validation({{"reason", "is required"}});
    }
    if (!reason->is_string() || reason->get_string().empty() ||
        CodePoints(reason->get_string()) > kMaxReasonChars) {
        return Error::Validation({{"reason", "must be a string of 1 to " +
                                                 std::to_string(kMaxReasonChars) + " characters"}});
    }
    if (HasControlCharacter(reason->get_string())) {
        return Error::Validation({{"reason", "must not contain control characters"}});
    }
    return MarkInvalid(scope, integration_id, std::string(reason->get_string()));
}

core::Result<CredentialMeta> CredentialService::MarkInvalid(const core::Scope& scope,
                                                            const std::string& integration_id,
                                                            const std::string& reason) {
    if (!core::IsUuid(integration_id)) {
        return Error::NotFound("integration");
    }
    std::string cleaned;
    for (char c : CutCodePoints(reason, kMaxReasonChars)) {
        const auto u = static_cast<unsigned char>(c);
        cleaned += (u < 0x20 || u == 0x7f) ? ' ' : c;
    }
    if (cleaned.empty()) {
        cleaned = "marked invalid";
    }
    CredentialMeta meta;
    auto r = db_.Transact(Context(scope), [&](store::Tx& tx) {
        RequireIntegration(tx, scope, integration_id);
        const std::string now = core::FormatTimestamp(clock_.Now());
        if (!store::MarkCredentialInvalid(tx, scope.workspace_id, integration_id, cleaned, now)) {
            throw core::ErrorException(Error::NotFound("credential"));
        }
        auto rec = store::FindCredential(tx, scope.workspace_id, integration_id);
        if (!rec) {
            throw core::ErrorException(Error::NotFound("credential"));
        }
        meta = MetaOrThrow(keyring_, *rec, clock_.Now());
    });
    if (!r) {
        return r.error();
    }
    core::LogInfo("credential marked invalid",
                  {{"integration_id", integration_id}, {"workspace_id", scope.workspace_id}});
    return meta;
}

core::Result<DecryptedCredential> CredentialService::Load(const core::Scope& scope,
                                                          const std::string& integration_id) {
    if (!core::IsUuid(integration_id)) {
        return Error::NotFound("integration");
    }
    std::string auth_type;
    std::optional<store::CredentialRecord> rec;
    auto r = db_.Transact(Context(scope, true), [&](store::Tx& tx) {
        RequireIntegration(tx, scope, integration_id, &auth_type);
        rec = store::FindCredential(tx, scope.workspace_id, integration_id);
    });
    if (!r) {
        return r.error();
    }
    if (!rec) {
        return Error::Make(ErrorCode::kCredentialMissing,
                           "no credential is stored for this integration");
    }
    const auto type = ParseCredentialType(rec->credential_type);
    if (!type) {
        return Error::Internal("credential " + rec->id + " has an unknown stored type");
    }
    if (!CredentialFitsAuthType(*type, auth_type)) {
        return Error::Make(ErrorCode::kCredentialMissing,
                           "the stored " + std::string(ToString(*type)) +
                               " credential does not fit this integration's auth_type " +
                               auth_type + "; store a new one");
    }
    OpenResult opened = Open(keyring_, SealedOf(*rec), rec->workspace_id, rec->id);
    const OpenState state = StateOf(opened);
    if (state == OpenState::kWrongRow) {
        return IntegrityError(*rec);
    }
    if (rec->status == "invalid") {
        return Error::Make(ErrorCode::kCredentialInvalid,
                           "the credential was marked invalid (" +
                               rec->invalid_reason.value_or("no reason given") +
                               "); store a new one");
    }
    if (state == OpenState::kUnreadable) {
        core::LogWarn("credential unreadable: no configured key opens it",
                      {{"credential_id", rec->id},
                       {"key_id", rec->key_id},
                       {"failure", ToString(opened.error())}});
        return Error::Make(ErrorCode::kCredentialUnreadable,
                           "the stored credential cannot be decrypted with the configured "
                           "encryption keys; store it again",
                           "vault: " + std::string(ToString(opened.error())));
    }
    Payload payload;
    if (!ParsePayload(*opened, payload)) {
        return Error::Internal("credential " + rec->id + " holds no credential payload");
    }
    const Facts facts = ParseFacts(rec->metadata_json);

    DecryptedCredential out;
    out.credential_id = rec->id;
    out.integration_id = rec->integration_id;
    out.type = *type;
    out.value = std::move(payload.value);
    out.username = std::move(payload.username);
    out.password = std::move(payload.password);
    out.access_token = std::move(payload.access_token);
    out.refresh_token = std::move(payload.refresh_token);
    out.client_secret = std::move(payload.client_secret);
    out.expires_at = rec->expires_at;
    out.scopes = facts.scopes.value_or(std::vector<std::string>{});
    out.version = rec->version;

    const core::TimePoint now = clock_.Now();
    const bool refreshable = *type == CredentialType::kOauth2 && !out.refresh_token.empty();
    if (ExpiredAt(rec->expires_at, now)) {
        if (!refreshable) {
            return Error::Make(ErrorCode::kCredentialExpired,
                               "the credential expired at " + *rec->expires_at +
                                   " and cannot be refreshed; store a new one");
        }
        out.status = CredentialStatus::kExpired;
        out.needs_refresh = true;
    } else if (refreshable && ExpiredAt(rec->expires_at, now + settings_.refresh_margin)) {
        out.needs_refresh = true;
    }
    return out;
}

}  // namespace gc::vault
