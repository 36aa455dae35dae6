// SHA-256 for looking up high-entropy secrets (session and API tokens) by hash.
#pragma once

#include <string>
#include <string_view>

namespace gc::core {

// Lower-case hex SHA-256 of data.
std::string Sha256Hex(std::string_view data);
// Raw 32-byte SHA-256 of data.
std::string Sha256(std::string_view data);
// Compares in time independent of where the inputs differ (sizes are not secret).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace gc::core
