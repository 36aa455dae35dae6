// Base64 (RFC 4648): the standard and the url-safe alphabet, with padding as Fernet uses it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gc::core {

// Url-safe alphabet ('-' and '_'), padded with '='. Fernet tokens and keys use this form.
std::string Base64UrlEncode(std::string_view bytes);
// Url-safe alphabet, no padding: for random tokens and cursors.
std::string Base64UrlEncodeNoPad(std::string_view bytes);
// Decodes the url-safe alphabet; padding optional. Returns nullopt on any character outside
// the alphabet, bad padding, or non-zero trailing bits.
std::optional<std::string> Base64UrlDecode(std::string_view text);
// Standard alphabet ('+' and '/'), padded: HTTP Basic auth.
std::string Base64Encode(std::string_view bytes);

}  // namespace gc::core
