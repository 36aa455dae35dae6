// The embedded backend: SQLite in WAL mode, a small pool of connections.
#pragma once

#include <memory>
#include <string>

#include "store/database.hpp"

namespace gc::store {

// Creates the file with mode 0600 if it does not exist. Returns kUnavailable if it cannot open.
core::Result<std::unique_ptr<Database>> OpenSqliteDatabase(const std::string& path, int pool_size);

}  // namespace gc::store
