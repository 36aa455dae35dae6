// Structured logging: one JSON object per line on stderr. Never pass a secret as a field:
// core::Secret has no conversion to a field value on purpose.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

namespace gc::core {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

// Sets the lowest level written (default kInfo). Call once at start-up.
void SetLogLevel(LogLevel level);
// Whether a line of this level is written: lets a hot path skip building its fields.
bool LogEnabled(LogLevel level);
// Thread-safe; a line is written whole.
void Log(LogLevel level, std::string_view message, const boost::json::object& fields = {});
inline void LogInfo(std::string_view message, const boost::json::object& fields = {}) {
    Log(LogLevel::kInfo, message, fields);
}
inline void LogWarn(std::string_view message, const boost::json::object& fields = {}) {
    Log(LogLevel::kWarn, message, fields);
}
inline void LogError(std::string_view message, const boost::json::object& fields = {}) {
    Log(LogLevel::kError, message, fields);
}

}  // namespace gc::core
