#include "core/clock.hpp"

#include <cstdio>
#include <ctime>

namespace gc::core {

namespace {

// Writes v as exactly `width` decimal digits (v < 10^width) and advances p.
void PutDigits(char*& p, unsigned v, int width) {
    for (int i = width - 1; i >= 0; --i) {
        p[i] = char('0' + v % 10);
        v /= 10;
    }
    p += width;
}

}  // namespace

// Calendar arithmetic from <chrono>, not gmtime_r and snprintf: every call record and log line
// is stamped, and that pair cost about 4,200 instructions a call (callgrind), gmtime_r taking
// glibc's time zone lock each time.
std::string FormatTimestamp(TimePoint t) {
    using namespace std::chrono;
    const auto at = floor<milliseconds>(t);
    const auto day = floor<days>(at);
    const year_month_day date{day};
    const hh_mm_ss<milliseconds> time{at - day};
    const int year = int(date.year());
    if (year < 0 || year > 9999) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", year,
                      unsigned(date.month()), unsigned(date.day()), int(time.hours().count()),
                      int(time.minutes().count()), int(time.seconds().count()),
                      int(time.subseconds().count()));
        return buf;
    }
    char buf[24];  // YYYY-MM-DDTHH:MM:SS.mmmZ
    char* p = buf;
    PutDigits(p, unsigned(year), 4);
    *p++ = '-';
    PutDigits(p, unsigned(date.month()), 2);
    *p++ = '-';
    PutDigits(p, unsigned(date.day()), 2);
    *p++ = 'T';
    PutDigits(p, unsigned(time.hours().count()), 2);
    *p++ = ':';
    PutDigits(p, unsigned(time.minutes().count()), 2);
    *p++ = ':';
    PutDigits(p, unsigned(time.seconds().count()), 2);
    *p++ = '.';
    PutDigits(p, unsigned(time.subseconds().count()), 3);
    *p++ = 'Z';
    return std::string(buf, std::size_t(p - buf));
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
