// OutboundClient (see outbound_client.hpp): one thread drives a curl multi handle; a small pool
// does the blocking DNS lookups. Each call is a state machine on the loop thread:
//   attempt: hop: rate limit -> resolve + egress check -> transfer -> redirect (next hop),
//   retry (timer, next attempt) or completion.
#include "outbound/outbound_client.hpp"

#include <curl/curl.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <queue>
#include <random>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <variant>

#include "core/http_token.hpp"
#include "core/log.hpp"
#include "core/thread_name.hpp"

namespace gc::outbound {
namespace {

using Steady = std::chrono::steady_clock;
using core::Error;
using core::ErrorCode;
using std::chrono::milliseconds;

// Response headers beyond this are refused (kUpstreamTooLarge): a bound on what is buffered.
constexpr std::size_t kMaxResponseHeaderBytes = std::size_t{256} * 1024;
// The loop wakes at least this often even with nothing to do (cheap; a safety net).
constexpr milliseconds kMaxPollWait{1000};
// Reset easy handles kept for reuse at most (tens of KiB each): enough for a burst of that many
// calls at once; beyond it handles are freed.
constexpr std::size_t kMaxIdleEasyHandles = 256;
// Always treated as credentials on a cross-origin redirect, whatever the request lists.
constexpr std::string_view kAlwaysCredentialHeaders[] = {"Authorization", "Proxy-Authorization",
                                                         "Cookie"};
// Dropped with the body when a redirect turns the request into a GET (Fetch standard).
constexpr std::string_view kBodyHeaders[] = {"Content-Type", "Content-Length", "Content-Encoding",
                                             "Content-Language", "Content-Location"};

bool SameName(std::string_view a, std::string_view b) {
    return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

bool HasHeader(const std::vector<std::pair<std::string, std::string>>& headers,
               std::string_view name) {
    return std::any_of(headers.begin(), headers.end(),
                       [&](const auto& h) { return SameName(h.first, name); });
}

const std::string* FindHeader(const std::vector<std::pair<std::string, std::string>>& headers,
                              std::string_view name) {
    for (const auto& [key, value] : headers) {
        if (SameName(key, name)) {
            return &value;
        }
    }
    return nullptr;
}

void RemoveHeader(std::vector<std::pair<std::string, std::string>>& headers,
                  std::string_view name) {
    std::erase_if(headers, [&](const auto& h) { return SameName(h.first, name); });
}

std::string_view TrimSpace(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
        s.remove_suffix(1);
    }
    return s;
}

// "host:port" for messages: never a path or query.
std::string HostPort(const Target& target) {
    std::string host = target.literal ? target.literal->ToUrlHost() : target.host;
    return host + ":" + std::to_string(target.port);
}

Error MapCurlError(CURLcode code, const char* detail, const Target& target) {
    std::string internal = std::string(curl_easy_strerror(code));
    if (detail != nullptr && detail[0] != '\0') {
        internal += ": ";
        internal += detail;
    }
    const std::string where = HostPort(target);
    switch (code) {
        case CURLE_OPERATION_TIMEDOUT:
            return Error::Make(ErrorCode::kUpstreamTimeout, "upstream timed out: " + where,
                               std::move(internal));
        case CURLE_COULDNT_RESOLVE_HOST:
            return Error::Make(ErrorCode::kUpstreamUnreachable,
                               "upstream unreachable: could not resolve host " + target.host,
                               std::move(internal));
        case CURLE_COULDNT_CONNECT:
            return Error::Make(ErrorCode::kUpstreamUnreachable,
                               "upstream unreachable: could not connect to " + where,
                               std::move(internal));
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_ENGINE_NOTFOUND:
        case CURLE_SSL_ENGINE_SETFAILED:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CIPHER:
        case CURLE_SSL_ENGINE_INITFAILED:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_SHUTDOWN_FAILED:
        case CURLE_SSL_CRL_BADFILE:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        case CURLE_SSL_INVALIDCERTSTATUS:
        case CURLE_SSL_CLIENTCERT:
        case CURLE_USE_SSL_FAILED:
            return Error::Make(ErrorCode::kUpstreamTls, "TLS with upstream failed: " + where,
                               std::move(internal));
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_PARTIAL_FILE:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM:
        case CURLE_WEIRD_SERVER_REPLY:
            return Error::Make(ErrorCode::kUpstreamUnreachable,
                               "upstream unreachable: connection to " + where + " failed",
                               std::move(internal));
        default:
            return Error::Make(ErrorCode::kUpstreamUnreachable,
                               "upstream unreachable: call to " + where + " failed",
                               std::move(internal));
    }
}

void InitCurlOnce() {
    static const CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
    if (rc != CURLE_OK) {
        throw std::runtime_error(std::string("curl_global_init: ") + curl_easy_strerror(rc));
    }
}

// Runs blocking jobs (DNS lookups) on a few threads so the loop thread never blocks.
class JobPool {
  public:
    explicit JobPool(int threads) {
        for (int i = 0; i < std::max(threads, 1); ++i) {
            threads_.emplace_back([this] { Work(); });
        }
    }
    ~JobPool() { Stop(); }
    JobPool(const JobPool&) = delete;
    JobPool& operator=(const JobPool&) = delete;

