// The execute benchmark (issue 5, point 8): the same load client calls a local upstream directly
// and through POST /api/execute of a started `connector`; prints throughput and added latency.
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_upstream.hpp"
#include "connector_server.hpp"
#include "load_client.hpp"
#include "machine_cpu.hpp"
#include "null_proxy.hpp"

namespace gc::bench {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;

struct Options {
    std::string connector;
    std::vector<int> concurrency{1, 64, 256};
    std::vector<std::string> upstreams{"fast", "slow"};
    int duration_ms = 2000;
    int warmup_ms = 300;
    int rounds = 3;
    std::uint64_t max_requests = 200000;
    int slow_ms = 50;
    int upstream_threads = 2;
    std::string log_level = "warn";
    int pool_size = 0;  // 0: the server's default
    // The name the integration calls the upstream by: a host name makes every call go through
    // the connector's resolver (and its DNS cache); 127.0.0.1 skips DNS.
    std::string upstream_host = "127.0.0.1";
    int dns_cache_seconds = -1;  // CONNECTOR_DNS_CACHE_SECONDS; -1: the server's default
    bool keep = false;
};

// CPU used during one measured run, in seconds, and its wall time.
struct Usage {
    double wall = 0;
    double bench_cpu = 0;   // this process: load client and upstream
    double server_cpu = 0;  // the connector
    MachineCpu machine;     // all cores, every process
};

double SelfCpuSeconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// RunLoad, with the CPU the bench and the server used meanwhile.
LoadResult Measure(const LoadSpec& spec, const ConnectorServer& server, Usage& usage) {
    const double bench_before = SelfCpuSeconds();
    const double server_before = server.CpuSeconds();
    const MachineCpu machine_before = ReadMachineCpu();
    const auto begin = std::chrono::steady_clock::now();
    LoadResult r = RunLoad(spec);
    usage.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    usage.bench_cpu = SelfCpuSeconds() - bench_before;
    usage.server_cpu = server.CpuSeconds() - server_before;
    usage.machine = ReadMachineCpu() - machine_before;
    return r;
}

// One row of the table: the same load against the upstream, through the connector and
// through the null proxy (each the round with the median throughput of its kind).
struct Row {
    std::string upstream;
    int concurrency = 0;
    LoadResult direct;
    LoadResult via;
    LoadResult proxy;
    std::uint64_t upstream_connections_via = 0;  // accepted from the connector during its run
    std::uint64_t upstream_requests_via = 0;     // answered to the connector during its run
    Usage direct_usage;
    Usage via_usage;
};

// Throws std::runtime_error naming the step when r is not the expected status.
json::value Expect(const Reply& r, long status, const std::string& step) {
    if (r.status != status) {
        throw std::runtime_error(step + ": expected " + std::to_string(status) + ", got " +
                                 std::to_string(r.status) + " " + r.error + " " +
                                 r.body.substr(0, 500));
    }
    return json::parse(r.body);
}

// "gc_session=..." from the Set-Cookie header lines, or "".
std::string SessionCookie(const std::string& headers) {
    std::istringstream lines(headers);
    std::string line;
    while (std::getline(lines, line)) {
        constexpr std::string_view kName = "set-cookie:";
        if (line.size() > kName.size() &&
            std::equal(kName.begin(), kName.end(), line.begin(), [](char a, char b) {
                return a == std::tolower(static_cast<unsigned char>(b));
            })) {
            std::string value = line.substr(kName.size());
            value.erase(0, value.find_first_not_of(' '));
            return value.substr(0, value.find(';'));
        }
    }
    return {};
}

// Owner, API token and one custom integration (auth "none") with actions "fast" and "slow".
// Returns {bearer header, provider}.
std::pair<std::string, std::string> SetUpConnector(const std::string& base,
                                                   const std::string& upstream_host,
                                                   std::uint16_t upstream_port) {
    const json::object owner{
        {"email", "bench@example.com"}, {"password", "bench password 1234"}, {"name", "Bench"}};
    const Reply setup = Fetch("POST", base + "/api/auth/setup", json::serialize(owner),
                              {"Content-Type: application/json"});
    const json::value session = Expect(setup, 201, "POST /api/auth/setup");
    const std::string cookie = SessionCookie(setup.headers);
    const std::string csrf(session.at("csrf_token").as_string());

    const Reply token =
        Fetch("POST", base + "/api/tokens", R"({"name":"bench"})",
              {"Content-Type: application/json", "Cookie: " + cookie, "X-CSRF-Token: " + csrf});
    const std::string bearer =
        "Authorization: Bearer " +
        std::string(Expect(token, 201, "POST /api/tokens").at("token").as_string());

    const json::object integration{
        {"name", "bench_upstream"},
        {"auth_type", "none"},
        {"base_url", "http://" + upstream_host + ":" + std::to_string(upstream_port)},
        {"actions",
         json::array{
             json::object{{"action_id", "fast"}, {"http_method", "GET"}, {"endpoint", "/fast"}},
             json::object{{"action_id", "slow"}, {"http_method", "GET"}, {"endpoint", "/slow"}}}}};
    const Reply created =
        Fetch("POST", base + "/api/custom-integrations", json::serialize(integration),
              {"Content-Type: application/json", bearer});
    const std::string id(
        Expect(created, 201, "POST /api/custom-integrations").at("id").as_string());
    return {bearer, "custom_" + id};
}

std::string Fixed(double v, int digits) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.*f", digits, v);
    return buf;
}

