// Key rotation in committed batches, walking the credentials not on the primary key in id order.
#include "vault/key_rotation.hpp"

#include <algorithm>
#include <string>
#include <thread>

#include "core/log.hpp"
#include "vault/sealed_secret.hpp"

namespace gc::vault {

core::Result<RotationReport> RotateCredentials(
    store::Database& maintenance_db, const Keyring& keyring, const RotationOptions& options,
    const std::function<void(const RotationBatch&)>& on_batch) {
    const int batch_size = std::max(1, options.batch_size);
    const std::string& primary = keyring.Primary().id;
    RotationReport report;
    // Ids only grow within a run, so a credential that cannot be opened is passed once, not
    // retried forever; a rerun starts from the beginning again.
    std::string after = store::kNilUuid;
    bool more = true;
    while (more) {
        RotationBatch batch;
        batch.number = report.batches + 1;
        std::string last = after;
        auto r = maintenance_db.Transact({}, [&](store::Tx& tx) {
            batch.rotated = batch.skipped = batch.changed = 0;
            store::BeginVaultMaintenance(tx);
            const auto rows = store::ListCredentialsNotOnKey(tx, primary, after, batch_size);
            more = int(rows.size()) == batch_size;
            last = rows.empty() ? after : rows.back().id;
            for (const auto& row : rows) {
                OpenResult opened = Open(keyring, SealedSecret{row.key_id, row.encrypted_value},
                                         row.workspace_id, row.id);
                if (!opened) {
                    ++batch.skipped;
                    core::LogWarn("rotate-key: credential skipped: it cannot be opened",
                                  {{"credential_id", row.id},
                                   {"key_id", row.key_id},
                                   {"failure", ToString(opened.error())}});
                    continue;
                }
                const SealedSecret sealed = Seal(keyring, row.workspace_id, row.id, *opened);
                if (store::RewrapCredential(tx, row, sealed.key_id, sealed.token)) {
                    ++batch.rotated;
                } else {
                    ++batch.changed;
                }
            }
        });
        if (!r) {
            return r.error();
        }
        after = last;
        if (batch.rotated + batch.skipped + batch.changed == 0) {
            break;
        }
        ++report.batches;
        report.rotated += batch.rotated;
        report.skipped += batch.skipped;
        report.changed += batch.changed;
        if (on_batch) {
            on_batch(batch);
        }
        if (more && options.pause.count() > 0) {
            std::this_thread::sleep_for(options.pause);
        }
    }
    auto counted = maintenance_db.Transact({.read_only = true}, [&](store::Tx& tx) {
        store::BeginVaultMaintenance(tx);
        report.remaining = store::CountCredentialsByKey(tx);
    });
    if (!counted) {
        return counted.error();
    }
    return report;
}

}  // namespace gc::vault
