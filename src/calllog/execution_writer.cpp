#include "calllog/execution_writer.hpp"

#include <algorithm>
#include <utility>

#include "core/thread_name.hpp"
#include "store/execution_repository.hpp"

namespace gc::calllog {

ExecutionWriter::ExecutionWriter(store::Database& db, std::size_t max_batch)
    : db_(db), max_batch_(max_batch < 1 ? 1 : max_batch), thread_([this] { Run(); }) {}

ExecutionWriter::~ExecutionWriter() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

void ExecutionWriter::Write(store::ExecutionRecord rec, Written written) {
    {
        std::lock_guard lock(mu_);
        queue_.push_back({std::move(rec), std::move(written)});
    }
    wake_.notify_one();
}

std::size_t ExecutionWriter::records_written() const {
    std::lock_guard lock(mu_);
    return records_written_;
}

std::size_t ExecutionWriter::commits() const {
    std::lock_guard lock(mu_);
    return commits_;
}

void ExecutionWriter::Run() {
    core::NameThisThread("gc-log-writer");
    std::vector<Pending> batch;
    for (;;) {
        {
            std::unique_lock lock(mu_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) {
                return;  // stopping, and everything queued is written
            }
            // Everything that arrived while the last batch was being written goes in this one:
            // the busier the log, the more records share a commit.
            const std::size_t n = std::min(queue_.size(), max_batch_);
            batch.reserve(n);
            for (std::size_t i = 0; i < n; ++i) {
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
        }
        WriteBatch(batch);
        batch.clear();
    }
}

void ExecutionWriter::WriteBatch(std::vector<Pending>& batch) {
    // One transaction per workspace: on PostgreSQL the transaction carries the tenant that row
    // level security checks. Order within a workspace is kept.
    std::vector<std::vector<Pending*>> groups;
    for (auto& p : batch) {
        auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) {
            return g.front()->rec.workspace_id == p.rec.workspace_id;
        });
        if (it == groups.end()) {
            groups.push_back({&p});
        } else {
            it->push_back(&p);
        }
    }
    std::vector<std::pair<Pending*, core::Result<void>>> outcomes;
    outcomes.reserve(batch.size());
    std::size_t written = 0;
    std::size_t commits = 0;
    for (const auto& group : groups) {
        auto r = Insert(group);
        if (r || group.size() == 1) {
            commits += r ? 1 : 0;
            written += r ? group.size() : 0;
            for (Pending* p : group) {
                outcomes.emplace_back(p, r);
            }
            continue;
        }
        // Something in the group failed: find out which, so the others are still written.
        for (Pending* p : group) {
            auto alone = Insert({p});
            commits += alone ? 1 : 0;
            written += alone ? 1 : 0;
            outcomes.emplace_back(p, std::move(alone));
        }
    }
    {
        std::lock_guard lock(mu_);
        records_written_ += written;
        commits_ += commits;
    }
    for (auto& [p, r] : outcomes) {
        p->written(std::move(r));
    }
}

core::Result<void> ExecutionWriter::Insert(const std::vector<Pending*>& group) {
    const auto& first = group.front()->rec;
    return db_.Transact({.workspace_id = first.workspace_id, .user_id = first.user_id},
                        [&](store::Tx& tx) {
                            for (const Pending* p : group) {
                                store::InsertExecution(tx, p->rec);
                            }
                        });
}

}  // namespace gc::calllog
