#include "charts/render/yaml_resolve.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace sealift::render {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int digit_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 99;
}

// Unsigned magnitude of `s` in `base`; false on an empty text, a bad digit or overflow.
bool parse_magnitude(std::string_view s, int base, std::uint64_t& out) {
    if (s.empty()) return false;
    std::uint64_t value = 0;
    for (char c : s) {
        int d = digit_value(c);
        if (d >= base) return false;
        if (value > (std::numeric_limits<std::uint64_t>::max() - d) / base) return false;
        value = value * base + d;
    }
    out = value;
    return true;
}

// Go's base-0 prefix rules: 0x/0X hex, 0o/0O octal, 0b/0B binary, a leading 0 octal.
bool parse_unsigned_base0(std::string_view s, std::uint64_t& out) {
    if (s.size() >= 2 && s[0] == '0') {
        char p = s[1];
        if (p == 'x' || p == 'X') return parse_magnitude(s.substr(2), 16, out);
        if (p == 'o' || p == 'O') return parse_magnitude(s.substr(2), 8, out);
        if (p == 'b' || p == 'B') return parse_magnitude(s.substr(2), 2, out);
        return parse_magnitude(s.substr(1), 8, out);
    }
    return parse_magnitude(s, 10, out);
}

bool parse_signed(std::string_view s, int base, std::int64_t& out) {
    bool negative = false;
    if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
        negative = s[0] == '-';
        s.remove_prefix(1);
    }
    std::uint64_t magnitude = 0;
    bool ok = base == 0 ? parse_unsigned_base0(s, magnitude) : parse_magnitude(s, base, magnitude);
    if (!ok) return false;
    constexpr std::uint64_t limit = std::uint64_t(std::numeric_limits<std::int64_t>::max());
    if (negative) {
        if (magnitude > limit + 1) return false;
        out = magnitude == limit + 1 ? std::numeric_limits<std::int64_t>::min() : -std::int64_t(magnitude);
    } else {
        if (magnitude > limit) return false;
        out = std::int64_t(magnitude);
    }
    return true;
}

// goyaml.v2's yamlStyleFloat: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool is_yaml_style_float(std::string_view s) {
    size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (i < s.size() && s[i] == '.') {
        ++i;
        size_t start = i;
        while (i < s.size() && is_digit(s[i])) ++i;
        if (i == start) return false;
    } else {
        size_t start = i;
        while (i < s.size() && is_digit(s[i])) ++i;
        if (i == start) return false;
        if (i < s.size() && s[i] == '.') {
            ++i;
            while (i < s.size() && is_digit(s[i])) ++i;
        }
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        size_t start = i;
        while (i < s.size() && is_digit(s[i])) ++i;
        if (i == start) return false;
    }
    return i == s.size();
}

int days_in_month(int month, int year) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

// One or two digits, as Go's time.Parse reads the "1", "2", "15", "4", "5" layout fields.
bool take_short_number(std::string_view s, size_t& i, int& out) {
    if (i >= s.size() || !is_digit(s[i])) return false;
    out = s[i++] - '0';
    if (i < s.size() && is_digit(s[i])) out = out * 10 + (s[i++] - '0');
    return true;
}

bool take_char(std::string_view s, size_t& i, char c) {
    if (i < s.size() && s[i] == c) {
        ++i;
        return true;
    }
    return false;
}

// goyaml.v2's parseTimestamp: the layouts 2006-1-2, "2006-1-2 15:4:5.999999999" and
// 2006-1-2T15:4:5.999999999Z07:00 (T or t), with time.Parse's range checks.
bool is_yaml_timestamp(std::string_view s) {
    if (s.size() < 5) return false;
    for (int k = 0; k < 4; ++k)
        if (!is_digit(s[k])) return false;
    if (s[4] != '-') return false;
    int year = std::atoi(std::string(s.substr(0, 4)).c_str());
    size_t i = 5;
    int month = 0, day = 0;
    if (!take_short_number(s, i, month) || !take_char(s, i, '-') || !take_short_number(s, i, day)) return false;
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(month, year)) return false;
    if (i == s.size()) return true;
    char separator = s[i++];
    if (separator != 'T' && separator != 't' && separator != ' ') return false;
    int hour = 0, minute = 0, second = 0;
    if (!take_short_number(s, i, hour) || !take_char(s, i, ':') || !take_short_number(s, i, minute) ||
        !take_char(s, i, ':') || !take_short_number(s, i, second))
        return false;
    if (hour > 23 || minute > 59 || second > 59) return false;
    if (i < s.size() && s[i] == '.' && i + 1 < s.size() && is_digit(s[i + 1])) {
        ++i;
        while (i < s.size() && is_digit(s[i])) ++i;
    }
    if (separator == ' ') return i == s.size();
    if (take_char(s, i, 'Z')) return i == s.size();
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
        ++i;
        if (s.size() - i != 5 || !is_digit(s[i]) || !is_digit(s[i + 1]) || s[i + 2] != ':' || !is_digit(s[i + 3]) ||
            !is_digit(s[i + 4]))
            return false;
        return true;
    }
    return false;
}

