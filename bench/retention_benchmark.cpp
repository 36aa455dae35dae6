// What call-log retention costs on SQLite (calllog::SweepExecutions), and what it does to the calls
// being logged meanwhile:
//   1. a sweep that finds nothing to delete, over a workspace of --rows records (what every
//      interval costs once the log is at its bounds: the count cap's walk to its boundary);
//   2. a sweep that deletes --excess records beyond the cap, in batches of --batch;
//   3. the latency of single-record commits (as the log writer makes them at low load) while
//      sweep 2 runs, beside the same commits with no sweep, in the same run.
//
//   ./build/bench/retention_benchmark [--rows 1000000] [--excess 200000] [--batch 250]
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "calllog/execution_retention.hpp"
#include "store/execution_repository.hpp"
#include "store/migrations.hpp"

namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kWorkspace = "aaaaaaaa-0000-4000-8000-00000000000a";

gc::store::ExecutionRecord Record(gc::core::TimePoint at) {
    gc::store::ExecutionRecord rec;
    rec.id = gc::core::NewTimeOrderedUuid();
    rec.workspace_id = kWorkspace;
    rec.integration_name = "bench";
    rec.action_id = "list_items";
    rec.kind = "execute";
    rec.method = "GET";
    rec.url = "https://api.example.com/v1/items?limit=100&api_key=%5Bredacted%5D";
    rec.status = "success";
    rec.status_code = 200;
    rec.attempts = 1;
    rec.duration_ms = 12;
    rec.created_at = gc::core::FormatTimestamp(at);
    return rec;
}

// rows records, 4 per millisecond ending now, 1000 per transaction.
void Fill(gc::store::Database& db, long rows) {
    const auto now = std::chrono::system_clock::now();
    for (long first = 0; first < rows; first += 1000) {
        auto r = db.Transact({}, [&](gc::store::Tx& tx) {
            for (long i = first; i < std::min(rows, first + 1000); ++i) {
                gc::store::InsertExecution(tx,
                                           Record(now - std::chrono::milliseconds((rows - i) / 4)));
            }
        });
        if (!r) {
            throw std::runtime_error(r.error().internal);
        }
    }
}

struct Latencies {
    double p50_ms = 0;
    double p99_ms = 0;
    double max_ms = 0;
    std::size_t count = 0;
    std::size_t over_10ms = 0;
};

// Single-record commits, one after another, until stop.
Latencies CommitWhile(gc::store::Database& db, const std::atomic<bool>& stop) {
    std::vector<double> ms;
    while (!stop.load()) {
        const auto t0 = Clock::now();
        auto r = db.Transact({}, [&](gc::store::Tx& tx) {
            gc::store::InsertExecution(tx, Record(std::chrono::system_clock::now()));
        });
        if (!r) {
            throw std::runtime_error(r.error().internal);
        }
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    Latencies l;
    l.count = ms.size();
    if (!ms.empty()) {
        l.p50_ms = ms[ms.size() / 2];
        l.p99_ms = ms[ms.size() * 99 / 100];
        l.max_ms = ms.back();
        l.over_10ms = std::size_t(ms.end() - std::upper_bound(ms.begin(), ms.end(), 10.0));
    }
    return l;
}

double Seconds(Clock::time_point since) {
    return std::chrono::duration<double>(Clock::now() - since).count();
}

int Run(int argc, char** argv) {
    CLI::App app{"Call-log retention on SQLite: sweep cost, and commit latency during a sweep"};
    long rows = 1000000;
    long excess = 200000;
    int batch = gc::calllog::RetentionPolicy{}.batch_size;
    app.add_option("--rows", rows, "records kept in the workspace")
        ->check(CLI::Range(1000L, 20000000L));
    app.add_option("--excess", excess, "records beyond the cap that sweep 2 deletes")
        ->check(CLI::Range(1000L, 20000000L));
    app.add_option("--batch", batch, "records deleted per transaction")
        ->check(CLI::Range(1, 100000));
    CLI11_PARSE(app, argc, argv);

    char tmpl[] = "/tmp/gc-retention-bench-XXXXXX";
    const std::string dir = mkdtemp(tmpl);
    {
        auto opened =
            gc::store::OpenDatabase({.sqlite_path = dir + "/connector.db", .pool_size = 2});
        if (!opened || !gc::store::Migrate(**opened)) {
            std::fprintf(stderr, "cannot open the database in %s\n", dir.c_str());
            return 1;
        }
        auto& db = **opened;
        (void)db.Transact({}, [](gc::store::Tx& tx) {
            tx.Exec(
                "INSERT INTO workspaces (id, name, personal, created_at, updated_at)"
                " VALUES ($1, 'w', 1, 't', 't')",
                {std::string(kWorkspace)});
        });
        auto t = Clock::now();
        Fill(db, rows + excess);
        std::printf("filled %ld records in %.1f s\n", rows + excess, Seconds(t));

        const auto now = std::chrono::system_clock::now();
        const gc::calllog::RetentionPolicy cap{
            .max_age = std::chrono::hours(24 * 30), .max_per_workspace = rows, .batch_size = batch};
        std::atomic<bool> stop{false};
        std::thread baseline_thread;
        Latencies baseline;
        baseline_thread = std::thread([&] { baseline = CommitWhile(db, stop); });
        std::this_thread::sleep_for(std::chrono::seconds(2));
        stop = true;
        baseline_thread.join();

        stop = false;
        Latencies during;
        std::thread during_thread([&] { during = CommitWhile(db, stop); });
        t = Clock::now();
        auto deleting = gc::calllog::SweepExecutions(db, cap, now);
        const double delete_s = Seconds(t);
        stop = true;
        during_thread.join();
        if (!deleting) {
            std::fprintf(stderr, "sweep failed: %s\n", deleting.error().internal.c_str());
            return 1;
        }
        // The commits above added records; a second sweep removes as many of the oldest, and the
        // third finds nothing: that one is what every interval costs at the bounds.
        if (!gc::calllog::SweepExecutions(db, cap, std::chrono::system_clock::now())) {
            std::fprintf(stderr, "sweep failed\n");
            return 1;
        }
        t = Clock::now();
        auto idle = gc::calllog::SweepExecutions(db, cap, std::chrono::system_clock::now());
        const double idle_s = Seconds(t);
        if (!idle) {
            std::fprintf(stderr, "sweep failed: %s\n", idle.error().internal.c_str());
            return 1;
        }
        std::printf(
            "sweep deleting %lld beyond a cap of %ld, %d per transaction: %.2f s (%lld "
            "transactions)\n",
            static_cast<long long>(deleting->deleted_by_count), rows, batch, delete_s,
            static_cast<long long>(deleting->delete_transactions));
        std::printf("sweep with %lld to delete, over %ld records: %.3f s\n",
                    static_cast<long long>(idle->deleted_by_count) + idle->deleted_by_age, rows,
                    idle_s);
        std::printf("single-record commits   p50 ms   p99 ms   max ms   commits   over 10 ms\n");
        for (const auto& [name, l] :
             {std::pair{"no sweep        ", baseline}, std::pair{"during the sweep", during}}) {
            std::printf("  %s    %7.3f  %7.3f  %7.3f  %8zu  %10zu\n", name, l.p50_ms, l.p99_ms,
                        l.max_ms, l.count, l.over_10ms);
        }
    }
    std::filesystem::remove_all(dir);
    return 0;
}
}  // namespace

int main(int argc, char** argv) {
    try {
        return Run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "retention_benchmark: %s\n", e.what());
        return 1;
    }
}
