// Time as a seam: services read the time from a Clock so tests can move it.
#pragma once

#include <chrono>
#include <string>

namespace gc::core {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
  public:
    virtual ~Clock() = default;
    virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
  public:
    TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

// RFC 3339 in UTC with milliseconds: "2026-11-25T06:38:05.123Z". This text sorts by time, so
// SQLite stores it as is and PostgreSQL parses it into timestamptz.
std::string FormatTimestamp(TimePoint t);
// Reads RFC 3339 and PostgreSQL's timestamptz output ("2026-11-25 06:38:05.123+00").
// Returns false on anything else.
bool ParseTimestamp(const std::string& text, TimePoint& out);
// Normalises either form to FormatTimestamp's; returns text unchanged if it does not parse.
std::string NormalizeTimestamp(const std::string& text);

}  // namespace gc::core