    void Post(std::function<void()> job) {
        {
            std::lock_guard lock(mu_);
            if (stopping_) {
                return;
            }
            jobs_.push_back(std::move(job));
        }
        cv_.notify_one();
    }

    // Drops queued jobs, waits for running ones. Idempotent.
    void Stop() {
        {
            std::lock_guard lock(mu_);
            stopping_ = true;
            jobs_.clear();
        }
        cv_.notify_all();
        for (auto& t : threads_) {
            if (t.joinable()) {
                t.join();
            }
        }
    }

  private:
    void Work() {
        core::NameThisThread("gc-dns");
        for (;;) {
            std::function<void()> job;
            {
                std::unique_lock lock(mu_);
                cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
                if (stopping_) {
                    return;
                }
                job = std::move(jobs_.front());
                jobs_.pop_front();
            }
            job();
        }
    }

    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::function<void()>> jobs_;  // guarded by mu_
    bool stopping_ = false;                   // guarded by mu_
    std::vector<std::thread> threads_;
};

// Easy handles of finished transfers, reset and kept for the next ones (loop thread only). A
// fresh curl_easy_init and its curl_easy_cleanup cost about 15,000 instructions per attempt
// (callgrind), a reset a fraction of that. curl_easy_reset drops every option of the last
// transfer (URL, headers, body, pinned address, callbacks); what it keeps is TLS session ids,
// which resume a session with the same host, as the multi's connection cache already reuses
// its connections. No cookie engine, HSTS or alt-svc cache is ever switched on.
class EasyHandlePool {
  public:
    explicit EasyHandlePool(std::size_t max_idle) : max_idle_(max_idle) {}
    ~EasyHandlePool() { Clear(); }
    EasyHandlePool(const EasyHandlePool&) = delete;
    EasyHandlePool& operator=(const EasyHandlePool&) = delete;

    // A handle with every option at its default; nullptr when libcurl cannot make one.
    CURL* Take() {
        if (idle_.empty()) {
            return curl_easy_init();
        }
        CURL* easy = idle_.back();
        idle_.pop_back();
        return easy;
    }
    // Takes back a handle that is in no multi.
    void Give(CURL* easy) {
        if (idle_.size() >= max_idle_) {
            curl_easy_cleanup(easy);
            return;
        }
        curl_easy_reset(easy);
        idle_.push_back(easy);
    }
    void Clear() {
        for (CURL* easy : idle_) {
            curl_easy_cleanup(easy);
        }
        idle_.clear();
    }

  private:
    const std::size_t max_idle_;
    std::vector<CURL*> idle_;
};

// One HTTP exchange: a curl easy handle and what its callbacks collect. Owned by its Call.
struct Transfer {
    CURLM* multi = nullptr;  // set once the handle is added
    CURL* easy = nullptr;
    EasyHandlePool* pool = nullptr;  // where easy goes back to
    curl_slist* header_list = nullptr;
    curl_slist* resolve_list = nullptr;
    IpAddress pinned;             // the one address the opensocket callback lets through
    bool refused = false;         // the callback saw another address
    std::string refused_address;  // for the log
    std::size_t max_body = 0;
    std::string body;
    bool truncated = false;
    std::vector<std::pair<std::string, std::string>> headers;
    std::size_t header_bytes = 0;
    bool header_overflow = false;
    bool decoded = false;  // libcurl asked for compression and decodes the body it gets
    char error_buffer[CURL_ERROR_SIZE] = {};

    Transfer() = default;
    Transfer(const Transfer&) = delete;
    Transfer& operator=(const Transfer&) = delete;
    ~Transfer() {
        if (easy != nullptr) {
            if (multi != nullptr) {
                curl_multi_remove_handle(multi, easy);
            }
            if (pool != nullptr) {
                pool->Give(easy);
            } else {
                curl_easy_cleanup(easy);
            }
        }
        curl_slist_free_all(header_list);
        curl_slist_free_all(resolve_list);
    }

    static curl_socket_t OpenSocket(void* clientp, curlsocktype purpose, curl_sockaddr* address) {
        auto* self = static_cast<Transfer*>(clientp);
        // curl passes a buffer of addrlen bytes at &address->addr (a sockaddr_storage inside).
        const auto ip = IpAddress::FromSockaddr(&address->addr, address->addrlen);
        if (purpose != CURLSOCKTYPE_IPCXN || !ip || !(*ip == self->pinned)) {
            self->refused = true;
            self->refused_address = ip ? ip->ToString() : "(unknown family)";
            return CURL_SOCKET_BAD;
        }
        return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
    }

    static std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* userp) {
        auto* self = static_cast<Transfer*>(userp);
        const std::size_t length = size * count;
        const std::size_t room = self->max_body - self->body.size();
        if (length > room) {
            // Keep what fits and stop the transfer: returning less than given aborts it.
            self->body.append(data, room);
            self->truncated = true;
            return 0;
        }
        self->body.append(data, length);
        return length;
    }