// goyaml.v2's isBase60Float: ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$
bool is_base60_float(std::string_view s) {
    size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (i >= s.size() || !is_digit(s[i])) return false;
    while (i < s.size() && (is_digit(s[i]) || s[i] == '_')) ++i;
    int groups = 0;
    while (i < s.size() && s[i] == ':') {
        ++i;
        size_t start = i;
        while (i < s.size() && is_digit(s[i]) && i - start < 2) ++i;
        size_t n = i - start;
        if (n == 0) return false;
        if (n == 2 && s[start] > '5') return false;
        ++groups;
    }
    if (groups == 0) return false;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && (is_digit(s[i]) || s[i] == '_')) ++i;
    }
    return i == s.size();
}

bool is_old_bool(std::string_view s) {
    for (std::string_view b :
         {"y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N", "no", "No", "NO", "off", "Off", "OFF"})
        if (s == b) return true;
    return false;
}

YamlScalar make_int(std::int64_t v) {
    YamlScalar r;
    r.tag = YamlScalar::Tag::integer;
    r.integer = v;
    return r;
}

}  // namespace

bool go_parse_int_base0(std::string_view s, std::int64_t& out) { return parse_signed(s, 0, out); }

bool go_parse_uint_base0(std::string_view s, std::uint64_t& out) { return parse_unsigned_base0(s, out); }

bool go_parse_float(std::string_view s, double& out) {
    std::string text(s);
    size_t i = 0;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    std::string rest = text.substr(i);
    for (char& c : rest) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (rest == "inf" || rest == "infinity" || rest == "nan") {
        out = rest == "nan" ? std::nan("") : (text[0] == '-' ? -INFINITY : INFINITY);
        return true;
    }
    if (!is_yaml_style_float(s)) return false;
    errno = 0;
    char* end = nullptr;
    double v = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size() || std::isinf(v)) return false;
    out = v;
    return true;
}

YamlScalar resolve_plain_scalar(std::string_view in) {
    YamlScalar r;
    using Tag = YamlScalar::Tag;
    if (in.empty() || in == "~" || in == "null" || in == "Null" || in == "NULL") {
        r.tag = Tag::null;
        return r;
    }
    for (std::string_view t : {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"})
        if (in == t) {
            r.tag = Tag::boolean;
            r.boolean = true;
            return r;
        }
    for (std::string_view f : {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"})
        if (in == f) {
            r.tag = Tag::boolean;
            return r;
        }
    for (std::string_view n : {".nan", ".NaN", ".NAN"})
        if (in == n) {
            r.tag = Tag::floating;
            r.floating = std::nan("");
            return r;
        }
    for (std::string_view p : {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"})
        if (in == p) {
            r.tag = Tag::floating;
            r.floating = INFINITY;
            return r;
        }
    for (std::string_view m : {"-.inf", "-.Inf", "-.INF"})
        if (in == m) {
            r.tag = Tag::floating;
            r.floating = -INFINITY;
            return r;
        }
    char first = in[0];
    if (first == '.') {
        double f = 0;
        if (go_parse_float(in, f)) {
            r.tag = Tag::floating;
            r.floating = f;
        }
        return r;
    }
    if (first != '+' && first != '-' && !is_digit(first)) return r;
    if (is_yaml_timestamp(in)) {
        r.tag = Tag::timestamp;
        return r;
    }
    std::string plain;
    for (char c : in)
        if (c != '_') plain += c;
    std::int64_t i = 0;
    if (go_parse_int_base0(plain, i)) return make_int(i);
    std::uint64_t u = 0;
    if (go_parse_uint_base0(plain, u)) {
        r.tag = Tag::unsigned_integer;
        r.unsigned_integer = u;
        return r;
    }
    if (is_yaml_style_float(plain)) {
        double f = 0;
        if (go_parse_float(plain, f)) {
            r.tag = Tag::floating;
            r.floating = f;
            return r;
        }
    }
    std::string_view p(plain);
    if (p.substr(0, 2) == "0b") {
        if (parse_signed(p.substr(2), 2, i)) return make_int(i);
        if (parse_magnitude(p.substr(2), 2, u)) {
            r.tag = Tag::unsigned_integer;
            r.unsigned_integer = u;
            return r;
        }
    } else if (p.substr(0, 3) == "-0b") {
        if (parse_signed("-" + std::string(p.substr(3)), 2, i)) return make_int(i);
    }
    return r;
}

bool yaml_string_needs_quotes(std::string_view s) {
    return resolve_plain_scalar(s).tag != YamlScalar::Tag::string || is_base60_float(s) || is_old_bool(s);
}

}  // namespace sealift::render
