#include "calls/call_service.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <optional>

#include "core/clock.hpp"
#include "core/json.hpp"
#include "core/random.hpp"
#include "oauth/oauth_service.hpp"
#include "calls/prepared_call.hpp"

namespace gc::calls {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

std::string Lower(std::string s) {
    for (auto& c : s) {
        c = char(std::tolower(static_cast<unsigned char>(c)));
    }
    return s;
}

bool IsValidUtf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;
        if (c < 0x80) {
            n = 0;
        } else if ((c >> 5) == 6) {
            n = 1;
        } else if ((c >> 4) == 14) {
            n = 2;
        } else if ((c >> 3) == 30) {
            n = 3;
        } else {
            return false;
        }
        if (i + n >= s.size() && n > 0) {
            return false;
        }
        for (std::size_t k = 1; k <= n; ++k) {
            if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) {
                return false;
            }
        }
        i += n + 1;
    }
    return true;
}

// Errors that are calls (logged) versus requests we refused before calling (not logged).
bool IsCallFailure(ErrorCode code) {
    switch (code) {
        case ErrorCode::kDestinationNotAllowed:
        case ErrorCode::kUpstreamUnreachable:
        case ErrorCode::kUpstreamTimeout:
        case ErrorCode::kUpstreamTls:
        case ErrorCode::kUpstreamTooLarge:
        case ErrorCode::kTooManyRedirects:
        case ErrorCode::kCredentialMissing:
        case ErrorCode::kCredentialExpired:
        case ErrorCode::kCredentialInvalid:
        case ErrorCode::kCredentialUnreadable:
        case ErrorCode::kCredentialIntegrity:
            return true;
        default:
            return false;
    }
}

// The credential as the request builder needs it.
core::Result<AuthMaterial> LoadAuth(vault::CredentialService& credentials, oauth::OAuthService* oauth,
                                    const core::Scope& scope,
                                    const store::IntegrationRecord& integration) {
    AuthMaterial auth;
    if (integration.auth_type == "none") {
        return auth;
    }
    auto cred = credentials.Load(scope, integration.id);
    // OAuth2: a token about to expire (or expired) is refreshed first; with only a client secret
    // stored (or an expired token and no refresh token), the client-credentials grant fetches one.
    if (oauth != nullptr && integration.auth_type == "oauth2") {
        const bool needs_token =
            cred ? (cred->needs_refresh || cred->type == vault::CredentialType::kOauth2Client)
                 : cred.error().code == ErrorCode::kCredentialExpired;
        if (needs_token) {
            auto token = oauth->FreshAccessToken(scope, integration, cred ? cred->version : 0);
            if (!token) {
                return token.error();
            }
            auth.type = "oauth2";
            auth.value = std::move(*token);
            return auth;
        }
    }
    if (!cred) {
        return cred.error();
    }
    if (cred->status == vault::CredentialStatus::kExpired) {
        // Without the OAuth service an expired token is reported, never sent. A token inside the
        // refresh margin is still valid and is used.
        return Error::Make(ErrorCode::kCredentialExpired,
                           "the access token has expired; reconnect the integration");
    }
    auth.type = std::string(vault::ToString(cred->type));
    switch (cred->type) {
        case vault::CredentialType::kApiKey:
        case vault::CredentialType::kBearer:
            auth.value = cred->value;
            break;
        case vault::CredentialType::kBasic:
            auth.username = cred->username;
            auth.password = cred->password;
            break;
        case vault::CredentialType::kOauth2:
            auth.value = cred->access_token;
            break;
        case vault::CredentialType::kOauth2Client:
            return Error::Make(ErrorCode::kCredentialMissing,
                               "connect the integration first: no access token is stored");
    }
    return auth;
}