void PrintTable(const std::vector<Row>& rows, std::ostream& out) {
    out << "| upstream | conc | rps direct | rps via | via/direct | rps null proxy | "
           "proxy/direct | p50 direct | p99 direct | p50 via | p99 via | added p50 | added p99 | "
           "errors d/v/p |\n"
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    for (const auto& r : rows) {
        const double ratio = r.direct.rps > 0 ? r.via.rps / r.direct.rps : 0;
        const double ceiling = r.direct.rps > 0 ? r.proxy.rps / r.direct.rps : 0;
        out << "| " << r.upstream << " | " << r.concurrency << " | " << Fixed(r.direct.rps, 0)
            << " | " << Fixed(r.via.rps, 0) << " | " << Fixed(ratio, 2) << " | "
            << Fixed(r.proxy.rps, 0) << " | " << Fixed(ceiling, 2) << " | "
            << Fixed(r.direct.p50_ms, 2) << " | " << Fixed(r.direct.p99_ms, 2) << " | "
            << Fixed(r.via.p50_ms, 2) << " | " << Fixed(r.via.p99_ms, 2) << " | "
            << Fixed(r.via.p50_ms - r.direct.p50_ms, 2) << " | "
            << Fixed(r.via.p99_ms - r.direct.p99_ms, 2) << " | " << r.direct.errors << "/"
            << r.via.errors << "/" << r.proxy.errors << " |\n";
    }
}

std::string Percent(double cpu, double wall) { return wall > 0 ? Fixed(100 * cpu / wall, 0) : "-"; }

void PrintResourceTable(const std::vector<Row>& rows, std::ostream& out) {
    out << "| upstream | conc | direct: bench CPU % | via: bench CPU % | via: connector CPU % | "
           "connector CPU ms/request | via: machine idle % / steal % | client conns d/v | "
           "connector→upstream conns |\n"
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    for (const auto& r : rows) {
        const auto done = r.via.ok + r.via.late_ok + r.via.errors;
        out << "| " << r.upstream << " | " << r.concurrency << " | "
            << Percent(r.direct_usage.bench_cpu, r.direct_usage.wall) << " | "
            << Percent(r.via_usage.bench_cpu, r.via_usage.wall) << " | "
            << Percent(r.via_usage.server_cpu, r.via_usage.wall) << " | "
            << (done > 0 ? Fixed(1000 * r.via_usage.server_cpu / static_cast<double>(done), 3)
                         : "-")
            << " | " << Percent(r.via_usage.machine.idle, r.via_usage.machine.Total()) << " / "
            << Percent(r.via_usage.machine.steal, r.via_usage.machine.Total()) << " | "
            << r.direct.new_connections << "/" << r.via.new_connections << " | "
            << r.upstream_connections_via << " |\n";
    }
}