    static std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* userp) {
        auto* self = static_cast<Transfer*>(userp);
        const std::size_t length = size * count;
        self->header_bytes += length;
        if (self->header_bytes > kMaxResponseHeaderBytes) {
            self->header_overflow = true;
            return 0;
        }
        std::string_view line(data, length);
        if (line.starts_with("HTTP/")) {
            // A new response begins (after a 1xx): only the last one's headers count.
            self->headers.clear();
            return length;
        }
        if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
            const std::string_view more = TrimSpace(line);
            if (!self->headers.empty() && !more.empty()) {
                self->headers.back().second += ' ';
                self->headers.back().second += more;
            }
            return length;
        }
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0) {
            return length;  // the blank line that ends the headers, or junk
        }
        self->headers.emplace_back(std::string(line.substr(0, colon)),
                                   std::string(TrimSpace(line.substr(colon + 1))));
        return length;
    }
};

// One call from Send to its completion. Lives in Impl::calls_ on the loop thread.
struct Call {
    std::uint64_t id = 0;
    OutboundRequest request;
    Completion done;
    Steady::time_point sent;
    std::optional<Steady::time_point> deadline;  // start of the first attempt + max_total
    Target origin;                               // the checked request URL
    int attempts = 0;
    // The current hop: what a redirect may have changed.
    Target target;
    std::string method;
    bool drop_body = false;
    std::vector<std::pair<std::string, std::string>> headers;
    int hop = 0;
    std::unique_ptr<Transfer> transfer;  // last: destroyed first, before what it points into
};

struct NewCall {
    OutboundRequest request;
    Completion done;
    Steady::time_point sent;
};

// The resolver's answer for a name, from the DNS pool.
struct LookupDone {
    std::string host;
    core::Result<std::vector<IpAddress>> answer;
};

using Event = std::variant<NewCall, LookupDone>;

enum class Wake { kResolve, kStartAttempt };

struct Timer {
    Steady::time_point when;
    std::uint64_t seq = 0;
    std::uint64_t call_id = 0;
    Wake wake = Wake::kResolve;

    friend bool operator>(const Timer& a, const Timer& b) {
        return a.when != b.when ? a.when > b.when : a.seq > b.seq;
    }
};

void Invoke(Completion& done, core::Result<OutboundResponse> result) {
    try {
        done(std::move(result));
    } catch (const std::exception& e) {
        core::LogError("outbound completion threw", {{"error", e.what()}});
    } catch (...) {
        core::LogError("outbound completion threw", {{"error", "unknown exception"}});
    }
}

Error Stopped() { return Error::Make(ErrorCode::kUnavailable, "outbound client is stopping"); }

}  // namespace

struct OutboundClient::Impl {
    Impl(const EgressPolicy& p, Resolver& r, const core::Clock& c, ClientSettings s)
        : policy(p), resolver(r), clock(c), settings(std::move(s)) {}

    const EgressPolicy& policy;
    Resolver& resolver;
    const core::Clock& clock;
    const ClientSettings settings;
    CURLM* multi = nullptr;

    std::mutex inbox_mu;
    std::vector<Event> inbox;  // guarded by inbox_mu
    bool accepting = true;     // guarded by inbox_mu
    std::atomic<bool> stopping{false};

    // Loop thread only. The pool is declared before calls: calls (and their transfers, which
    // give their handles back) go first.
    EasyHandlePool easy_handles{kMaxIdleEasyHandles};
    std::map<std::uint64_t, std::unique_ptr<Call>> calls;
    std::uint64_t next_id = 1;
    std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers;
    std::uint64_t next_timer_seq = 0;
    RateLimiter limiter;
    std::mt19937_64 rng{std::random_device{}()};

    // DNS answers by name (loop thread only): the resolver's own answer, which the guard checks
    // again on every use, so caching changes how often the resolver is asked, never what is
    // allowed. A lookup in flight is shared by every call to that name meanwhile, so a burst
    // of calls to a new name makes one lookup, not one each.
    struct CachedAnswer {
        std::vector<IpAddress> addresses;
        Steady::time_point expires;
    };
    static constexpr std::size_t kMaxCachedNames = 4096;  // a full cache is emptied
    std::unordered_map<std::string, CachedAnswer> dns_answers;
    std::unordered_map<std::string, std::vector<std::uint64_t>> dns_waiters;

    std::optional<JobPool> dns_pool;
    std::thread loop;

    // The loop waits in epoll on the sockets libcurl asks for (its socket callback) and on
    // wake_fd, so each wake-up costs work for the sockets that are ready, not for every transfer
    // in flight (curl_multi_perform and curl_multi_poll walk them all).
    int epoll_fd = -1;
    int wake_fd = -1;                       // an eventfd: the inbox has something
    std::atomic<bool> wake_pending{false};  // a write to wake_fd is not yet read: skip another
    std::optional<Steady::time_point> curl_deadline;  // loop thread; libcurl's timer callback

    void Post(Event event) {
        {
            std::lock_guard lock(inbox_mu);
            inbox.push_back(std::move(event));
        }
        WakeLoop();
    }

    // One write per wake-up however many posts arrive before the loop reads it.
    void WakeLoop() {
        if (!wake_pending.exchange(true)) {
            const std::uint64_t one = 1;
            [[maybe_unused]] const auto n = ::write(wake_fd, &one, sizeof(one));
        }
    }

