// Keyset pagination shared by every list: newest first, a page ends at (created_at, id), and
// the client gets that position back as an opaque cursor.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "store/integration_records.hpp"

namespace gc::store {

inline constexpr int kDefaultPageLimit = 50;
inline constexpr int kMaxPageLimit = 200;

struct PageRequest {
    std::optional<ListPosition> after;
    int limit = kDefaultPageLimit;
};

// Reads the `cursor` and `limit` query values ("" when absent). A limit outside 1..200 or a
// cursor this server did not give out adds a problem naming the field.
PageRequest ParsePageRequest(const std::string& cursor, const std::string& limit,
                             std::vector<core::FieldProblem>& problems);

// The cursor that continues after the row at (created_at, id).
std::string EncodeCursor(const std::string& created_at, const std::string& id);

}  // namespace gc::store
