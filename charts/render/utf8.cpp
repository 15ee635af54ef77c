#include "charts/render/utf8.hpp"

#include <cstdio>

#include "charts/render/format.hpp"

namespace sealift::render {

size_t utf8_decode(std::string_view s, size_t i, char32_t& r) {
    auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = byte(i);
    r = 0xFFFD;
    if (c < 0x80) {
        r = c;
        return 1;
    }
    size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
    if (n == 0 || i + n > s.size()) return 1;
    char32_t value = c & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
    for (size_t k = 1; k < n; ++k) {
        unsigned char cc = byte(i + k);
        if ((cc & 0xC0) != 0x80) return 1;
        value = (value << 6) | (cc & 0x3F);
    }
    bool overlong = (n == 3 && value < 0x800) || (n == 4 && value < 0x10000);
    if (overlong || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 1;
    r = value;
    return n;
}

size_t utf8_rune_count(std::string_view s) {
    size_t count = 0;
    char32_t r;
    for (size_t i = 0; i < s.size(); i += utf8_decode(s, i, r)) ++count;
    return count;
}

std::string_view utf8_prefix(std::string_view s, size_t runes) {
    size_t i = 0;
    char32_t r;
    for (size_t n = 0; n < runes && i < s.size(); ++n) i += utf8_decode(s, i, r);
    return s.substr(0, i);
}

void append_utf8(std::string& out, char32_t r) {
    if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) r = 0xFFFD;
    if (r < 0x80) {
        out += static_cast<char>(r);
    } else if (r < 0x800) {
        out += static_cast<char>(0xC0 | (r >> 6));
        out += static_cast<char>(0x80 | (r & 0x3F));
    } else if (r < 0x10000) {
        out += static_cast<char>(0xE0 | (r >> 12));
        out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (r & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (r >> 18));
        out += static_cast<char>(0x80 | ((r >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (r & 0x3F));
    }
}

bool is_printable_rune(char32_t r) {
    if (r < 0x20) return false;
    if (r < 0x7F) return true;
    if (r < 0xA1) return false;  // DEL, C1 controls and the no-break space (a separator)
    if (r == 0xAD) return false;
    if (r >= 0x2000 && r <= 0x200F) return false;
    if (r >= 0x2028 && r <= 0x202F) return false;
    if (r >= 0x205F && r <= 0x206F) return false;
    if (r == 0x3000 || r == 0xFEFF || (r >= 0xFFF9 && r <= 0xFFFB)) return false;
    if (r >= 0xD800 && r <= 0xDFFF) return false;
    if (r >= 0xE000 && r <= 0xF8FF) return false;
    if (r == 0xFFFE || r == 0xFFFF || r > 0x10FFFF) return false;
    return true;
}

bool utf8_is_printable_text(std::string_view s) {
    char32_t r;
    for (size_t i = 0; i < s.size();) {
        size_t n = utf8_decode(s, i, r);
        if (r == 0xFFFD && n == 1 && static_cast<unsigned char>(s[i]) >= 0x80) return false;
        if (r != '\t' && !is_printable_rune(r)) return false;
        i += n;
    }
    return true;
}

namespace {

void append_escaped(std::string& out, char32_t r, size_t width, unsigned char raw, char quote) {
    char buf[16];
    if (width == 1 && r == 0xFFFD) {
        std::snprintf(buf, sizeof buf, "\\x%02x", raw);
        out += buf;
        return;
    }
    if (r == static_cast<char32_t>(quote) || r == '\\') {
        out += '\\';
        out += static_cast<char>(r);
        return;
    }
    if (is_printable_rune(r)) {
        append_utf8(out, r);
        return;
    }
    switch (r) {
    case '\a': out += "\\a"; return;
    case '\b': out += "\\b"; return;
    case '\f': out += "\\f"; return;
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    case '\v': out += "\\v"; return;
    default: break;
    }
    if (r < ' ' || r == 0x7F) {
        std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(r));
    } else if (r < 0x10000) {
        std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(r));
    } else {
        std::snprintf(buf, sizeof buf, "\\U%08x", static_cast<unsigned>(r));
    }
    out += buf;
}

}  // namespace

std::string quote_string(std::string_view s) {
    std::string out = "\"";
    char32_t r;
    for (size_t i = 0; i < s.size();) {
        size_t n = utf8_decode(s, i, r);
        append_escaped(out, r, n, static_cast<unsigned char>(s[i]), '"');
        i += n;
    }
    out += '"';
    return out;
}

std::string quote_rune(char32_t r) {
    std::string out = "'";
    if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) r = 0xFFFD;
    append_escaped(out, r, 4, 0, '\'');
    out += '\'';
    return out;
}

}  // namespace sealift::render