const Row* Find(const std::vector<Row>& rows, const std::string& upstream, int concurrency) {
    for (const auto& r : rows) {
        if (r.upstream == upstream && r.concurrency == concurrency) {
            return &r;
        }
    }
    return nullptr;
}

// Prints whether each aim of issue 5 point 8 is met; returns false when one measured is missed.
bool ReportAims(const std::vector<Row>& rows, std::ostream& out) {
    struct Aim {
        std::string upstream;
        int concurrency;
        double min_ratio;
        std::string text;
    };
    const std::vector<Aim> aims{
        {"fast", 64, 0.5, "fast upstream, concurrency 64: via >= 0.50 x direct"},
        {"slow", 256, 0.9, "slow upstream, concurrency 256: via >= 0.90 x direct"}};
    bool all = true;
    for (const auto& aim : aims) {
        const Row* r = Find(rows, aim.upstream, aim.concurrency);
        if (r == nullptr) {
            out << "aim (" << aim.text << "): not measured\n";
            continue;
        }
        const double ratio = r->direct.rps > 0 ? r->via.rps / r->direct.rps : 0;
        const double ceiling = r->direct.rps > 0 ? r->proxy.rps / r->direct.rps : 0;
        const bool met = ratio >= aim.min_ratio;
        all = all && met;
        out << "aim (" << aim.text << "): " << (met ? "MET" : "MISSED") << " at " << Fixed(ratio, 2)
            << " (the null proxy: " << Fixed(ceiling, 2) << ")\n";
    }
    return all;
}

std::string LoadAverage() {
    std::ifstream in("/proc/loadavg");
    std::string a, b, c;
    in >> a >> b >> c;
    return a + " " + b + " " + c;
}

