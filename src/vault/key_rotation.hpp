// `connector rotate-key`: re-encrypts every stored credential to the keyring's primary key, in
// batches that each commit on their own, so it can be killed at any point and run again.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <vector>

#include "core/error.hpp"
#include "store/credential_repository.hpp"
#include "store/database.hpp"
#include "vault/keyring.hpp"

namespace gc::vault {

struct RotationOptions {
    int batch_size = 100;                // credentials per transaction, at least 1
    std::chrono::milliseconds pause{0};  // sleep between batches, to spare a busy database
};

// One committed batch.
struct RotationBatch {
    int number = 0;            // 1, 2, ...
    std::int64_t rotated = 0;  // re-encrypted to the primary key in this batch
    std::int64_t skipped = 0;  // no configured key opens them (or sealed for another row)
    std::int64_t changed = 0;  // written by someone else meanwhile; left for the next run
};

struct RotationReport {
    std::int64_t rotated = 0;
    std::int64_t skipped = 0;
    std::int64_t changed = 0;
    int batches = 0;
    std::vector<store::KeyCount> remaining;  // credentials per key id after the run, by key id
};

// Re-encrypts every credential whose key id is not the primary's: each is opened with the key it
// names (and checked against its own row), sealed again with the primary key, and written back
// only if its version did not change meanwhile (the server may replace it concurrently; the
// server keeps serving). Each batch is one transaction; on_batch, when given, is called after
// each commit. maintenance_db must reach every workspace's credentials (see
// store::BeginVaultMaintenance). Credentials that cannot be opened are skipped and logged by id.
// Errors: the database's; batches already committed stay committed.
core::Result<RotationReport> RotateCredentials(
    store::Database& maintenance_db, const Keyring& keyring, const RotationOptions& options,
    const std::function<void(const RotationBatch&)>& on_batch = {});

}  // namespace gc::vault
