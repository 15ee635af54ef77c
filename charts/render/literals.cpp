// Go's literals as templates read them: strconv.Unquote for strings and character constants, and
// parse.newNumber for numbers (int, hex, octal, binary, underscores, floats, hex floats).
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "charts/render/literals.hpp"
#include "charts/render/parser.hpp"
#include "charts/render/utf8.hpp"
#include "core/hex.hpp"

namespace sealift::render {
namespace {

// strconv.UnquoteChar: one (possibly escaped) character of a literal quoted with `quote`.
bool unquote_char(std::string_view s, size_t& i, char quote, std::string& out, char32_t* rune_out) {
    if (i >= s.size()) return false;
    char c = s[i];
    if (c == quote && (quote == '\'' || quote == '"')) return false;
    if (static_cast<unsigned char>(c) >= 0x80) {
        char32_t r;
        i += utf8_decode(s, i, r);
        if (rune_out) *rune_out = r;
        append_utf8(out, r);
        return true;
    }
    if (c != '\\') {
        out += c;
        if (rune_out) *rune_out = static_cast<unsigned char>(c);
        ++i;
        return true;
    }
    if (i + 1 >= s.size()) return false;
    char e = s[i + 1];
    i += 2;
    char32_t value = 0;
    switch (e) {
    case 'a': value = '\a'; break;
    case 'b': value = '\b'; break;
    case 'f': value = '\f'; break;
    case 'n': value = '\n'; break;
    case 'r': value = '\r'; break;
    case 't': value = '\t'; break;
    case 'v': value = '\v'; break;
    case '\\': value = '\\'; break;
    case '\'':
    case '"':
        if (e != quote) return false;
        value = static_cast<unsigned char>(e);
        break;
    case 'x':
    case 'u':
    case 'U': {
        int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        if (i + n > s.size()) return false;
        for (int k = 0; k < n; ++k) {
            int h = hex_digit_value(s[i + k]);
            if (h < 0) return false;
            value = value * 16 + h;
        }
        i += n;
        if (e == 'x') {
            // A byte, not a rune: \xff is the single byte 0xff.
            out += static_cast<char>(value);
            if (rune_out) *rune_out = value;
            return true;
        }
        if (value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return false;
        break;
    }
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7': {
        value = e - '0';
        if (i + 2 > s.size()) return false;
        for (int k = 0; k < 2; ++k) {
            char d = s[i + k];
            if (d < '0' || d > '7') return false;
            value = value * 8 + (d - '0');
        }
        i += 2;
        if (value > 255) return false;
        out += static_cast<char>(value);
        if (rune_out) *rune_out = value;
        return true;
    }
    default: return false;
    }
    append_utf8(out, value);
    if (rune_out) *rune_out = value;
    return true;
}

// Go's underscoreOK for a number literal: underscores only between digits or after a base prefix.
bool underscores_ok(std::string_view s) {
    char saw = '^';
    size_t i = 0;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
    bool hex = false;
    if (s.size() >= 2 && s[0] == '0') {
        char b = static_cast<char>(s[1] | 0x20);
        if (b == 'x' || b == 'o' || b == 'b') {
            hex = b == 'x';
            i = 2;
            saw = '0';
        }
    }
    for (; i < s.size(); ++i) {
        char c = s[i];
        bool digit = (c >= '0' && c <= '9') || (hex && hex_digit_value(c) >= 0);
        if (digit) {
            saw = '0';
            continue;
        }
        if (c == '_') {
            if (saw != '0') return false;
            saw = '_';
            continue;
        }
        if (saw == '_') return false;
        saw = '!';
    }
    return saw != '_';
}

std::string without_underscores(std::string_view s) {
    std::string out;
    for (char c : s)
        if (c != '_') out += c;
    return out;
}

// strconv.ParseUint(s, 0, 64) and ParseInt(s, 0, 64).
bool parse_unsigned(std::string_view s, std::uint64_t& out) {
    if (s.empty() || s[0] == '-' || s[0] == '+') return false;
    if (s.find('_') != std::string_view::npos && !underscores_ok(s)) return false;
    std::string_view digits = s;
    int base = 10;
    if (s[0] == '0') {
        char b = s.size() >= 3 ? static_cast<char>(s[1] | 0x20) : 0;
        if (b == 'b' || b == 'o' || b == 'x') {
            base = b == 'b' ? 2 : b == 'o' ? 8 : 16;
            digits = s.substr(2);
        } else {
            base = 8;
            digits = s.substr(1);
        }
    }
    std::uint64_t value = 0;
    for (char c : digits) {
        if (c == '_') continue;
        int d = hex_digit_value(c);
        if (d < 0 || d >= base) return false;
        if (value > (UINT64_MAX - d) / base) return false;
        value = value * base + d;
    }
    out = value;
    return true;
}

bool parse_signed(std::string_view s, std::int64_t& out) {
    bool negative = !s.empty() && s[0] == '-';
    std::string_view body = !s.empty() && (s[0] == '-' || s[0] == '+') ? s.substr(1) : s;
    std::uint64_t u;
    if (!parse_unsigned(body, u)) return false;
    if (negative) {
        if (u > static_cast<std::uint64_t>(INT64_MAX) + 1) return false;
        out = static_cast<std::int64_t>(0 - u);
        return true;
    }
    if (u > static_cast<std::uint64_t>(INT64_MAX)) return false;
    out = static_cast<std::int64_t>(u);
    return true;
}

bool parse_float(std::string_view s, double& out) {
    if (s.find('_') != std::string_view::npos && !underscores_ok(s)) return false;
    std::string clean = without_underscores(s);
    if (clean.empty()) return false;
    // Go refuses octal/binary prefixes in floats and a hex mantissa without a 'p' exponent.
    std::string_view body = clean;
    if (body[0] == '+' || body[0] == '-') body.remove_prefix(1);
    bool hex = body.size() >= 2 && body[0] == '0' && (body[1] | 0x20) == 'x';
    if (hex && body.find_first_of("pP") == std::string_view::npos) return false;
    if (body.size() >= 2 && body[0] == '0' && ((body[1] | 0x20) == 'o' || (body[1] | 0x20) == 'b')) return false;
    for (char c : body)
        if (!(hex_digit_value(c) >= 0 || c == '.' || c == 'x' || c == 'X' || c == 'p' || c == 'P' || c == '+' ||
              c == '-'))
            return false;
    errno = 0;
    char* end = nullptr;
    double v = std::strtod(clean.c_str(), &end);
    if (end != clean.c_str() + clean.size()) return false;
    if (errno == ERANGE && std::isinf(v)) return false;
    out = v;
    return true;
}

}  // namespace

bool unquote_go_string(std::string_view q, std::string& out) {
    out.clear();
    if (q.size() < 2) return false;
    char quote = q.front();
    if (quote != q.back()) return false;
    std::string_view body = q.substr(1, q.size() - 2);
    if (quote == '`') {
        if (body.find('`') != std::string_view::npos) return false;
        for (char c : body)
            if (c != '\r') out += c;
        return true;
    }
    if (quote != '"') return false;
    size_t i = 0;
    while (i < body.size()) {
        if (body[i] == '\n') return false;
        if (!unquote_char(body, i, '"', out, nullptr)) return false;
    }
    return true;
}

std::optional<std::string> read_number_literal(ast::NumberNode& n, bool char_constant) {
    const std::string& text = n.text;
    if (char_constant) {
        std::string_view body = std::string_view(text).substr(1);
        size_t i = 0;
        std::string ignored;
        char32_t r = 0;
        if (!unquote_char(body, i, '\'', ignored, &r)) return "invalid syntax";
        if (body.substr(i) != "'") return "malformed character constant: " + text;
        n.is_int = n.is_uint = n.is_float = true;
        n.int64 = r;
        n.uint64 = r;
        n.float64 = r;
        return std::nullopt;
    }
    if (!text.empty() && text.back() == 'i') return "illegal number syntax: \"" + text + "\"";
    std::uint64_t u;
    if (parse_unsigned(text, u)) {
        n.is_uint = true;
        n.uint64 = u;
    }
    std::int64_t i;
    if (parse_signed(text, i)) {
        n.is_int = true;
        n.int64 = i;
        if (i == 0) {
            n.is_uint = true;
            n.uint64 = 0;
        }
    }
    if (n.is_int) {
        n.is_float = true;
        n.float64 = static_cast<double>(n.int64);
    } else if (n.is_uint) {
        n.is_float = true;
        n.float64 = static_cast<double>(n.uint64);
    } else {
        double f;
        if (parse_float(text, f)) {
            if (text.find_first_of(".eEpP") == std::string::npos) return "integer overflow: \"" + text + "\"";
            n.is_float = true;
            n.float64 = f;
            if (std::fabs(f) < 9.2e18 && static_cast<double>(static_cast<std::int64_t>(f)) == f) {
                n.is_int = true;
                n.int64 = static_cast<std::int64_t>(f);
            }
            if (f >= 0 && f < 1.8e19 && static_cast<double>(static_cast<std::uint64_t>(f)) == f) {
                n.is_uint = true;
                n.uint64 = static_cast<std::uint64_t>(f);
            }
        }
    }
    if (!n.is_int && !n.is_uint && !n.is_float) return "illegal number syntax: \"" + text + "\"";
    return std::nullopt;
}

}  // namespace sealift::render