int Run(const Options& opt) {
    // 256 client connections, as many accepted by the server and by the upstream, and the
    // server's own to the upstream: raise the descriptor limit as far as allowed.
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }

    BenchUpstream upstream(opt.upstream_threads, milliseconds(opt.slow_ms));
    NullProxy proxy(opt.upstream_threads, upstream.Port());
    std::map<std::string, std::string> env{
        {"CONNECTOR_EGRESS_ALLOW", opt.upstream_host + ":" + std::to_string(upstream.Port())},
        {"CONNECTOR_LOG_LEVEL", opt.log_level},
        {"CONNECTOR_LOGIN_MAX_ATTEMPTS_PER_ADDRESS", "1000000"},
    };
    if (opt.pool_size > 0) {
        env["CONNECTOR_DATABASE_POOL_SIZE"] = std::to_string(opt.pool_size);
    }
    if (opt.dns_cache_seconds >= 0) {
        env["CONNECTOR_DNS_CACHE_SECONDS"] = std::to_string(opt.dns_cache_seconds);
    }
    ConnectorServer server(opt.connector, env);
    if (opt.keep) {
        server.KeepWorkDir();
    }
    const auto [bearer, provider] =
        SetUpConnector(server.BaseUrl(), opt.upstream_host, upstream.Port());

    std::cout << "execute_benchmark: connector " << opt.connector << " (pid " << server.Pid()
              << ", SQLite in " << server.WorkDir() << ", CONNECTOR_LOG_LEVEL=" << opt.log_level
              << ", pool " << (opt.pool_size > 0 ? std::to_string(opt.pool_size) : "default")
              << ", DNS cache "
              << (opt.dns_cache_seconds >= 0 ? std::to_string(opt.dns_cache_seconds) + " s"
                                             : "default")
              << ", upstream called as " << opt.upstream_host
              << "); upstream 127.0.0.1:" << upstream.Port() << " (" << opt.upstream_threads
              << " threads, slow = " << opt.slow_ms << " ms); null proxy 127.0.0.1:" << proxy.Port()
              << "; " << opt.rounds << " rounds of " << opt.duration_ms << " ms runs after "
              << opt.warmup_ms << " ms warm-up, at most " << opt.max_requests << " requests; "
              << std::thread::hardware_concurrency() << " cores, load average " << LoadAverage()
              << "\n\n"
              << std::flush;

    std::vector<Row> rows;
    for (const auto& kind : opt.upstreams) {
        for (int c : opt.concurrency) {
            LoadSpec direct;
            direct.url = "http://127.0.0.1:" + std::to_string(upstream.Port()) + "/" + kind;
            direct.concurrency = c;
            direct.max_requests = opt.max_requests;
            direct.expect_in_body = R"("ok":true)";

            LoadSpec via;
            via.url = server.BaseUrl() + "/api/execute";
            via.method = "POST";
            via.body = json::serialize(
                json::object{{"provider", provider}, {"action", kind}, {"params", json::object{}}});
            via.headers = {"Content-Type: application/json", bearer};
            via.concurrency = c;
            via.max_requests = opt.max_requests;
            via.expect_in_body = R"("status_code":200)";

            LoadSpec proxied = direct;
            proxied.url = "http://127.0.0.1:" + std::to_string(proxy.Port()) + "/" + kind;

            // Rounds interleave the three kinds, so a burst of load from elsewhere on the
            // machine hits each about equally; each kind reports its median round.
            struct Run {
                LoadResult result;
                Usage usage;
                std::uint64_t upstream_connections = 0;
                std::uint64_t upstream_requests = 0;
            };
            std::vector<Run> directs, vias, proxies;
            for (int round = 0; round < std::max(1, opt.rounds); ++round) {
                for (auto [spec, runs] : {std::pair{&direct, &directs}, std::pair{&via, &vias},
                                          std::pair{&proxied, &proxies}}) {
                    LoadSpec warm = *spec;
                    warm.duration = milliseconds(opt.warmup_ms);
                    RunLoad(warm);
                    spec->duration = milliseconds(opt.duration_ms);
                    Run run;
                    const std::uint64_t connections_before = upstream.Connections();
                    const std::uint64_t requests_before = upstream.Requests();
                    run.result = Measure(*spec, server, run.usage);
                    run.upstream_connections = upstream.Connections() - connections_before;
                    run.upstream_requests = upstream.Requests() - requests_before;
                    runs->push_back(run);
                }
            }
            // Every 200 from /api/execute must be an upstream call, not a cached answer.
            for (auto& run : vias) {
                if (run.upstream_requests < run.result.ok + run.result.late_ok) {
                    std::cerr << kind << " c=" << c << ": the upstream answered "
                              << run.upstream_requests << " requests for "
                              << run.result.ok + run.result.late_ok << " successful executes\n";
                    ++run.result.errors;
                }
            }
            // The median round by throughput, carrying every round's errors.
            auto median = [](std::vector<Run> runs) {
                std::uint64_t errors = 0;
                std::string first_error;
                for (const auto& run : runs) {
                    errors += run.result.errors;
                    if (first_error.empty()) {
                        first_error = run.result.first_error;
                    }
                }
                std::sort(runs.begin(), runs.end(),
                          [](const Run& a, const Run& b) { return a.result.rps < b.result.rps; });
                Run m = runs[runs.size() / 2];
                m.result.errors = errors;
                m.result.first_error = first_error;
                return m;
            };
            const Run d = median(directs);
            const Run v = median(vias);
            const Run p = median(proxies);
            Row row{.upstream = kind,
                    .concurrency = c,
                    .direct = d.result,
                    .via = v.result,
                    .proxy = p.result,
                    .upstream_connections_via = v.upstream_connections,
                    .upstream_requests_via = v.upstream_requests,
                    .direct_usage = d.usage,
                    .via_usage = v.usage};
            for (const LoadResult* r : {&row.direct, &row.via, &row.proxy}) {
                if (!r->first_error.empty()) {
                    std::cerr << kind << " c=" << c << " first error: " << r->first_error << "\n";
                }
            }
            std::cerr << kind << " c=" << c << ": direct " << Fixed(row.direct.rps, 0)
                      << " rps, via " << Fixed(row.via.rps, 0) << " rps, null proxy "
                      << Fixed(row.proxy.rps, 0) << " rps\n";
            rows.push_back(row);
        }
    }

    std::cout << "\n";
    PrintTable(rows, std::cout);
    std::cout << "\nLatencies in ms; rps counts 200s completed within the run.\n\n";
    PrintResourceTable(rows, std::cout);
    std::cout << "\nCPU % of one core over each measured run (the bench process holds the load "
                 "client and the upstream). Connections: new TCP connections the client opened "
                 "(to the upstream directly, to the connector via), and those the upstream "
                 "accepted from the connector during the via run. Machine: the share of all "
                 "cores' time that was idle, and that the hypervisor gave to other guests "
                 "(steal), during the via run.\n\n";
    ReportAims(rows, std::cout);
    const int exit_code = server.Stop();
    std::cout << "connector stopped with exit code " << exit_code << "\n";
    const std::string tail = server.StderrTail(2000);
    if (!tail.empty()) {
        std::cout << "connector stderr (tail):\n" << tail << "\n";
    }
    std::uint64_t errors = 0;
    for (const auto& r : rows) {
        errors += r.direct.errors + r.via.errors + r.proxy.errors;
    }
    return errors == 0 ? 0 : 1;
}

}  // namespace
}  // namespace gc::bench

