// RunLoad and Fetch (see load_client.hpp): one curl multi handle driven from the calling thread;
// a finished transfer is re-added at once, so its connection is reused from the multi's cache.
#include "load_client.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace gc::bench {
namespace {

using Clock = std::chrono::steady_clock;

void InitCurlOnce() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::size_t Append(char* data, std::size_t size, std::size_t n, void* user) {
    static_cast<std::string*>(user)->append(data, size * n);
    return size * n;
}

struct SlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

// The request's headers, plus an empty Expect so no POST waits for 100-continue.
Slist HeaderList(const std::vector<std::string>& headers) {
    curl_slist* list = curl_slist_append(nullptr, "Expect:");
    for (const auto& h : headers) {
        list = curl_slist_append(list, h.c_str());
    }
    return Slist(list);
}

// Options every transfer of ours shares: loopback, no proxy, no signals, keep-alive.
void SetCommonOptions(CURL* easy, const std::string& url, const std::string& method,
                      const std::string& body, curl_slist* headers, std::string* sink) {
    curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_PROXY, "");
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http");
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 30000L);
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Append);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, static_cast<void*>(sink));
    if (method == "POST") {
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body.data());
    } else if (method != "GET") {
        curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
}

double PercentileMs(const std::vector<std::uint32_t>& sorted_us, double p) {
    if (sorted_us.empty()) {
        return 0;
    }
    // Nearest rank.
    auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted_us.size())));
    rank = std::clamp<std::size_t>(rank, 1, sorted_us.size());
    return sorted_us[rank - 1] / 1000.0;
}

struct Slot {
    CURL* easy = nullptr;
    std::string body;
    Clock::time_point started;
};

}  // namespace

bool IsLoopbackUrl(const std::string& url) {
    CURLU* u = curl_url();
    if (u == nullptr) {
        return false;
    }
    bool loopback = false;
    char* scheme = nullptr;
    char* host = nullptr;
    if (curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && std::string(scheme) == "http") {
        const std::string h(host);
        in_addr v4{};
        loopback = h == "localhost" || h == "[::1]" ||
                   (inet_pton(AF_INET, h.c_str(), &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127);
    }
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
    return loopback;
}

LoadResult RunLoad(const LoadSpec& spec) {
    if (!IsLoopbackUrl(spec.url)) {
        throw std::logic_error("the benchmark only talks to loopback: " + spec.url);
    }
    InitCurlOnce();
    CURLM* multi = curl_multi_init();
    if (multi == nullptr) {
        throw std::runtime_error("curl_multi_init failed");
    }
    const Slist headers = HeaderList(spec.headers);
    std::vector<Slot> slots(static_cast<std::size_t>(std::max(spec.concurrency, 1)));
    for (auto& slot : slots) {
        slot.easy = curl_easy_init();
        if (slot.easy == nullptr) {
            throw std::runtime_error("curl_easy_init failed");
        }
        SetCommonOptions(slot.easy, spec.url, spec.method, spec.body, headers.get(), &slot.body);
        curl_easy_setopt(slot.easy, CURLOPT_PRIVATE, static_cast<void*>(&slot));
    }

    LoadResult result;
    std::vector<std::uint32_t> latencies_us;
    latencies_us.reserve(
        static_cast<std::size_t>(std::min<std::uint64_t>(spec.max_requests, 1u << 22)));
    std::uint64_t started = 0;
    int running = 0;
    const auto begin = Clock::now();
    const auto deadline = begin + spec.duration;
    bool stopped_starting = false;
    auto last_done = begin;

    auto start = [&](Slot& slot) {
        slot.body.clear();
        slot.started = Clock::now();
        curl_multi_add_handle(multi, slot.easy);
        ++started;
    };
    for (auto& slot : slots) {
        if (started < spec.max_requests) {
            start(slot);
        }
    }

    int in_flight = static_cast<int>(started);
    while (in_flight > 0) {
        curl_multi_perform(multi, &running);
        int queued = 0;
        while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
            if (msg->msg != CURLMSG_DONE) {
                continue;
            }
            CURL* easy = msg->easy_handle;
            const CURLcode code = msg->data.result;
            void* priv = nullptr;
            curl_easy_getinfo(easy, CURLINFO_PRIVATE, &priv);
            Slot& slot = *static_cast<Slot*>(priv);
            const auto now = Clock::now();
            long status = 0;
            long connects = 0;
            curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
            curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &connects);
            result.new_connections += connects;
            curl_multi_remove_handle(multi, easy);
            --in_flight;
            last_done = now;

            const bool ok = code == CURLE_OK && status == 200 &&
                            (spec.expect_in_body.empty() ||
                             slot.body.find(spec.expect_in_body) != std::string::npos);
            if (ok) {
                const auto us =
                    std::chrono::duration_cast<std::chrono::microseconds>(now - slot.started);
                latencies_us.push_back(static_cast<std::uint32_t>(us.count()));
                if (now <= deadline) {
                    ++result.ok;
                } else {
                    ++result.late_ok;
                }
            } else {
                ++result.errors;
                if (result.first_error.empty()) {
                    result.first_error = code != CURLE_OK ? std::string(curl_easy_strerror(code))
                                                          : "HTTP " + std::to_string(status) +
                                                                ": " + slot.body.substr(0, 200);
                }
            }
            if (now >= deadline || started >= spec.max_requests) {
                stopped_starting = true;
            }
            if (!stopped_starting) {
                start(slot);
                ++in_flight;
            }
        }
        if (in_flight > 0) {
            curl_multi_poll(multi, nullptr, 0, 50, nullptr);
        }
    }
    for (auto& slot : slots) {
        curl_easy_cleanup(slot.easy);
    }
    curl_multi_cleanup(multi);

    // Requests that completed after the deadline are not counted, so neither is their time.
    result.seconds = std::chrono::duration<double>(std::min(last_done, deadline) - begin).count();
    result.rps = result.seconds > 0 ? static_cast<double>(result.ok) / result.seconds : 0;
    std::sort(latencies_us.begin(), latencies_us.end());
    result.p50_ms = PercentileMs(latencies_us, 0.50);
    result.p99_ms = PercentileMs(latencies_us, 0.99);
    result.max_ms = latencies_us.empty() ? 0 : latencies_us.back() / 1000.0;
    return result;
}

Reply Fetch(const std::string& method, const std::string& url, const std::string& body,
            const std::vector<std::string>& headers) {
    if (!IsLoopbackUrl(url)) {
        throw std::logic_error("the benchmark only talks to loopback: " + url);
    }
    InitCurlOnce();
    Reply reply;
    CURL* easy = curl_easy_init();
    if (easy == nullptr) {
        reply.error = "curl_easy_init failed";
        return reply;
    }
    const Slist list = HeaderList(headers);
    SetCommonOptions(easy, url, method, body, list.get(), &reply.body);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &Append);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, static_cast<void*>(&reply.headers));
    const CURLcode code = curl_easy_perform(easy);
    if (code == CURLE_OK) {
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &reply.status);
    } else {
        reply.error = curl_easy_strerror(code);
    }
    curl_easy_cleanup(easy);
    return reply;
}

}  // namespace gc::bench
