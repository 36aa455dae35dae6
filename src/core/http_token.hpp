// The two checks every HTTP header (and method) goes through, in whichever direction: what a
// name may consist of, and what a value must never hold.
#pragma once

#include <string_view>

namespace gc::core {

// RFC 9110 token (tchar+): a method or a header field name. Empty is not a token.
bool IsHttpToken(std::string_view text);

// A header value that cannot end its line or the message early: no CR, LF or NUL.
bool IsSafeHeaderValue(std::string_view value);

}  // namespace gc::core