    static int OnCurlSocket(CURL* /*easy*/, curl_socket_t fd, int what, void* userp,
                            void* /*socketp*/) {
        auto* self = static_cast<Impl*>(userp);
        if (what == CURL_POLL_REMOVE) {
            // The socket may be closed already, which removed it from the set: ignore errors.
            epoll_ctl(self->epoll_fd, EPOLL_CTL_DEL, fd, nullptr);
            return 0;
        }
        epoll_event ev{};
        ev.data.fd = fd;
        ev.events = ((what & CURL_POLL_IN) != 0 ? EPOLLIN : 0u) |
                    ((what & CURL_POLL_OUT) != 0 ? EPOLLOUT : 0u);
        if (epoll_ctl(self->epoll_fd, EPOLL_CTL_MOD, fd, &ev) != 0 && errno == ENOENT) {
            epoll_ctl(self->epoll_fd, EPOLL_CTL_ADD, fd, &ev);
        }
        return 0;
    }

    static int OnCurlTimer(CURLM* /*multi*/, long timeout_ms, void* userp) {
        auto* self = static_cast<Impl*>(userp);
        if (timeout_ms < 0) {
            self->curl_deadline.reset();
        } else {
            self->curl_deadline = Steady::now() + milliseconds(timeout_ms);
        }
        return 0;
    }

    // ---- the loop ----

    void Run() {
        core::NameThisThread("gc-outbound");
        std::array<epoll_event, 256> events{};
        while (!stopping.load()) {
            DrainInbox();
            FireTimers();
            if (curl_deadline && *curl_deadline <= Steady::now()) {
                curl_deadline.reset();
                int running = 0;
                curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
            }
            ReadMessages();
            const int n = epoll_wait(epoll_fd, events.data(), int(events.size()), PollWaitMs());
            for (int i = 0; i < n; ++i) {
                const int fd = events[i].data.fd;
                if (fd == wake_fd) {
                    std::uint64_t count = 0;
                    [[maybe_unused]] const auto r = ::read(wake_fd, &count, sizeof(count));
                    wake_pending.store(false);  // before the inbox is drained: no post is missed
                    continue;
                }
                const std::uint32_t e = events[i].events;
                const int flags = ((e & EPOLLIN) != 0 ? CURL_CSELECT_IN : 0) |
                                  ((e & EPOLLOUT) != 0 ? CURL_CSELECT_OUT : 0) |
                                  ((e & (EPOLLERR | EPOLLHUP)) != 0 ? CURL_CSELECT_ERR : 0);
                int running = 0;
                curl_multi_socket_action(multi, fd, flags, &running);
            }
            ReadMessages();
        }
        Shutdown();
    }

    // Until the next of our timers or libcurl's, at most kMaxPollWait.
    int PollWaitMs() {
        milliseconds wait = kMaxPollWait;
        const auto now = Steady::now();
        if (!timers.empty()) {
            wait = std::min(wait, std::chrono::ceil<milliseconds>(timers.top().when - now));
        }
        if (curl_deadline) {
            wait = std::min(wait, std::chrono::ceil<milliseconds>(*curl_deadline - now));
        }
        return static_cast<int>(std::max<std::int64_t>(wait.count(), 0));
    }

    void DrainInbox() {
        std::vector<Event> events;
        {
            std::lock_guard lock(inbox_mu);
            events.swap(inbox);
        }
        for (auto& event : events) {
            if (auto* fresh = std::get_if<NewCall>(&event)) {
                Accept(std::move(*fresh));
            } else {
                OnLookupDone(std::get<LookupDone>(event));
            }
        }
    }

    void FireTimers() {
        const auto now = Steady::now();
        while (!timers.empty() && timers.top().when <= now) {
            const Timer timer = timers.top();
            timers.pop();
            Call* call = Find(timer.call_id);
            if (call == nullptr) {
                continue;
            }
            if (timer.wake == Wake::kResolve) {
                Resolve(*call);
            } else {
                StartAttempt(*call);
            }
        }
    }

