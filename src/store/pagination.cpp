#include "store/pagination.hpp"

#include <charconv>

#include "core/base64.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"

namespace gc::store {
namespace {

std::optional<ListPosition> DecodeCursor(const std::string& cursor) {
    auto raw = core::Base64UrlDecode(cursor);
    if (!raw) {
        return std::nullopt;
    }
    const auto bar = raw->find('|');
    if (bar == std::string::npos) {
        return std::nullopt;
    }
    ListPosition pos{raw->substr(0, bar), raw->substr(bar + 1)};
    core::TimePoint t;
    if (!core::ParseTimestamp(pos.created_at, t) || !core::IsUuid(pos.id)) {
        return std::nullopt;
    }
    pos.created_at = core::FormatTimestamp(t);
    return pos;
}

}  // namespace

PageRequest ParsePageRequest(const std::string& cursor, const std::string& limit,
                             std::vector<core::FieldProblem>& problems) {
    PageRequest page;
    if (!limit.empty()) {
        int value = 0;
        auto [ptr, ec] = std::from_chars(limit.data(), limit.data() + limit.size(), value);
        if (ec != std::errc() || ptr != limit.data() + limit.size() || value < 1 ||
            value > kMaxPageLimit) {
            problems.push_back({"limit", "must be an integer from 1 to 200"});
        } else {
            page.limit = value;
        }
    }
    if (!cursor.empty()) {
        page.after = DecodeCursor(cursor);
        if (!page.after) {
            problems.push_back({"cursor", "is not a cursor this server gave out"});
        }
    }
    return page;
}

std::string EncodeCursor(const std::string& created_at, const std::string& id) {
    return core::Base64UrlEncodeNoPad(created_at + "|" + id);
}

}  // namespace gc::store
