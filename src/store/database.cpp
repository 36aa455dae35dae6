#include "store/database.hpp"

#include "core/clock.hpp"
#include "store/postgres_database.hpp"
#include "store/sqlite_database.hpp"

namespace gc::store {

const std::string& Row::Text(std::size_t i) const {
    static const std::string kEmpty;
    const auto& v = values_.at(i);
    return v ? *v : kEmpty;
}

std::int64_t Row::Int(std::size_t i) const {
    const auto& v = values_.at(i);
    return v ? std::stoll(*v) : 0;
}

bool Row::Bool(std::size_t i) const {
    const auto& v = values_.at(i);
    return v && (*v == "1" || *v == "t" || *v == "true");
}

std::string Row::Time(std::size_t i) const {
    const auto& v = values_.at(i);
    return v ? core::NormalizeTimestamp(*v) : std::string();
}

core::Result<void> Database::Transact(const TxContext& ctx, const std::function<void(Tx&)>& fn) {
    try {
        RunTransaction(ctx, fn);
        return {};
    } catch (const core::ErrorException& e) {
        return e.error;
    } catch (const DbError& e) {
        switch (e.kind) {
            case DbErrorKind::kUniqueViolation:
                return core::Error::Make(core::ErrorCode::kConflict,
                                         "a record with that value already exists", e.what());
            case DbErrorKind::kUnavailable:
                return core::Error::Make(core::ErrorCode::kUnavailable,
                                         "the database is unavailable", e.what());
            default:
                return core::Error::Internal(e.what());
        }
    } catch (const std::exception& e) {
        return core::Error::Internal(e.what());
    }
}

core::Result<std::unique_ptr<Database>> OpenDatabase(const DatabaseSettings& settings) {
    if (IsPostgresUrl(settings.url)) {
        return OpenPostgresDatabase(settings.url, settings.pool_size);
    }
    std::string path = settings.sqlite_path;
    if (settings.url.starts_with("sqlite:")) {
        path = settings.url.substr(7);
    }
    return OpenSqliteDatabase(path, settings.pool_size);
}

bool IsPostgresUrl(std::string_view url) {
    return url.starts_with("postgres://") || url.starts_with("postgresql://");
}

}  // namespace gc::store