// The integration's timeouts, retry policy and rate limit (see ParseIntegrationInput).
void ApplyCallSettings(const store::IntegrationRecord& rec, outbound::OutboundRequest& req) {
    boost::system::error_code ec;
    const json::value v = json::parse(rec.settings_json, ec);
    if (ec || !v.is_object()) {
        return;
    }
    const auto& s = v.get_object();
    auto ms = [](const json::object& o,
                 std::string_view key) -> std::optional<std::chrono::milliseconds> {
        const auto* x = o.if_contains(key);
        if (x && x->is_int64()) {
            return std::chrono::milliseconds(x->get_int64());
        }
        return std::nullopt;
    };
    if (auto t = ms(s, "timeout_ms")) {
        req.total_timeout = *t;
    }
    if (auto t = ms(s, "connect_timeout_ms")) {
        req.connect_timeout = *t;
    }
    if (const auto* r = s.if_contains("retry"); r && r->is_object()) {
        const auto& o = r->get_object();
        if (const auto* n = o.if_contains("max_attempts"); n && n->is_int64()) {
            req.retry.max_attempts = int(n->get_int64());
        }
        if (auto t = ms(o, "base_delay_ms")) {
            req.retry.base_delay = *t;
        }
        if (auto t = ms(o, "max_delay_ms")) {
            req.retry.max_delay = *t;
        }
        if (auto t = ms(o, "max_total_ms")) {
            req.retry.max_total = *t;
        }
    }
    if (const auto* l = s.if_contains("rate_limit"); l && l->is_object()) {
        const auto& o = l->get_object();
        if (const auto* rps = o.if_contains("requests_per_second"); rps && rps->is_number()) {
            req.rate_limit.requests_per_second = rps->to_number<double>();
            req.rate_limit.burst = 1;
        }
        if (const auto* b = o.if_contains("burst"); b && b->is_int64()) {
            req.rate_limit.burst = int(b->get_int64());
        }
    }
}

}  // namespace

// Answers with bodies up to this size are built on the log writer's thread.
constexpr std::size_t kInlineAnswerBytes = std::size_t{64} * 1024;

struct CallService::Call {
    std::shared_ptr<const store::IntegrationRecord> integration;
    std::string action_id;
    std::string kind;
    PreparedCall prepared;
    std::size_t max_bytes = 0;
    int timeout_ms = 0;  // per-call override; 0: the integration's
};

core::Result<StepOptions> ParseStepOptions(const json::value& body) {
    StepOptions options;
    if (!body.is_object()) {
        return options;
    }
    const auto* t = body.get_object().if_contains("timeout_ms");
    if (!t || t->is_null()) {
        return options;
    }
    if (!t->is_int64() || t->get_int64() < 100 || t->get_int64() > 300000) {
        return Error::Validation({{"timeout_ms", "must be an integer from 100 to 300000"}});
    }
    options.timeout_ms = int(t->get_int64());
    return options;
}

std::string IntegrationIdFromProvider(const std::string& provider) {
    constexpr std::string_view kPrefix = "custom_";
    if (!provider.starts_with(kPrefix)) {
        return {};
    }
    std::string id = provider.substr(kPrefix.size());
    return core::IsUuid(id) ? id : std::string();
}

CallService::CallService(integrations::IntegrationService& integrations,
                         vault::CredentialService& credentials, outbound::OutboundClient& client,
                         calllog::ExecutionLog& log, PostBlocking post_blocking,
                         oauth::OAuthService* oauth, CallSettings settings)
    : integrations_(integrations),
      credentials_(credentials),
      client_(client),
      log_(log),
      post_blocking_(std::move(post_blocking)),
      oauth_(oauth),
      settings_(settings) {}

void CallService::Test(const core::Scope& scope, const std::string& integration_id,
                       const json::value& request, CallDone done) {
    auto integration = integrations_.GetForCall(scope, integration_id);
    if (!integration) {
        done(integration.error());
        return;
    }
    auto call = std::make_shared<Call>();
    call->integration = std::move(*integration);
    call->kind = "test";
    call->max_bytes = settings_.max_test_response_bytes;
    auto options = ParseStepOptions(request);
    if (!options) {
        done(options.error());
        return;
    }
    call->timeout_ms = options->timeout_ms;
    // A malformed test request is refused before the credential is opened.
    auto draft = DraftTestCall(request);
    if (!draft) {
        done(draft.error());
        return;
    }
    AuthorizeAndSend(scope, call, std::move(*draft), std::move(done));
}