    void ReadMessages() {
        int left = 0;
        while (CURLMsg* message = curl_multi_info_read(multi, &left)) {
            if (message->msg != CURLMSG_DONE) {
                continue;
            }
            char* private_data = nullptr;
            curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &private_data);
            const CURLcode code = message->data.result;
            OnTransferDone(*reinterpret_cast<Call*>(private_data), code);
        }
    }

    void Shutdown() {
        {
            std::lock_guard lock(inbox_mu);
            accepting = false;  // already false when the destructor stopped us; kept for safety
        }
        std::vector<Event> events;
        {
            std::lock_guard lock(inbox_mu);
            events.swap(inbox);
        }
        for (auto& event : events) {
            if (auto* fresh = std::get_if<NewCall>(&event)) {
                Invoke(fresh->done, Stopped());
            }
        }
        while (!calls.empty()) {
            Call& call = *calls.begin()->second;
            call.transfer.reset();
            Finish(call, Stopped());
        }
        timers = {};
    }

    Call* Find(std::uint64_t id) {
        auto it = calls.find(id);
        return it == calls.end() ? nullptr : it->second.get();
    }

    void AddTimer(Steady::time_point when, const Call& call, Wake wake) {
        timers.push(Timer{when, next_timer_seq++, call.id, wake});
    }

    double UnitRandom() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng); }

    // ---- the call state machine (loop thread) ----

    void Accept(NewCall fresh) {
        auto call = std::make_unique<Call>();
        call->id = next_id++;
        call->request = std::move(fresh.request);
        call->done = std::move(fresh.done);
        call->sent = fresh.sent;
        if (!core::IsHttpToken(call->request.method)) {
            Invoke(call->done, Error::Make(ErrorCode::kBadRequest, "invalid HTTP method"));
            return;
        }
        for (const auto& [name, value] : call->request.headers) {
            if (!core::IsHttpToken(name) || !core::IsSafeHeaderValue(value)) {
                Invoke(call->done,
                       Error::Make(ErrorCode::kBadRequest, core::IsHttpToken(name)
                                                               ? "invalid value for header " + name
                                                               : "invalid header name"));
                return;
            }
        }
        auto origin = CheckUrl(call->request.url);
        if (!origin) {
            Invoke(call->done, origin.error());
            return;
        }
        call->origin = std::move(*origin);
        Call& ref = *call;
        calls.emplace(ref.id, std::move(call));
        StartAttempt(ref);
    }

    void StartAttempt(Call& call) {
        ++call.attempts;
        call.target = call.origin;
        call.method = call.request.method;
        call.drop_body = false;
        call.headers = call.request.headers;
        call.hop = 0;
        SendHop(call);
    }

    // Every request sent upstream waits for a token first.
    void SendHop(Call& call) {
        const auto now = Steady::now();
        const auto wait =
            limiter.Reserve(call.request.rate_limit_key, call.request.rate_limit, now);
        if (wait.count() > 0) {
            AddTimer(now + wait, call, Wake::kResolve);
            return;
        }
        Resolve(call);
    }

    void Resolve(Call& call) {
        if (!call.deadline) {
            call.deadline = Steady::now() + call.request.retry.max_total;
        }
        if (call.target.IsLiteral()) {
            // No DNS: the check is pure and quick, so it runs here.
            OnResolved(call, ResolveAndCheck(policy, resolver, call.target));
            return;
        }
        const std::string& host = call.target.host;
        if (auto cached = dns_answers.find(host); cached != dns_answers.end()) {
            if (cached->second.expires > Steady::now()) {
                OnResolved(call, CheckResolved(policy, call.target, cached->second.addresses));
                return;
            }
            dns_answers.erase(cached);
        }
        auto [waiting, first] = dns_waiters.try_emplace(host);
        waiting->second.push_back(call.id);
        if (!first) {
            return;  // a lookup of this name is on its way: its answer serves this call too
        }
        dns_pool->Post([this, host, port = call.target.port] {
            Post(LookupDone{host, resolver.Resolve(host, port)});
        });
    }

    // A lookup came back: keep a good answer for dns_cache_ttl, and check it for every call
    // that waited for it (each against its own target: the guard runs on every use).
    void OnLookupDone(LookupDone& done) {
        if (done.answer && !done.answer->empty() && settings.dns_cache_ttl.count() > 0) {
            if (dns_answers.size() >= kMaxCachedNames) {
                dns_answers.clear();
            }
            dns_answers[done.host] =
                CachedAnswer{*done.answer, Steady::now() + settings.dns_cache_ttl};
        }
        auto waiting = dns_waiters.extract(done.host);
        if (waiting.empty()) {
            return;
        }
        for (const std::uint64_t id : waiting.mapped()) {
            if (Call* call = Find(id)) {
                OnResolved(*call, done.answer ? CheckResolved(policy, call->target, *done.answer)
                                              : core::Result<ResolvedTarget>(done.answer.error()));
            }
        }
    }

    void OnResolved(Call& call, core::Result<ResolvedTarget> resolved) {
        if (!resolved) {
            Error error = resolved.error();
            if (error.code == ErrorCode::kDestinationNotAllowed ||
                error.code == ErrorCode::kBadRequest) {
                Finish(call, std::move(error));
                return;
            }
            // Any other resolver failure is a DNS failure, whatever code the resolver chose.
            error.code = ErrorCode::kUpstreamUnreachable;
            error.message = "upstream unreachable: could not resolve host " + call.target.host;
            AttemptFailed(call, std::move(error));
            return;
        }
        StartTransfer(call, *resolved);
    }

    void StartTransfer(Call& call, const ResolvedTarget& resolved) {
        const auto now = Steady::now();
        const auto left = std::chrono::floor<milliseconds>(*call.deadline - now);
        if (left.count() <= 0) {
            AttemptFailed(call, Error::Make(ErrorCode::kUpstreamTimeout,
                                            "upstream timed out: " + HostPort(call.target),
                                            "max_total reached before the request was sent"));
            return;
        }
        auto transfer = std::make_unique<Transfer>();
        transfer->pinned = resolved.address;
        transfer->max_body = call.request.max_response_bytes;
        if (auto error =
                Configure(call, resolved, *transfer, std::min(call.request.total_timeout, left))) {
            Finish(call, std::move(*error));
            return;
        }
        if (curl_multi_add_handle(multi, transfer->easy) != CURLM_OK) {
            Finish(call, Error::Make(ErrorCode::kUnavailable, "outbound client failed",
                                     "curl_multi_add_handle failed"));
            return;
        }
        transfer->multi = multi;
        call.transfer = std::move(transfer);
    }

    // Sets up the easy handle for the call's current hop. Returns an error if curl refuses an
    // option (the transfer must not run with a weaker configuration).
    std::optional<Error> Configure(Call& call, const ResolvedTarget& resolved, Transfer& t,
                                   milliseconds timeout) {
        t.easy = easy_handles.Take();
        t.pool = &easy_handles;
        if (t.easy == nullptr) {
            return Error::Make(ErrorCode::kUnavailable, "outbound client failed",
                               "curl_easy_init failed");
        }
        const std::string entry = CurlResolveEntry(resolved);
        if (!entry.empty()) {
            t.resolve_list = curl_slist_append(nullptr, entry.c_str());
        }
        bool list_ok = entry.empty() || t.resolve_list != nullptr;
        auto append = [&](const std::string& line) {
            curl_slist* next = curl_slist_append(t.header_list, line.c_str());
            if (next == nullptr) {
                list_ok = false;
                return;
            }
            t.header_list = next;
        };
        for (const auto& header : call.headers) {
            if (call.drop_body &&
                std::any_of(std::begin(kBodyHeaders), std::end(kBodyHeaders),
                            [&](std::string_view h) { return SameName(h, header.first); })) {
                continue;
            }
            // "Name;" is curl's way to send a header with an empty value.
            std::string line = header.first;
            line += header.second.empty() ? ";" : ": ";
            line += header.second;
            append(line);
        }
        if (!HasHeader(call.headers, "Expect")) {
            append("Expect:");
        }
        static const std::string kNoBody;
        const std::string& body = call.drop_body ? kNoBody : call.request.body;
        const bool is_get = call.method == "GET";
        const bool is_head = call.method == "HEAD";
        const bool send_body = !is_head && !(is_get && body.empty()) &&
                               (!body.empty() || call.method == "POST" || call.method == "PUT" ||
                                call.method == "PATCH");
        if (send_body && !HasHeader(call.headers, "Content-Type")) {
            append("Content-Type:");
        }
        if (!list_ok) {
            return Error::Make(ErrorCode::kUnavailable, "outbound client failed",
                               "curl_slist_append failed");
        }

        CURLcode rc = CURLE_OK;
        auto set = [&](CURLoption option, auto value) {
            if (rc == CURLE_OK) {
                rc = curl_easy_setopt(t.easy, option, value);
            }
        };
        const std::string url = call.target.Url();
        set(CURLOPT_URL, url.c_str());
        set(CURLOPT_PRIVATE, static_cast<void*>(&call));
        set(CURLOPT_NOSIGNAL, 1L);
        set(CURLOPT_PROTOCOLS_STR, "http,https");
        set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
        set(CURLOPT_FOLLOWLOCATION, 0L);
        set(CURLOPT_PROXY, "");
        set(CURLOPT_SSL_VERIFYPEER, 1L);
        set(CURLOPT_SSL_VERIFYHOST, 2L);
        if (!settings.ca_file.empty()) {
            set(CURLOPT_CAINFO, settings.ca_file.c_str());
        }
        set(CURLOPT_PATH_AS_IS, 1L);  // send the path the guard checked, not a re-normalized one
        if (t.resolve_list != nullptr) {
            set(CURLOPT_RESOLVE, t.resolve_list);
        }
        set(CURLOPT_OPENSOCKETFUNCTION, &Transfer::OpenSocket);
        set(CURLOPT_OPENSOCKETDATA, static_cast<void*>(&t));
        set(CURLOPT_CONNECTTIMEOUT_MS,
            static_cast<long>(std::max<std::int64_t>(
                std::min(call.request.connect_timeout, timeout).count(), 1)));
        set(CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<std::int64_t>(timeout.count(), 1)));
        set(CURLOPT_WRITEFUNCTION, &Transfer::OnBody);
        set(CURLOPT_WRITEDATA, static_cast<void*>(&t));
        set(CURLOPT_HEADERFUNCTION, &Transfer::OnHeader);
        set(CURLOPT_HEADERDATA, static_cast<void*>(&t));
        set(CURLOPT_ERRORBUFFER, t.error_buffer);
        if (t.header_list != nullptr) {
            set(CURLOPT_HTTPHEADER, t.header_list);
        }
        // Ask for compressed answers and get them decoded (gzip, deflate, br, zstd: what this
        // libcurl supports), as HTTP clients do; max_response_bytes counts decoded bytes, so a
        // small compressed answer cannot expand past the cap. A caller that sets its own
        // Accept-Encoding gets the bytes as sent.
        if (!HasHeader(call.headers, "Accept-Encoding")) {
            set(CURLOPT_ACCEPT_ENCODING, "");
            t.decoded = true;
        }
        if (!settings.user_agent.empty() && !HasHeader(call.headers, "User-Agent")) {
            set(CURLOPT_USERAGENT, settings.user_agent.c_str());
        }
        if (is_head) {
            set(CURLOPT_NOBODY, 1L);
        } else if (is_get && !send_body) {
            set(CURLOPT_HTTPGET, 1L);
        } else {
            if (call.method != "POST") {
                set(CURLOPT_CUSTOMREQUEST, call.method.c_str());
            }
            if (send_body) {
                // The body stays in call.request (or the static empty string) until the transfer
                // is gone: the Call owns the Transfer.
                set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
                set(CURLOPT_POSTFIELDS, body.data());
            }
        }
        if (rc != CURLE_OK) {
            return Error::Make(ErrorCode::kUnavailable, "outbound client failed",
                               std::string("curl_easy_setopt: ") + curl_easy_strerror(rc));
        }
        return std::nullopt;
    }

    void OnTransferDone(Call& call, CURLcode code) {
        std::unique_ptr<Transfer> t = std::move(call.transfer);
        long status = 0;
        curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
        const std::string detail = t->error_buffer;
        if (t->refused) {
            const std::string address = t->refused_address;
            t.reset();
            Finish(call, Error::Make(ErrorCode::kDestinationNotAllowed,
                                     "destination not allowed: address not approved",
                                     "curl tried to connect to " + address + " for " +
                                         HostPort(call.target)));
            return;
        }
        // libcurl refuses a response header line over 100 KiB as "out of memory", after the
        // status line and before the header callback (and its cap) sees the line.
        if (t->header_overflow || (code == CURLE_OUT_OF_MEMORY && status != 0)) {
            t.reset();
            Finish(call,
                   Error::Make(ErrorCode::kUpstreamTooLarge,
                               "upstream response headers too large: " + HostPort(call.target)));
            return;
        }
        if (code == CURLE_BAD_CONTENT_ENCODING) {
            // The upstream answered, with a body it says is encoded in a way that does not
            // decode (corrupt, or an encoding libcurl lacks): the same again would not help.
            t.reset();
            Finish(call, Error::Make(ErrorCode::kUpstreamUnreachable,
                                     "upstream sent a body that cannot be decoded (its "
                                     "Content-Encoding): " +
                                         HostPort(call.target),
                                     "curl: " + detail));
            return;
        }
        const bool got_response = code == CURLE_OK || (code == CURLE_WRITE_ERROR && t->truncated);
        if (!got_response || status == 0) {
            t.reset();
            AttemptFailed(call, MapCurlError(code, detail.c_str(), call.target));
            return;
        }
        OutboundResponse response;
        response.status = static_cast<int>(status);
        response.headers = std::move(t->headers);
        const std::string* encoding = FindHeader(response.headers, "Content-Encoding");
        if (t->decoded && encoding != nullptr && !SameName(TrimSpace(*encoding), "identity")) {
            // The body is decoded: the encoding and the encoded length no longer describe it.
            RemoveHeader(response.headers, "Content-Encoding");
            RemoveHeader(response.headers, "Content-Length");
        }
        response.body = std::move(t->body);
        response.truncated = t->truncated;
        t.reset();

        const bool redirect = response.status == 301 || response.status == 302 ||
                              response.status == 303 || response.status == 307 ||
                              response.status == 308;
        if (redirect && call.request.max_redirects > 0) {
            if (const std::string* location = FindHeader(response.headers, "Location")) {
                FollowRedirect(call, response.status, *location);
                return;
            }
        }
        AttemptOutcome outcome;
        outcome.status = response.status;
        if (const std::string* retry_after = FindHeader(response.headers, "Retry-After")) {
            outcome.retry_after = ParseRetryAfter(*retry_after, clock.Now());
        }
        if (auto delay = NextRetryDelay(call.request.retry, call.request.method,
                                        call.request.idempotency_key_present, call.attempts,
                                        outcome, Remaining(call), UnitRandom())) {
            AddTimer(Steady::now() + *delay, call, Wake::kStartAttempt);
            return;
        }
        Finish(call, std::move(response));
    }

    void FollowRedirect(Call& call, int status, const std::string& location) {
        auto next = CheckRedirect(call.target, location, call.hop + 1, call.request.max_redirects);
        if (!next) {
            Error error = next.error();
            if (error.code == ErrorCode::kBadRequest) {
                // The upstream's Location is at fault, not the caller's request.
                error.code = ErrorCode::kUpstreamUnreachable;
                error.message = "upstream sent an " + error.message;
            }
            Finish(call, std::move(error));
            return;
        }
        ++call.hop;
        if (!SameOrigin(call.target, *next)) {
            for (const auto& name : call.request.credential_headers) {
                RemoveHeader(call.headers, name);
            }
            for (std::string_view name : kAlwaysCredentialHeaders) {
                RemoveHeader(call.headers, name);
            }
        }
        // As browsers do (Fetch standard): 301/302 turn POST into GET, 303 turns everything but
        // HEAD into GET; the body and its headers go. 307/308 keep method and body.
        const bool to_get = ((status == 301 || status == 302) && call.method == "POST") ||
                            (status == 303 && call.method != "GET" && call.method != "HEAD");
        if (to_get) {
            call.method = "GET";
            call.drop_body = true;
        }
        call.target = std::move(*next);
        SendHop(call);
    }

    milliseconds Remaining(const Call& call) const {
        if (!call.deadline) {
            return call.request.retry.max_total;
        }
        return std::chrono::floor<milliseconds>(*call.deadline - Steady::now());
    }

    void AttemptFailed(Call& call, Error error) {
        AttemptOutcome outcome;
        outcome.error = error.code;
        if (auto delay = NextRetryDelay(call.request.retry, call.request.method,
                                        call.request.idempotency_key_present, call.attempts,
                                        outcome, Remaining(call), UnitRandom())) {
            AddTimer(Steady::now() + *delay, call, Wake::kStartAttempt);
            return;
        }
        Finish(call, std::move(error));
    }

    // Removes the call and runs its completion. `call` is gone afterwards.
    void Finish(Call& call, core::Result<OutboundResponse> result) {
        auto node = calls.extract(call.id);
        std::unique_ptr<Call> owned = std::move(node.mapped());
        owned->transfer.reset();
        const auto duration = std::chrono::duration_cast<milliseconds>(Steady::now() - owned->sent);
        if (result) {
            result->attempts = owned->attempts;
            result->duration = duration;
            result->final_url = owned->target.Url();
        } else if (owned->attempts > 1) {
            Error error = result.error();  // result::error() returns a copy
            error.message += " (after " + std::to_string(owned->attempts) + " attempts)";
            result = std::move(error);
        }
        Invoke(owned->done, std::move(result));
    }
};

