// Sprig's date functions (date.go): now, date, dateInZone, htmlDate, htmlDateInZone, unixEpoch,
// ago, duration, durationRound, dateModify. A time is a Go time.Time object; layouts are Go's
// reference-time layouts ("2006-01-02T15:04:05Z07:00"). Zones: UTC and the machine's local zone
// (Helm uses time.Local); other zone names fall back to UTC, as Go does when it cannot load one.
#include <chrono>
#include <cmath>
#include <ctime>

#include "charts/render/sprig_families.hpp"
#include "charts/render/sprig_support.hpp"

namespace sealift::render {
namespace {

using P = ParamType;

struct Instant {
    std::int64_t seconds = 0;  // Unix time
    std::int64_t nanos = 0;
};

class Time : public Object {
public:
    Time(Instant at, bool monotonic) : at_(at), monotonic_(monotonic) {}
    std::string type_name() const override { return "time.Time"; }
    std::string kind_name() const override { return "struct"; }
    std::optional<Value> field(std::string_view) const override { return std::nullopt; }
    std::string format() const override;
    nlohmann::json to_json() const override;
    const Instant& at() const { return at_; }

private:
    Instant at_;
    bool monotonic_;
};

// The broken-down time in a zone ("UTC" or "Local").
struct Civil {
    std::tm tm{};
    long offset = 0;  // seconds east of UTC
    std::string zone;
};

Civil civil(const Instant& at, const std::string& zone) {
    Civil c;
    std::time_t t = std::time_t(at.seconds);
    if (zone == "Local") {
        localtime_r(&t, &c.tm);
        c.offset = c.tm.tm_gmtoff;
        c.zone = c.tm.tm_zone ? c.tm.tm_zone : "UTC";
    } else {
        gmtime_r(&t, &c.tm);
        c.zone = "UTC";
    }
    return c;
}

std::string pad(long v, int width, char fill = '0') {
    std::string s = std::to_string(v < 0 ? -v : v);
    while (int(s.size()) < width) s.insert(s.begin(), fill);
    return (v < 0 ? "-" : "") + s;
}

const char* const months[] = {"January", "February", "March",     "April",   "May",      "June",
                              "July",    "August",   "September", "October", "November", "December"};
const char* const days[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

std::string zone_offset(long offset, bool colon, bool z, bool seconds = false) {
    if (z && offset == 0) return "Z";
    long a = std::labs(offset);
    std::string s = (offset < 0 ? "-" : "+") + pad(a / 3600, 2) + (colon ? ":" : "") + pad(a / 60 % 60, 2);
    if (seconds) s += (colon ? ":" : "") + pad(a % 60, 2);
    return s;
}

// Go's Time.Format with the reference layout Mon Jan 2 15:04:05 MST 2006.
std::string go_format(const Instant& at, const std::string& zone, std::string_view layout) {
    Civil c = civil(at, zone);
    const std::tm& tm = c.tm;
    std::string out;
    auto take = [&](std::string_view token) {
        if (layout.substr(0, token.size()) != token) return false;
        layout.remove_prefix(token.size());
        return true;
    };
    while (!layout.empty()) {
        if (take("January"))
            out += months[tm.tm_mon];
        else if (take("Jan"))
            out += std::string(months[tm.tm_mon]).substr(0, 3);
        else if (take("Monday"))
            out += days[tm.tm_wday];
        else if (take("Mon"))
            out += std::string(days[tm.tm_wday]).substr(0, 3);
        else if (take("MST"))
            out += c.zone;
        else if (take("2006"))
            out += pad(tm.tm_year + 1900, 4);
        else if (take("002"))
            out += pad(tm.tm_yday + 1, 3);
        else if (take("01"))
            out += pad(tm.tm_mon + 1, 2);
        else if (take("02"))
            out += pad(tm.tm_mday, 2);
        else if (take("03"))
            out += pad(tm.tm_hour % 12 == 0 ? 12 : tm.tm_hour % 12, 2);
        else if (take("04"))
            out += pad(tm.tm_min, 2);
        else if (take("05"))
            out += pad(tm.tm_sec, 2);
        else if (take("06"))
            out += pad((tm.tm_year + 1900) % 100, 2);
        else if (take("-07:00:00"))
            out += zone_offset(c.offset, true, false, true);
        else if (take("-0700"))
            out += zone_offset(c.offset, false, false);
        else if (take("-07:00"))
            out += zone_offset(c.offset, true, false);
        else if (take("-07"))
            out += zone_offset(c.offset, false, false).substr(0, 3);
        else if (take("Z07:00"))
            out += zone_offset(c.offset, true, true);
        else if (take("Z0700"))
            out += zone_offset(c.offset, false, true);
        else if (take("15"))
            out += pad(tm.tm_hour, 2);
        else if (take("_2"))
            out += pad(tm.tm_mday, 2, ' ');
        else if (take("1"))
            out += std::to_string(tm.tm_mon + 1);
        else if (take("2"))
            out += std::to_string(tm.tm_mday);
        else if (take("3"))
            out += std::to_string(tm.tm_hour % 12 == 0 ? 12 : tm.tm_hour % 12);
        else if (take("4"))
            out += std::to_string(tm.tm_min);
        else if (take("5"))
            out += std::to_string(tm.tm_sec);
        else if (take("PM"))
            out += tm.tm_hour >= 12 ? "PM" : "AM";
        else if (take("pm"))
            out += tm.tm_hour >= 12 ? "pm" : "am";
        else if ((layout[0] == '.' || layout[0] == ',') && layout.size() > 1 &&
                 (layout[1] == '0' || layout[1] == '9')) {
            char digit = layout[1];
            size_t n = 1;
            while (n < layout.size() && layout[n] == digit) ++n;
            std::string frac = pad(long(at.nanos), 9).substr(0, n - 1);
            if (digit == '9') {
                while (!frac.empty() && frac.back() == '0') frac.pop_back();
                if (!frac.empty()) out += layout[0] + frac;
            } else {
                out += layout[0] + frac;
            }
            layout.remove_prefix(n);
        } else {
            out += layout[0];
            layout.remove_prefix(1);
        }
    }
    return out;
}

// Go's Duration.String: "1h2m3.5s", "1.5µs", "0s".
std::string go_duration(std::int64_t d) {
    if (d == 0) return "0s";
    bool neg = d < 0;
    std::uint64_t u = neg ? std::uint64_t(-(d + 1)) + 1 : std::uint64_t(d);
    auto fraction = [](std::uint64_t v, int digits) {
        std::string s = pad(long(v), digits);
        while (!s.empty() && s.back() == '0') s.pop_back();
        return s.empty() ? "" : "." + s;
    };
    std::string out;
    if (u < 1000000000ULL) {
        if (u < 1000)
            out = std::to_string(u) + "ns";
        else if (u < 1000000)
            out = std::to_string(u / 1000) + fraction(u % 1000, 3) + "\xC2\xB5s";
        else
            out = std::to_string(u / 1000000) + fraction(u % 1000000, 6) + "ms";
    } else {
        std::uint64_t secs = u / 1000000000ULL, nanos = u % 1000000000ULL;
        out = std::to_string(secs % 60) + fraction(nanos, 9) + "s";
        std::uint64_t mins = secs / 60;
        if (mins > 0) {
            out = std::to_string(mins % 60) + "m" + out;
            if (mins / 60 > 0) out = std::to_string(mins / 60) + "h" + out;
        }
    }
    return (neg ? "-" : "") + out;
}

std::string Time::format() const {
    std::string s = go_format(at_, "Local", "2006-01-02 15:04:05.999999999 -0700 MST");
    if (monotonic_) {
        static const auto start = std::chrono::steady_clock::now();
        double since = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        char buf[64];
        std::snprintf(buf, sizeof buf, " m=+%.9f", since);
        s += buf;
    }
    return s;
}

nlohmann::json Time::to_json() const { return go_format(at_, "Local", "2006-01-02T15:04:05.999999999Z07:00"); }

Instant now_instant() {
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch());
    return Instant{ns.count() / 1000000000, ns.count() % 1000000000};
}

// Sprig's formatDate argument: a time.Time, or Unix seconds as an int or int64.
Instant instant_of(const Value& v) {
    if (v.is_object())
        if (const auto* t = dynamic_cast<const Time*>(v.as_object().get())) return t->at();
    if (v.is_int()) return Instant{v.as_int(), 0};
    return now_instant();
}

// Go's time.ParseDuration (units ns us µs ms s m h, decimals, a sign).
std::optional<std::int64_t> parse_duration(std::string_view s) {
    bool neg = false;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        s.remove_prefix(1);
    }
    if (s == "0") return 0;
    if (s.empty()) return std::nullopt;
    double total = 0;
    while (!s.empty()) {
        size_t i = 0;
        while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
        if (i == 0) return std::nullopt;
        double number = std::strtod(std::string(s.substr(0, i)).c_str(), nullptr);
        s.remove_prefix(i);
        size_t u = 0;
        while (u < s.size() && !std::isdigit(static_cast<unsigned char>(s[u])) && s[u] != '.') ++u;
        std::string unit(s.substr(0, u));
        s.remove_prefix(u);
        double scale = unit == "ns"                                                 ? 1
                       : unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs" ? 1e3
                       : unit == "ms"                                               ? 1e6
                       : unit == "s"                                                ? 1e9
                       : unit == "m"                                                ? 60e9
                       : unit == "h"                                                ? 3600e9
                                                                                    : 0;
        if (scale == 0) return std::nullopt;
        total += number * scale;
    }
    return std::int64_t(neg ? -total : total);
}

Value time_value(Instant at) { return Value(std::make_shared<Time>(at, false)); }

}  // namespace

