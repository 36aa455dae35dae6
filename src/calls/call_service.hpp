// execute_step and the live test: the one path by which an integration's API is called.
// Resolves the integration, opens its credential, prepares the request, sends it through the
// outbound client (egress guard, retries, limits), logs the call redacted, and answers.
#pragma once

#include <boost/json/value.hpp>
#include <functional>
#include <string>

#include "calllog/execution_log.hpp"
#include "core/error.hpp"
#include "core/scope.hpp"
#include "calls/prepared_call.hpp"
#include "integrations/integration_service.hpp"
#include "outbound/outbound_client.hpp"
#include "vault/credential_service.hpp"

namespace gc::oauth {
class OAuthService;
}  // namespace gc::oauth

namespace gc::calls {

// What a call answered. An upstream answer of any status is a result (status "error" for
// non-2xx); only calls that got no answer (guard refusal, timeout, unreachable, TLS, credential
// problems) are errors.
struct CallResult {
    std::string execution_id;
    int status_code = 0;
    int duration_ms = 0;
    int attempts = 0;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    bool truncated = false;
};

using CallDone = std::function<void(core::Result<CallResult>)>;

// Per-call overrides of the integration's settings.
struct StepOptions {
    int timeout_ms = 0;  // 0: the integration's timeout_ms (or the default 30 s)
};

// Reads the optional "timeout_ms" (100 to 300000) of a /test or /api/execute body.
core::Result<StepOptions> ParseStepOptions(const boost::json::value& body);
// Runs work that may block or take long (marking a refused credential, answering with a large
// body) on a worker thread.
using PostBlocking = std::function<void(std::function<void()>)>;

struct CallSettings {
    std::size_t max_test_response_bytes = std::size_t{1024} * 1024;  // /test answers are cut here
    std::size_t max_execute_response_bytes = std::size_t{10} * 1024 * 1024;
};

// Thread-safe. Test and ExecuteStep block on the database while preparing (call them from a
// worker thread) and then return; done runs once: on the calling thread when the request is
// refused before any call, otherwise after the call's log record is committed, on the log
// writer's thread, or on a thread of post_blocking when the answer's body is large.
class CallService {
  public:
    // oauth refreshes and fetches OAuth2 access tokens before a call (it may be null: an expired
    // token is then reported as credential_expired).
    CallService(integrations::IntegrationService& integrations,
                vault::CredentialService& credentials, outbound::OutboundClient& client,
                calllog::ExecutionLog& log, PostBlocking post_blocking, oauth::OAuthService* oauth,
                CallSettings settings = {});

    // The seed's POST /api/custom-integrations/{id}/test.
    void Test(const core::Scope& scope, const std::string& integration_id,
              const boost::json::value& request, CallDone done);

    // execute_step: runs action of provider ("custom_<integration id>") with params for the
    // caller's workspace. The same function execution plans will call.
    void ExecuteStep(const core::Scope& scope, const std::string& provider,
                     const std::string& action, const boost::json::value& params,
                     const StepOptions& options, CallDone done);

  private:
    struct Call;
    // Opens the credential, injects it into draft and sends; a credential problem is logged as
    // a failed call.
    void AuthorizeAndSend(const core::Scope& scope, const std::shared_ptr<Call>& call,
                          CallDraft draft, CallDone done);
    void Send(const core::Scope& scope, const std::shared_ptr<Call>& call, CallDone done);
    void Finish(const core::Scope& scope, const std::shared_ptr<Call>& call,
                core::Result<outbound::OutboundResponse> outcome, CallDone done);

    integrations::IntegrationService& integrations_;
    vault::CredentialService& credentials_;
    outbound::OutboundClient& client_;
    calllog::ExecutionLog& log_;
    PostBlocking post_blocking_;
    oauth::OAuthService* oauth_;
    CallSettings settings_;
};

// "custom_<uuid>" -> the uuid; "" for anything else.
std::string IntegrationIdFromProvider(const std::string& provider);

// The JSON answer of /test and /api/execute (the seed's shape), serialized: status,
// status_code, duration_ms, attempts, headers, truncated, execution_id and body: the upstream's
// JSON text as it came when it says JSON and is a whole valid document, else a string (or
// "[N bytes of binary data]" when it is not UTF-8).
std::string CallResultJsonText(const CallResult& result);

}  // namespace gc::calls