OutboundClient::OutboundClient(const EgressPolicy& policy, Resolver& resolver,
                               const core::Clock& clock, ClientSettings settings)
    : impl_(std::make_unique<Impl>(policy, resolver, clock, std::move(settings))) {
    InitCurlOnce();
    impl_->multi = curl_multi_init();
    if (impl_->multi == nullptr) {
        throw std::runtime_error("curl_multi_init failed");
    }
    // Keep idle connections for reuse even when few calls are in flight (libcurl's default
    // cache holds only four per handle in the multi at that moment).
    curl_multi_setopt(impl_->multi, CURLMOPT_MAXCONNECTS, impl_->settings.connection_cache_size);
    if (impl_->settings.max_host_connections > 0) {
        curl_multi_setopt(impl_->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
                          impl_->settings.max_host_connections);
    }
    if (impl_->settings.max_total_connections > 0) {
        curl_multi_setopt(impl_->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
                          impl_->settings.max_total_connections);
    }
    impl_->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    impl_->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (impl_->epoll_fd < 0 || impl_->wake_fd < 0) {
        throw std::runtime_error("outbound client: cannot create its event descriptors");
    }
    epoll_event wake{};
    wake.events = EPOLLIN;
    wake.data.fd = impl_->wake_fd;
    epoll_ctl(impl_->epoll_fd, EPOLL_CTL_ADD, impl_->wake_fd, &wake);
    curl_multi_setopt(impl_->multi, CURLMOPT_SOCKETFUNCTION, &Impl::OnCurlSocket);
    curl_multi_setopt(impl_->multi, CURLMOPT_SOCKETDATA, impl_.get());
    curl_multi_setopt(impl_->multi, CURLMOPT_TIMERFUNCTION, &Impl::OnCurlTimer);
    curl_multi_setopt(impl_->multi, CURLMOPT_TIMERDATA, impl_.get());
    impl_->dns_pool.emplace(impl_->settings.resolver_threads);
    impl_->loop = std::thread([impl = impl_.get()] { impl->Run(); });
}

