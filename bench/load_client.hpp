// The benchmark's HTTP client (libcurl): a closed-loop load generator that keeps N requests in
// flight over keep-alive connections, and a one-shot request for setting up the server.
// Loopback only: any other destination is refused before a byte is sent.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace gc::bench {

// One load run: the same request sent over and over by `concurrency` transfers.
struct LoadSpec {
    std::string url;                           // http://127.x.x.x:port/path (or [::1], localhost)
    std::string method = "GET";                // GET or POST
    std::string body;                          // sent when method is POST
    std::vector<std::string> headers;          // "Name: value" lines
    int concurrency = 1;                       // transfers kept in flight (each its own connection)
    std::chrono::milliseconds duration{3000};  // stop starting new requests after this long
    std::uint64_t max_requests = 1'000'000;    // ... or after this many were started
    std::string expect_in_body;  // a 200 whose body lacks this counts as an error ("": any)
};

struct LoadResult {
    std::uint64_t ok = 0;       // 200 (with expect_in_body), completed before the deadline
    std::uint64_t errors = 0;   // anything else, whenever it completed
    std::uint64_t late_ok = 0;  // 200s that completed after the deadline (not in rps)
    double seconds = 0;         // the measuring window: start to deadline (or last request)
    double rps = 0;             // ok / seconds
    double p50_ms = 0;          // latency percentiles over every ok request, late ones included
    double p99_ms = 0;
    double max_ms = 0;
    long new_connections = 0;  // TCP connections the client opened during the run
    std::string first_error;   // what the first error was, for the report
};

// Runs spec and returns the counts and latencies. Throws std::logic_error if spec.url is not a
// loopback http URL, std::runtime_error if libcurl cannot be set up. Blocks the calling thread
// for about spec.duration plus the slowest request in flight at the deadline.
LoadResult RunLoad(const LoadSpec& spec);

struct Reply {
    long status = 0;      // 0 when no response arrived; error then says why
    std::string error;    // libcurl's message for a transport failure
    std::string headers;  // the raw response header lines
    std::string body;
};

// One request (loopback only, as RunLoad; std::logic_error otherwise) with a 30 s timeout.
Reply Fetch(const std::string& method, const std::string& url, const std::string& body = {},
            const std::vector<std::string>& headers = {});

// True for http URLs whose host is 127.0.0.0/8, ::1 or localhost.
bool IsLoopbackUrl(const std::string& url);

}  // namespace gc::bench
