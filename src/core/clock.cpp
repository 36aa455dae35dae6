#include "core/clock.hpp"

#include <cstdio>
#include <ctime>

namespace gc::core {

std::string FormatTimestamp(TimePoint t) {
    using namespace std::chrono;
    const auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
    std::time_t secs = std::time_t(ms / 1000);
    int millis = int(ms % 1000);
    if (millis < 0) {
        millis += 1000;
        secs -= 1;
    }
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
    return buf;
}

bool ParseTimestamp(const std::string& text, TimePoint& out) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, consumed = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2d%*1[T ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s,
                    &consumed) != 6) {
        return false;
    }
    std::size_t pos = std::size_t(consumed);
    long micros = 0;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        int digits = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            if (digits < 6) {
                micros = micros * 10 + (text[pos] - '0');
                ++digits;
            }
            ++pos;
        }
        while (digits++ < 6) {
            micros *= 10;
        }
    }
    long offset_seconds = 0;
    const std::string zone = text.substr(pos);
    if (zone == "Z" || zone == "+00" || zone == "+00:00" || zone.empty()) {
        offset_seconds = 0;
    } else if ((zone[0] == '+' || zone[0] == '-') && zone.size() >= 3) {
        int zh = 0, zm = 0;
        if (std::sscanf(zone.c_str() + 1, "%2d:%2d", &zh, &zm) < 1) {
            return false;
        }
        offset_seconds = (zh * 3600L + zm * 60L) * (zone[0] == '+' ? 1 : -1);
    } else {
        return false;
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) {
        return false;
    }
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    const std::time_t secs = timegm(&tm) - offset_seconds;
    out = TimePoint(std::chrono::seconds(secs)) + std::chrono::microseconds(micros);
    return true;
}

std::string NormalizeTimestamp(const std::string& text) {
    TimePoint t;
    return ParseTimestamp(text, t) ? FormatTimestamp(t) : text;
}

}  // namespace gc::core
