// The embedded backend: SQLite in WAL mode, a small pool of connections.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "store/database.hpp"

namespace gc::store {

// How big the WAL file may stay. A commit never shrinks it: truncating a large file can take a
// quarter of a second (ext4 with `discard` trims the freed blocks inside the call), and a commit
// that did it would hold every writer behind it that long. The checkpointer truncates it instead,
// once no commit has come for idle.
struct SqliteWalLimits {
    std::uintmax_t size_limit_bytes = std::uintmax_t{64} * 1024 * 1024;
    std::chrono::milliseconds idle{1000};
};

// Creates the file with mode 0600 if it does not exist. Returns kUnavailable if it cannot open.
core::Result<std::unique_ptr<Database>> OpenSqliteDatabase(const std::string& path, int pool_size,
                                                           const SqliteWalLimits& wal = {});

}  // namespace gc::store