OutboundClient::~OutboundClient() {
    {
        std::lock_guard lock(impl_->inbox_mu);
        impl_->accepting = false;
    }
    impl_->stopping.store(true);
    impl_->wake_pending.store(false);
    impl_->WakeLoop();
    impl_->loop.join();
    // DNS jobs still running post into the inbox, which nobody drains any more.
    impl_->dns_pool->Stop();
    impl_->easy_handles.Clear();
    // Closing cached connections calls the socket callback: the epoll set must still exist.
    curl_multi_cleanup(impl_->multi);
    ::close(impl_->wake_fd);
    ::close(impl_->epoll_fd);
}

void OutboundClient::Send(OutboundRequest request, Completion done) {
    const auto sent = Steady::now();
    {
        std::unique_lock lock(impl_->inbox_mu);
        if (!impl_->accepting) {
            lock.unlock();
            Invoke(done, Stopped());
            return;
        }
        impl_->inbox.push_back(NewCall{std::move(request), std::move(done), sent});
    }
    impl_->WakeLoop();
}

core::Result<OutboundResponse> OutboundClient::SendAndWait(OutboundRequest request) {
    std::promise<core::Result<OutboundResponse>> promise;
    auto future = promise.get_future();
    Send(std::move(request), [&promise](core::Result<OutboundResponse> result) {
        promise.set_value(std::move(result));
    });
    return future.get();
}

}  // namespace gc::outbound
