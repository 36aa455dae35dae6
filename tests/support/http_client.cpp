// HttpClient and RawRequest (see http_client.hpp).
#include "support/http_client.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cerrno>
#include <mutex>
#include <stdexcept>
#include <utility>

namespace gc::test {
namespace {

using Clock = std::chrono::steady_clock;

bool SameName(const std::string& a, const std::string& b) {
    return a.size() == b.size() && strcasecmp(a.c_str(), b.c_str()) == 0;
}

void GlobalInit() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

CURL* Handle(void* p) { return static_cast<CURL*>(p); }

// Throws std::logic_error unless url is http:// on a loopback host.
void RequireLoopbackUrl(const std::string& url) {
    CURLU* u = curl_url();
    std::string host;
    std::string scheme;
    if (curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
        char* part = nullptr;
        if (curl_url_get(u, CURLUPART_HOST, &part, 0) == CURLUE_OK) {
            host = part;
            curl_free(part);
        }
        if (curl_url_get(u, CURLUPART_SCHEME, &part, 0) == CURLUE_OK) {
            scheme = part;
            curl_free(part);
        }
    }
    curl_url_cleanup(u);
    if (scheme != "http" || !IsLoopbackHost(host)) {
        throw std::logic_error("test HTTP client refuses non-loopback URL: " + url);
    }
}

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

size_t WriteHeader(char* data, size_t size, size_t count, void* user) {
    auto* headers = static_cast<HeaderList*>(user);
    std::string line(data, size * count);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
        line.pop_back();
    }
    if (line.rfind("HTTP/", 0) == 0) {
        headers->clear();  // a new response (after 100 Continue, say) starts a new header set
        return size * count;
    }
    auto colon = line.find(':');
    if (colon != std::string::npos) {
        std::string value = line.substr(colon + 1);
        auto start = value.find_first_not_of(" \t");
        value = start == std::string::npos ? std::string() : value.substr(start);
        headers->emplace_back(line.substr(0, colon), value);
    }
    return size * count;
}

}  // namespace

bool IsLoopbackHost(const std::string& host_in) {
    std::string host = host_in;
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    if (SameName(host, "localhost")) {
        return true;
    }
    in_addr v4{};
    if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
        return (ntohl(v4.s_addr) >> 24) == 127;
    }
    in6_addr v6{};
    if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
        return IN6_IS_ADDR_LOOPBACK(&v6);
    }
    return false;
}

std::string HttpResponse::Header(const std::string& name) const {
    for (const auto& [key, value] : headers) {
        if (SameName(key, name)) {
            return value;
        }
    }
    return {};
}

std::vector<std::string> HttpResponse::Headers(const std::string& name) const {
    std::vector<std::string> out;
    for (const auto& [key, value] : headers) {
        if (SameName(key, name)) {
            out.push_back(value);
        }
    }
    return out;
}

bool HttpResponse::HasHeader(const std::string& name) const {
    for (const auto& header : headers) {
        if (SameName(header.first, name)) {
            return true;
        }
    }
    return false;
}

boost::json::value HttpResponse::Json() const { return boost::json::parse(body); }

HttpClient::HttpClient(std::string base_url) : base_url_(std::move(base_url)) {
    while (!base_url_.empty() && base_url_.back() == '/') {
        base_url_.pop_back();
    }
    RequireLoopbackUrl(base_url_ + "/");
    GlobalInit();
    curl_ = curl_easy_init();
    if (curl_ == nullptr) {
        throw std::runtime_error("curl_easy_init failed");
    }
    CURL* c = Handle(curl_);
    curl_easy_setopt(c, CURLOPT_COOKIEFILE, "");  // in-memory cookie engine, no file
    curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, WriteBody);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, WriteHeader);
}

HttpClient::~HttpClient() { curl_easy_cleanup(Handle(curl_)); }

HttpClient::HttpClient(HttpClient&& other) noexcept
    : base_url_(std::move(other.base_url_)),
      default_headers_(std::move(other.default_headers_)),
      timeout_(other.timeout_),
      curl_(std::exchange(other.curl_, nullptr)) {}

HttpClient& HttpClient::operator=(HttpClient&& other) noexcept {
    if (this != &other) {
        curl_easy_cleanup(Handle(curl_));
        base_url_ = std::move(other.base_url_);
        default_headers_ = std::move(other.default_headers_);
        timeout_ = other.timeout_;
        curl_ = std::exchange(other.curl_, nullptr);
    }
    return *this;
}

