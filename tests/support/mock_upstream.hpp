// MockUpstream: a programmable HTTP/1.1 server on 127.0.0.1 standing in for external APIs in
// tests and benchmarks. Beast lives in the .cpp only, so including this header is cheap.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace gc::test {

// A request as the mock received it.
struct RecordedRequest {
    std::string method;  // "GET"
    std::string target;  // "/v1/charges?limit=2" as sent
    std::string path;    // "/v1/charges" (still percent-encoded)
    std::string query;   // "limit=2" ("" when absent)
    std::vector<std::pair<std::string, std::string>> headers;  // in arrival order
    std::string body;

    // First value of header name (case-insensitive), or "".
    std::string Header(const std::string& name) const;
};

// What to answer. delay waits on an Asio timer before answering, never blocking other
// connections. drop_connection closes the socket without any answer (a reset upstream).
struct MockResponse {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::chrono::milliseconds delay{0};
    bool drop_connection = false;

    // status with Content-Type: application/json and body as given.
    static MockResponse Json(int status, std::string body);
};

// Called on a network thread for each matching request: keep it quick and thread-safe. An
// exception it throws becomes a 500 whose body is the exception's message.
using MockHandler = std::function<MockResponse(const RecordedRequest&)>;

// Listens on 127.0.0.1 (port 0 = any free port) from construction until destruction, serving
// keep-alive connections on its own threads. Unrouted requests get 404 {"error":"no mock route"}.
// Every method is thread-safe.
class MockUpstream {
  public:
    explicit MockUpstream(int threads = 2, std::uint16_t port = 0);
    ~MockUpstream();
    MockUpstream(const MockUpstream&) = delete;
    MockUpstream& operator=(const MockUpstream&) = delete;

    // Routes method ("*" = any) and path (exact, or a prefix when it ends in '*'; "*" = any) to
    // handler. The most recently added matching route wins, so a test can override a route.
    void On(const std::string& method, const std::string& path, MockHandler handler);
    // Shorthand: always answer response.
    void On(const std::string& method, const std::string& path, const MockResponse& response);
    // Forgets every route.
    void ClearRoutes();

    std::uint16_t Port() const;
    // "http://127.0.0.1:<port>".
    std::string BaseUrl() const;

    // Every request received so far (recorded when it arrives, before any delay), oldest first.
    std::vector<RecordedRequest> Requests() const;
    std::size_t RequestCount() const;
    void ClearRequests();
    // Waits until at least n requests have been recorded; false on timeout.
    bool WaitForRequests(std::size_t n, std::chrono::milliseconds timeout);

    // Stops listening, closes connections and joins the threads. Idempotent; the destructor calls
    // it.
    void Stop();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace gc::test
