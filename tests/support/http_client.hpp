// A synchronous HTTP client for black-box tests (libcurl easy): loopback only, one cookie jar per
// client like a browser session, default headers; and RawRequest for hand-made bytes.
#pragma once

#include <boost/json/value.hpp>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace gc::test {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
    long status = 0;     // 0 when no response arrived; error then says why
    std::string error;   // libcurl's message for a transport failure, else ""
    HeaderList headers;  // in arrival order; repeated headers (Set-Cookie) all kept
    std::string body;

    // First value of header name (case-insensitive), or "" if absent.
    std::string Header(const std::string& name) const;
    // Every value of header name (case-insensitive), in order.
    std::vector<std::string> Headers(const std::string& name) const;
    bool HasHeader(const std::string& name) const;
    // Parses body as JSON; throws boost::system::system_error when it is not JSON.
    boost::json::value Json() const;
};

// One session against one server. Each request is checked to go to 127.0.0.0/8, ::1 or
// localhost: anything else throws std::logic_error before a byte is sent. Proxies from the
// environment are ignored, redirects are not followed. Not thread-safe: one client per thread.
class HttpClient {
  public:
    // base_url like "http://127.0.0.1:8080"; paths passed to requests are appended to it.
    // Throws std::logic_error if base_url is not a loopback http URL.
    explicit HttpClient(std::string base_url);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;
    // A moved-from client may only be destroyed or assigned to.
    HttpClient(HttpClient&& other) noexcept;
    HttpClient& operator=(HttpClient&& other) noexcept;

    // Sends method base_url+path with body and headers (which override the defaults of the same
    // name; a header with an empty value is removed from the request). With a body and no
    // Content-Type given none is sent (curl's form default is suppressed), nor is Expect.
    HttpResponse Request(const std::string& method, const std::string& path,
                         const std::string& body = {}, const HeaderList& headers = {});

    HttpResponse Get(const std::string& path, const HeaderList& headers = {});
    HttpResponse Delete(const std::string& path, const HeaderList& headers = {});
    // Serialize body and send it with Content-Type: application/json.
    HttpResponse Post(const std::string& path, const boost::json::value& body,
                      const HeaderList& headers = {});
    HttpResponse Put(const std::string& path, const boost::json::value& body,
                     const HeaderList& headers = {});
    HttpResponse Patch(const std::string& path, const boost::json::value& body,
                       const HeaderList& headers = {});

    // Sent with every request until removed (e.g. Authorization, X-CSRF-Token). Replaces a default
    // of the same name (case-insensitive).
    void SetDefaultHeader(const std::string& name, const std::string& value);
    void RemoveDefaultHeader(const std::string& name);

    // The cookie jar: a cookie's value by name ("" if absent), every cookie in Netscape format,
    // and forgetting them all (a fresh browser).
    std::string Cookie(const std::string& name) const;
    std::vector<std::string> CookieLines() const;
    void ClearCookies();

    void SetTimeout(std::chrono::milliseconds timeout) { timeout_ = timeout; }
    const std::string& BaseUrl() const { return base_url_; }

  private:
    std::string base_url_;
    HeaderList default_headers_;
    std::chrono::milliseconds timeout_{10000};
    void* curl_ = nullptr;  // CURL*, kept for the cookie jar and connection reuse
};

// True for 127.0.0.0/8, ::1 (with or without brackets) and localhost.
bool IsLoopbackHost(const std::string& host);

// Connects to host:port over TCP (loopback only, else std::logic_error), sends bytes, optionally
// shuts down the write side, and returns everything read until the peer closes or timeout passes
// (then whatever came so far). Throws std::runtime_error if it cannot connect.
std::string RawRequest(const std::string& host, int port, const std::string& bytes,
                       std::chrono::milliseconds timeout = std::chrono::milliseconds(5000),
                       bool shutdown_write = false);

}  // namespace gc::test
