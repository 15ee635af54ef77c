#include "core/time.hpp"

#include <cstdio>
#include <cstdlib>

#include "core/error.hpp"
#include "core/text.hpp"

namespace sealift {
namespace {

int to_int(std::string_view s) { return std::atoi(std::string(s).c_str()); }

TimePoint from_civil(int y, int m, int d, int hh, int mm, int ss, std::string_view text) {
    using namespace std::chrono;
    year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok() || hh > 23 || mm > 59 || ss > 60) fail(Errc::format, "invalid time '" + std::string(text) + "'");
    return sys_days(ymd) + hours(hh) + minutes(mm) + seconds(ss);
}

}  // namespace

std::string format_time(TimePoint t) {
    using namespace std::chrono;
    auto days = floor<std::chrono::days>(t);
    year_month_day ymd(days);
    hh_mm_ss hms(t - days);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()));
    return buf;
}

TimePoint parse_time(std::string_view s) {
    // YYYY-MM-DDTHH:MM:SSZ
    if (s.size() != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' ||
        !all_digits(s.substr(0, 4)) || !all_digits(s.substr(5, 2)) || !all_digits(s.substr(8, 2)) ||
        !all_digits(s.substr(11, 2)) || !all_digits(s.substr(14, 2)) || !all_digits(s.substr(17, 2)))
        fail(Errc::format, "invalid time '" + std::string(s) + "' (want YYYY-MM-DDTHH:MM:SSZ)");
    return from_civil(to_int(s.substr(0, 4)), to_int(s.substr(5, 2)), to_int(s.substr(8, 2)), to_int(s.substr(11, 2)),
                      to_int(s.substr(14, 2)), to_int(s.substr(17, 2)), s);
}

TimePoint now_seconds() { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); }

std::chrono::seconds parse_duration(std::string_view text) {
    std::chrono::seconds total{0};
    std::size_t i = 0;
    if (text.empty()) fail(Errc::usage, "empty duration");
    while (i < text.size()) {
        std::size_t j = i;
        while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
        if (j == i || j == text.size() || j - i > 9)
            fail(Errc::usage, "invalid duration '" + std::string(text) + "' (want e.g. 180d, 12h, 1d12h)");
        long long n = std::atoll(std::string(text.substr(i, j - i)).c_str());
        switch (text[j]) {
        case 'w': total += std::chrono::seconds(n * 7 * 86400); break;
        case 'd': total += std::chrono::seconds(n * 86400); break;
        case 'h': total += std::chrono::seconds(n * 3600); break;
        case 'm': total += std::chrono::seconds(n * 60); break;
        case 's': total += std::chrono::seconds(n); break;
        default: fail(Errc::usage, "invalid duration unit in '" + std::string(text) + "' (use w, d, h, m, s)");
        }
        i = j + 1;
    }
    return total;
}

TimePoint parse_expiry(std::string_view text, TimePoint from) {
    if (text.size() == 10 && text[4] == '-' && text[7] == '-') return parse_time(std::string(text) + "T00:00:00Z");
    if (text.size() == 20 && text[10] == 'T') return parse_time(text);
    return from + parse_duration(text);
}

TimePoint build_time() {
    const char* sde = std::getenv("SOURCE_DATE_EPOCH");
    if (!sde || !*sde) return now_seconds();
    std::string_view v(sde);
    if (!all_digits(v) || v.size() > 12)
        fail(Errc::usage, "SOURCE_DATE_EPOCH must be a number of seconds, got '" + std::string(v) + "'");
    return TimePoint(std::chrono::seconds(std::atoll(sde)));
}

}  // namespace sealift
