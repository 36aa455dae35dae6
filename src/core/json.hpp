// Strict JSON parsing for request bodies and small helpers for reading fields.
#pragma once

#include <boost/json/value.hpp>
#include <string_view>

#include "core/error.hpp"

namespace gc::core {

// Deepest nesting a request body may have; deeper input is rejected as malformed.
inline constexpr int kMaxJsonDepth = 64;

// RFC 8259 strictly: no comments, no trailing commas, valid UTF-8 only, at most kMaxJsonDepth
// levels. On failure returns kMalformedJson with a generic message (never echoing input); the
// parser's reason goes to the error's internal detail.
Result<boost::json::value> ParseJson(std::string_view text);

// Whether text is one document ParseJson would accept, checked without building it (no
// allocation): for passing a JSON text through as it is.
bool IsJsonDocument(std::string_view text);

// The string at key, or nullptr if absent or not a string.
const boost::json::string* FindString(const boost::json::object& obj, std::string_view key);

}  // namespace gc::core