HttpResponse HttpClient::Request(const std::string& method, const std::string& path,
                                 const std::string& body, const HeaderList& headers) {
    std::string url = base_url_ + path;
    RequireLoopbackUrl(url);
    CURL* c = Handle(curl_);
    HttpResponse response;
    char error[CURL_ERROR_SIZE] = {0};
    // Every per-request option is set on every request: the handle is reused as is (no
    // curl_easy_reset) so that its cookie jar and connections carry over.
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout_.count()));
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &response.body);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &response.headers);

    bool has_body = !body.empty() || method == "POST" || method == "PUT" || method == "PATCH";
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);  // back to a plain GET, then adjust
    if (method == "HEAD") {
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    }
    if (has_body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    }
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST,
                     method == "GET" || method == "HEAD" || (method == "POST" && has_body)
                         ? nullptr
                         : method.c_str());

    HeaderList merged = default_headers_;
    for (const auto& header : headers) {
        std::erase_if(merged, [&](const auto& h) { return SameName(h.first, header.first); });
        merged.push_back(header);
    }
    bool has_content_type = false;
    curl_slist* list = nullptr;
    for (const auto& [name, value] : merged) {
        has_content_type = has_content_type || (SameName(name, "Content-Type") && !value.empty());
        // "Name:" removes a header curl would add; "Name: value" sets it.
        std::string line = value.empty() ? name + ":" : name + ": " + value;
        list = curl_slist_append(list, line.c_str());
    }
    if (has_body && !has_content_type) {
        list = curl_slist_append(list, "Content-Type:");
    }
    list = curl_slist_append(list, "Expect:");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);

    CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(list);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);
    if (rc != CURLE_OK) {
        response.error = error[0] != '\0' ? error : curl_easy_strerror(rc);
        response.status = 0;
        return response;
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
}

HttpResponse HttpClient::Get(const std::string& path, const HeaderList& headers) {
    return Request("GET", path, {}, headers);
}

HttpResponse HttpClient::Delete(const std::string& path, const HeaderList& headers) {
    return Request("DELETE", path, {}, headers);
}

namespace {

HeaderList WithJson(const HeaderList& headers) {
    HeaderList out{{"Content-Type", "application/json"}};
    out.insert(out.end(), headers.begin(), headers.end());
    return out;
}

}  // namespace

HttpResponse HttpClient::Post(const std::string& path, const boost::json::value& body,
                              const HeaderList& headers) {
    return Request("POST", path, boost::json::serialize(body), WithJson(headers));
}

HttpResponse HttpClient::Put(const std::string& path, const boost::json::value& body,
                             const HeaderList& headers) {
    return Request("PUT", path, boost::json::serialize(body), WithJson(headers));
}

HttpResponse HttpClient::Patch(const std::string& path, const boost::json::value& body,
                               const HeaderList& headers) {
    return Request("PATCH", path, boost::json::serialize(body), WithJson(headers));
}

void HttpClient::SetDefaultHeader(const std::string& name, const std::string& value) {
    RemoveDefaultHeader(name);
    default_headers_.emplace_back(name, value);
}

void HttpClient::RemoveDefaultHeader(const std::string& name) {
    std::erase_if(default_headers_, [&](const auto& h) { return SameName(h.first, name); });
}

std::vector<std::string> HttpClient::CookieLines() const {
    std::vector<std::string> out;
    curl_slist* cookies = nullptr;
    curl_easy_getinfo(Handle(curl_), CURLINFO_COOKIELIST, &cookies);
    for (curl_slist* item = cookies; item != nullptr; item = item->next) {
        out.emplace_back(item->data);
    }
    curl_slist_free_all(cookies);
    return out;
}

std::string HttpClient::Cookie(const std::string& name) const {
    // Netscape format: domain, tailmatch, path, secure, expires, name, value (tab-separated).
    for (const auto& line : CookieLines()) {
        std::vector<std::string> fields;
        std::size_t start = 0;
        for (;;) {
            auto tab = line.find('\t', start);
            fields.push_back(line.substr(start, tab - start));
            if (tab == std::string::npos) {
                break;
            }
            start = tab + 1;
        }
        if (fields.size() >= 7 && fields[5] == name) {
            return fields[6];
        }
    }
    return {};
}

void HttpClient::ClearCookies() { curl_easy_setopt(Handle(curl_), CURLOPT_COOKIELIST, "ALL"); }

std::string RawRequest(const std::string& host, int port, const std::string& bytes,
                       std::chrono::milliseconds timeout, bool shutdown_write) {
    if (!IsLoopbackHost(host)) {
        throw std::logic_error("RawRequest refuses non-loopback host: " + host);
    }
    std::string name = host;
    if (name.size() >= 2 && name.front() == '[') {
        name = name.substr(1, name.size() - 2);
    }
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo* found = nullptr;
    if (getaddrinfo(name.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) {
        throw std::runtime_error("RawRequest: cannot resolve " + host);
    }
    int fd = -1;
    for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd >= 0 && connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(found);
    if (fd < 0) {
        throw std::runtime_error("RawRequest: cannot connect to " + host + ":" +
                                 std::to_string(port));
    }
    auto deadline = Clock::now() + timeout;
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) {
            break;  // the server may close early on garbage; read what it said
        }
        sent += static_cast<std::size_t>(n);
    }
    if (shutdown_write) {
        shutdown(fd, SHUT_WR);
    }
    std::string out;
    char buf[8192];
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            break;
        }
        pollfd p{fd, POLLIN, 0};
        int ready = poll(&p, 1, static_cast<int>(left.count()));
        if (ready <= 0) {
            if (ready < 0 && errno == EINTR) {
                continue;
            }
            break;
        }
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0) {
            break;
        }
        out.append(buf, static_cast<std::size_t>(n));
    }
    close(fd);
    return out;
}

}  // namespace gc::test