void add_date_functions(FunctionTable& t) {
    add_function(t, "now", {}, [](Args) { return Value(std::make_shared<Time>(now_instant(), true)); });
    add_function(t, "date", {P::string, P::any},
                 [](Args a) { return Value(go_format(instant_of(a[1]), "Local", a[0].as_string())); });
    add_function(t, "dateInZone", {P::string, P::any, P::string}, [](Args a) {
        std::string zone = a[2].as_string() == "Local" ? "Local" : "UTC";
        return Value(go_format(instant_of(a[1]), zone, a[0].as_string()));
    });
    add_function(t, "htmlDate", {P::any},
                 [](Args a) { return Value(go_format(instant_of(a[0]), "Local", "2006-01-02")); });
    add_function(t, "htmlDateInZone", {P::any, P::string}, [](Args a) {
        return Value(go_format(instant_of(a[0]), a[1].as_string() == "Local" ? "Local" : "UTC", "2006-01-02"));
    });
    add_function(t, "unixEpoch", {P::any}, [](Args a) { return Value(std::to_string(instant_of(a[0]).seconds)); });
    add_function(t, "ago", {P::any}, [](Args a) {
        Instant then = instant_of(a[0]), now = now_instant();
        double secs = double(now.seconds - then.seconds) + double(now.nanos - then.nanos) / 1e9;
        return Value(go_duration(std::int64_t(std::llround(secs)) * 1000000000LL));
    });
    add_function(t, "duration", {P::any}, [](Args a) {
        std::int64_t n = 0;
        if (a[0].is_string()) n = std::strtoll(a[0].as_string().c_str(), nullptr, 10);
        if (a[0].is_int() && a[0].int_type() == IntType::go_int64) n = a[0].as_int();
        return Value(go_duration(n * 1000000000LL));
    });
    add_function(t, "durationRound", {P::any}, [](Args a) {
        std::int64_t d = 0;
        if (a[0].is_string()) d = parse_duration(a[0].as_string()).value_or(0);
        if (a[0].is_int() && a[0].int_type() == IntType::go_int64) d = a[0].as_int();
        if (a[0].is_object()) {
            Instant then = instant_of(a[0]), now = now_instant();
            d = (now.seconds - then.seconds) * 1000000000LL + (now.nanos - then.nanos);
        }
        std::uint64_t u = d < 0 ? std::uint64_t(-d) : std::uint64_t(d);
        const std::uint64_t second = 1000000000ULL, minute = 60 * second, hour = 60 * minute, day = 24 * hour,
                            month = 30 * day, year = 365 * day;
        if (u > year) return Value(std::to_string(u / year) + "y");
        if (u > month) return Value(std::to_string(u / month) + "mo");
        if (u > day) return Value(std::to_string(u / day) + "d");
        if (u > hour) return Value(std::to_string(u / hour) + "h");
        if (u > minute) return Value(std::to_string(u / minute) + "m");
        if (u > second) return Value(std::to_string(u / second) + "s");
        return Value("0s");
    });
    add_function(t, "dateModify", {P::string, P::any}, [](Args a) {
        Instant at = instant_of(a[1]);
        auto d = parse_duration(a[0].as_string());
        if (!d) return a[1];
        std::int64_t total = at.nanos + *d % 1000000000LL;
        at.seconds += *d / 1000000000LL + total / 1000000000LL - (total < 0 ? 1 : 0);
        at.nanos = ((total % 1000000000LL) + 1000000000LL) % 1000000000LL;
        return time_value(at);
    });
}

}  // namespace sealift::render