void CallService::ExecuteStep(const core::Scope& scope, const std::string& provider,
                              const std::string& action, const json::value& params,
                              const StepOptions& options, CallDone done) {
    std::vector<core::FieldProblem> problems;
    const std::string integration_id = IntegrationIdFromProvider(provider);
    if (integration_id.empty()) {
        problems.push_back({"provider", "must be custom_<integration id>"});
    }
    if (action.empty()) {
        problems.push_back({"action", "is required"});
    }
    if (!params.is_null() && !params.is_object()) {
        problems.push_back({"params", "must be an object"});
    }
    if (!problems.empty()) {
        done(Error::Validation(std::move(problems)));
        return;
    }
    auto integration = integrations_.GetForCall(scope, integration_id);
    if (!integration) {
        done(integration.error());
        return;
    }
    auto call = std::make_shared<Call>();
    call->integration = std::move(*integration);
    call->action_id = action;
    call->kind = "execute";
    call->max_bytes = settings_.max_execute_response_bytes;
    call->timeout_ms = options.timeout_ms;
    // Parameters are checked before the credential is opened: a bad call never touches it.
    auto draft = DraftActionCall(*call->integration, action, params);
    if (!draft) {
        done(draft.error());
        return;
    }
    AuthorizeAndSend(scope, call, std::move(*draft), std::move(done));
}

void CallService::AuthorizeAndSend(const core::Scope& scope, const std::shared_ptr<Call>& call,
                                   CallDraft draft, CallDone done) {
    auto auth = LoadAuth(credentials_, oauth_, scope, *call->integration);
    if (!auth) {
        Finish(scope, call, auth.error(), std::move(done));
        return;
    }
    auto prepared = Authorize(*call->integration, std::move(draft), *auth);
    if (!prepared) {
        if (IsCallFailure(prepared.error().code)) {
            Finish(scope, call, prepared.error(), std::move(done));
        } else {
            done(prepared.error());
        }
        return;
    }
    call->prepared = std::move(*prepared);
    Send(scope, call, std::move(done));
}

void CallService::Send(const core::Scope& scope, const std::shared_ptr<Call>& call, CallDone done) {
    outbound::OutboundRequest req;
    // Moved, not copied: the call keeps only what its log record needs (method, redacted URL),
    // so no second copy of the credential waits in memory until the log is written.
    req.method = call->prepared.method;
    req.url = std::move(call->prepared.url);
    req.headers = std::move(call->prepared.headers);
    req.credential_headers = std::move(call->prepared.credential_headers);
    req.body = std::move(call->prepared.body);
    req.max_response_bytes = call->max_bytes;
    req.rate_limit_key = call->integration->id;
    ApplyCallSettings(*call->integration, req);
    if (call->timeout_ms > 0) {
        req.total_timeout = std::chrono::milliseconds(call->timeout_ms);
    }
    for (const auto& [k, v] : req.headers) {
        req.idempotency_key_present = req.idempotency_key_present || Lower(k) == "idempotency-key";
    }
    // The completion runs on the outbound loop, which must never block: the log write is queued
    // (Finish does not wait for it) and only a 401, which marks the credential, goes to a worker.
    client_.Send(std::move(req), [this, scope, call, done = std::move(done)](
                                     core::Result<outbound::OutboundResponse> outcome) mutable {
        if (outcome && outcome->status == 401 && call->integration->auth_type != "none") {
            post_blocking_([this, scope, call, outcome = std::move(outcome),
                            done = std::move(done)]() mutable {
                // The upstream refused the credential: keep it, marked, so the user sees why.
                (void)credentials_.MarkInvalid(
                    scope, call->integration->id,
                    "the API answered 401 Unauthorized on " +
                        core::FormatTimestamp(std::chrono::system_clock::now()).substr(0, 10));
                Finish(scope, call, std::move(outcome), std::move(done));
            });
            return;
        }
        Finish(scope, call, std::move(outcome), std::move(done));
    });
}

