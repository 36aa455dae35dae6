// RFC 3986 percent-encoding, as every URL and form body we build needs it.
#pragma once

#include <string>
#include <string_view>

namespace gc::core {

// Percent-encodes every byte but the unreserved characters (ALPHA / DIGIT / "-" / "." / "_" /
// "~"), with upper-case hex digits. Safe for a path segment, a query name or value, and an
// application/x-www-form-urlencoded field.
std::string PercentEncode(std::string_view text);

}  // namespace gc::core