int main(int argc, char** argv) {
    try {
        gc::bench::Options opt;
#ifdef GC_CONNECTOR_BIN
        opt.connector = GC_CONNECTOR_BIN;
#endif
        CLI::App app{"POST /api/execute against calling the same local upstream directly"};
        app.add_option("--connector", opt.connector, "path of the connector binary")
            ->capture_default_str();
        app.add_option("--concurrency", opt.concurrency, "requests in flight (list)")
            ->delimiter(',')
            ->capture_default_str();
        app.add_option("--upstream", opt.upstreams, "fast and/or slow (list)")
            ->delimiter(',')
            ->check(CLI::IsMember({"fast", "slow"}))
            ->capture_default_str();
        app.add_option("--duration-ms", opt.duration_ms, "length of each measured run")
            ->capture_default_str();
        app.add_option("--warmup-ms", opt.warmup_ms, "warm-up before each measured run")
            ->capture_default_str();
        app.add_option("--rounds", opt.rounds, "rounds of direct, via and null proxy (median)")
            ->check(CLI::Range(1, 15))
            ->capture_default_str();
        app.add_option("--max-requests", opt.max_requests, "requests per run at most")
            ->capture_default_str();
        app.add_option("--slow-ms", opt.slow_ms, "delay of the slow upstream")
            ->capture_default_str();
        app.add_option("--upstream-threads", opt.upstream_threads, "threads of the mock upstream")
            ->capture_default_str();
        app.add_option("--log-level", opt.log_level, "CONNECTOR_LOG_LEVEL for the server")
            ->check(CLI::IsMember({"debug", "info", "warn", "error"}))
            ->capture_default_str();
        app.add_option("--pool-size", opt.pool_size,
                       "CONNECTOR_DATABASE_POOL_SIZE (0: the default)")
            ->capture_default_str();
        app.add_option("--upstream-host", opt.upstream_host,
                       "name the integration calls the upstream by (a name that resolves to "
                       "127.0.0.1, e.g. localhost, exercises DNS)")
            ->capture_default_str();
        app.add_option("--dns-cache-seconds", opt.dns_cache_seconds,
                       "CONNECTOR_DNS_CACHE_SECONDS (-1: the default)")
            ->check(CLI::Range(-1, 3600))
            ->capture_default_str();
        app.add_flag("--keep", opt.keep, "keep the server's temp dir (data, logs)");
        CLI11_PARSE(app, argc, argv);
        if (opt.connector.empty()) {
            std::cerr << "execute_benchmark: pass --connector <path of connector>\n";
            return 2;
        }
        return gc::bench::Run(opt);
    } catch (const std::exception& e) {
        std::cerr << "execute_benchmark: " << e.what() << "\n";
        return 2;
    }
}