void CallService::Finish(const core::Scope& scope, const std::shared_ptr<Call>& call,
                         core::Result<outbound::OutboundResponse> outcome, CallDone done) {
    store::ExecutionRecord rec;
    rec.id = core::NewTimeOrderedUuid();
    rec.workspace_id = scope.workspace_id;
    rec.user_id = scope.user_id;
    rec.integration_id = call->integration->id;
    rec.integration_name = call->integration->name;
    rec.action_id = call->action_id;
    rec.kind = call->kind;
    rec.method = call->prepared.method.empty() ? "GET" : call->prepared.method;
    rec.url = call->prepared.redacted_url.empty() ? call->integration->base_url
                                                  : call->prepared.redacted_url;
    rec.created_at = core::FormatTimestamp(std::chrono::system_clock::now());
    if (outcome) {
        rec.status_code = outcome->status;
        rec.status = outcome->status >= 200 && outcome->status < 300 ? "success" : "error";
        rec.attempts = outcome->attempts;
        rec.duration_ms = int(outcome->duration.count());
    } else {
        rec.status = "error";
        rec.error_code = std::string(core::ErrorCodeName(outcome.error().code));
        rec.error_message = outcome.error().message;
    }
    core::Result<CallResult> result = Error::Internal("no outcome");
    if (outcome) {
        CallResult r;
        r.execution_id = rec.id;
        r.status_code = outcome->status;
        r.duration_ms = rec.duration_ms;
        r.attempts = outcome->attempts;
        r.headers = std::move(outcome->headers);
        r.body = std::move(outcome->body);
        r.truncated = outcome->truncated;
        result = std::move(r);
    } else {
        result = outcome.error();
    }
    // Answered only once the call is in the log: whoever reads the log after the answer finds it.
    // done runs on the log writer's thread; a large body (whose answer takes long to build) is
    // handed to a worker instead, so it does not hold up everyone else's log writes.
    const bool large = result && result->body.size() > kInlineAnswerBytes;
    log_.Record(std::move(rec), [this, large, result = std::move(result),
                                 done = std::move(done)](const core::Result<void>& logged) mutable {
        if (!logged) {
            done(logged.error());
        } else if (large) {
            post_blocking_([result = std::move(result), done = std::move(done)]() mutable {
                done(std::move(result));
            });
        } else {
            done(std::move(result));
        }
    });
}

std::string CallResultJsonText(const CallResult& r) {
    json::object headers;
    bool json_body = false;
    for (const auto& [k, v] : r.headers) {
        const std::string name = Lower(k);
        if (name == "content-type") {
            const std::string type = Lower(v);
            json_body = type.find("json") != std::string::npos;
        }
        if (auto* existing = headers.if_contains(name)) {
            *existing = std::string(existing->as_string()) + ", " + v;
        } else {
            headers[name] = v;
        }
    }
    json::object answer{
        {"status", r.status_code >= 200 && r.status_code < 300 ? "success" : "error"},
        {"status_code", r.status_code},
        {"duration_ms", r.duration_ms},
        {"attempts", r.attempts},
        {"headers", std::move(headers)},
        {"truncated", r.truncated},
        {"execution_id", r.execution_id}};
    // A JSON body goes into the answer as the upstream wrote it: checked, never rebuilt, so its
    // numbers keep every digit and a large body is not held twice over as a tree.
    const bool pass_through = json_body && !r.truncated && core::IsJsonDocument(r.body);
    if (!pass_through) {
        answer["body"] =
            IsValidUtf8(r.body)
                ? json::value(r.body)
                : json::value("[" + std::to_string(r.body.size()) + " bytes of binary data]");
        return json::serialize(answer);
    }
    std::string text = json::serialize(answer);
    text.pop_back();  // the closing brace
    text.reserve(text.size() + r.body.size() + 10);
    text += ",\"body\":";
    text += r.body;
    text += '}';
    return text;
}

}  // namespace gc::calls
