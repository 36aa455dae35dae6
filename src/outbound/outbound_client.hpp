// The outbound HTTP client: every call to an upstream API goes through it. One thread runs a
// libcurl multi loop (thousands of calls in flight, connections reused per host); the egress
// guard checks every attempt and redirect hop; retries, timeouts, rate limits and a size cap.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "outbound/egress_guard.hpp"
#include "outbound/rate_limiter.hpp"
#include "outbound/resolver.hpp"
#include "outbound/retry_policy.hpp"

namespace gc::outbound {

// One call to an upstream API.
struct OutboundRequest {
    std::string method;  // "GET", "POST", ... (an HTTP token; case-sensitive)
    std::string url;     // absolute http(s) URL; checked by the egress guard
    // Sent as given, in order (no CR, LF or NUL allowed). The client adds Host and
    // Content-Length, and `Accept: */*`, `Accept-Encoding` (what libcurl decodes) and
    // ClientSettings::user_agent when the request has none; it never adds a Content-Type or
    // `Expect: 100-continue`.
    std::vector<std::pair<std::string, std::string>> headers;
    // Names (case-insensitive) of headers that carry credentials: dropped for the rest of the
    // attempt as soon as a redirect leaves the origin (scheme, host, port) of the hop before it.
    // Authorization, Proxy-Authorization and Cookie are always treated so, listed or not.
    std::vector<std::string> credential_headers;
    std::string body;  // sent for any method but GET/HEAD when non-empty; POST/PUT/PATCH always
    std::chrono::milliseconds connect_timeout{10000};  // per connection attempt
    std::chrono::milliseconds total_timeout{30000};    // per attempt (one request and response)
    // Over it the body is cut and `truncated` set (not an error); nothing more is buffered.
    // Without an Accept-Encoding header of the caller's, compressed answers are asked for and
    // decoded, and this counts decoded bytes.
    std::size_t max_response_bytes = std::size_t{10} * 1024 * 1024;
    RetryPolicy retry;
    bool idempotency_key_present = false;  // POST/PATCH are retried only with an Idempotency-Key
    // Calls with the same non-empty key share a token bucket (e.g. the integration id). Every
    // request sent upstream takes a token: retries and redirect hops included.
    std::string rate_limit_key;
    RateLimit rate_limit;
    // Redirects (301, 302, 303, 307, 308 with a Location) followed at most, each hop checked by
    // the egress guard; 0 (or less) returns a 3xx response as it is. As browsers do (Fetch):
    // 301/302 turn POST into GET and 303 turns any method but HEAD into GET, dropping the body
    // and its Content-* headers; 307/308 keep method and body. A retry starts again from `url`.
    int max_redirects = 5;
};

// The final response of a call (after redirects and retries).
struct OutboundResponse {
    int status = 0;
    // In arrival order, as received; without Content-Encoding and Content-Length when the body
    // was decoded.
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;  // decoded from gzip, deflate, br or zstd when the client asked for them
    bool truncated = false;  // the body was longer than max_response_bytes and was cut there
    int attempts = 0;        // attempts made, the first included (redirect hops not counted)
    std::chrono::milliseconds duration{0};  // from Send to completion, waits included
    // The URL of the last hop, normalized. May carry query parameters: redact before logging.
    std::string final_url;
};

// Receives the outcome of a call. Errors: kDestinationNotAllowed (egress guard; no connection
// was made), kUpstreamUnreachable (DNS, connect, reset, invalid response), kUpstreamTimeout,
// kUpstreamTls, kTooManyRedirects, kUpstreamTooLarge (response headers over 256 KiB), kBadRequest
// (malformed URL, method or header), kUnavailable (the client is shutting down). Public messages
// name the host and port at most, never a query string or a header value.
using Completion = std::function<void(core::Result<OutboundResponse>)>;

// Settings of the client as a whole (per-call settings live in OutboundRequest).
struct ClientSettings {
    int resolver_threads = 2;  // threads for blocking DNS lookups (at least 1)
    // How long a name's answer is reused (the guard still checks it on every use); 0: every
    // call asks the resolver. Failed lookups are never kept.
    std::chrono::milliseconds dns_cache_ttl{30000};
    long max_host_connections = 0;                // open connections per host; 0 = unlimited
    long max_total_connections = 0;               // open connections in all; 0 = unlimited
    long connection_cache_size = 512;             // idle connections kept for reuse
    std::string user_agent = "global-connector";  // sent unless the request has a User-Agent
    std::string ca_file;  // PEM bundle to verify TLS with; "" = system CA store
};

// Thread-safe: Send may be called from any thread, including from inside a Completion.
class OutboundClient {
  public:
    // Starts the loop thread and the resolver threads. Keeps references to `policy`,
    // `resolver` and `clock`, which must outlive the client. `clock` is read only to turn a
    // Retry-After date into a delay; waits and timeouts use the steady clock.
    OutboundClient(const EgressPolicy& policy, Resolver& resolver, const core::Clock& clock,
                   ClientSettings settings = {});
    // Stops the loop: calls in flight or waiting complete with kUnavailable before it returns.
    // Waits for a DNS lookup in progress to finish. Must not be called from a Completion.
    ~OutboundClient();
    OutboundClient(const OutboundClient&) = delete;
    OutboundClient& operator=(const OutboundClient&) = delete;

    // Never blocks: queues the call. `done` runs exactly once, on the client's own thread; it
    // must not block (post heavy work elsewhere) and should not throw (an exception is logged
    // and dropped). Once the destructor has begun, `done` runs at once on the calling thread
    // with kUnavailable.
    void Send(OutboundRequest request, Completion done);

    // Convenience for tests and the CLI: Send, then block the calling thread until done. Must
    // not be called from a Completion (it would wait for its own thread).
    core::Result<OutboundResponse> SendAndWait(OutboundRequest request);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace gc::outbound
