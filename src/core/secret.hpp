// A value that must never be printed, logged or returned: passwords, tokens, credentials.
#pragma once

#include <ostream>
#include <string>
#include <utility>

namespace gc::core {

// Holds plaintext but has no implicit conversion and prints as "[redacted]". Only the
// vault, the password hasher and the outbound path call Reveal(); a test greps for callers.
class Secret {
  public:
    Secret() = default;
    explicit Secret(std::string value) : value_(std::move(value)) {}
    Secret(const Secret&) = default;
    Secret(Secret&&) noexcept = default;
    Secret& operator=(const Secret&) = default;
    Secret& operator=(Secret&&) noexcept = default;
    ~Secret();

    const std::string& Reveal() const { return value_; }
    bool empty() const { return value_.empty(); }
    std::size_t size() const { return value_.size(); }

    friend std::ostream& operator<<(std::ostream& os, const Secret&) { return os << "[redacted]"; }

  private:
    std::string value_;
};

}  // namespace gc::core
