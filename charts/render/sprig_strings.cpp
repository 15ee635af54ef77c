// Sprig's string functions (strings.go) and the Go standard functions they wrap.
#include <algorithm>

#include "charts/render/format.hpp"
#include "charts/render/sprig_families.hpp"
#include "charts/render/sprig_support.hpp"
#include "charts/render/utf8.hpp"

namespace sealift::render {
namespace {

using P = ParamType;

std::string str(Args a, size_t i) { return a[i].as_string(); }
int int_arg(Args a, size_t i) { return int(a[i].as_int()); }

bool is_go_space(char32_t r) {
    return r == ' ' || (r >= '\t' && r <= '\r') || r == 0x85 || r == 0xA0 || r == 0x1680 ||
           (r >= 0x2000 && r <= 0x200A) || r == 0x2028 || r == 0x2029 || r == 0x202F || r == 0x205F || r == 0x3000;
}

std::u32string runes(std::string_view s) {
    std::u32string out;
    for (size_t i = 0; i < s.size();) {
        char32_t r = 0;
        i += utf8_decode(s, i, r);
        out += r;
    }
    return out;
}

std::string text(const std::u32string& r) {
    std::string out;
    for (char32_t c : r) append_utf8(out, c);
    return out;
}

bool is_ascii_letter(char32_t r) { return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'); }
bool is_ascii_digit(char32_t r) { return r >= '0' && r <= '9'; }
bool is_letter(char32_t r) { return is_ascii_letter(r) || (r >= 0xC0 && r != 0xD7 && r != 0xF7); }

// unicode.ToUpper / ToLower for ASCII and Latin-1.
char32_t to_upper(char32_t r) {
    if (r >= 'a' && r <= 'z') return r - 32;
    if (r >= 0xE0 && r <= 0xFE && r != 0xF7) return r - 32;
    return r;
}
char32_t to_lower(char32_t r) {
    if (r >= 'A' && r <= 'Z') return r + 32;
    if (r >= 0xC0 && r <= 0xDE && r != 0xD7) return r + 32;
    return r;
}

std::string map_runes(std::string_view s, char32_t (*f)(char32_t)) {
    std::u32string r = runes(s);
    for (char32_t& c : r) c = f(c);
    return text(r);
}

// strings.Title's word boundary.
bool is_separator(char32_t r) {
    if (r <= 0x7F) return !(is_ascii_letter(r) || is_ascii_digit(r) || r == '_');
    if (is_letter(r)) return false;
    return is_go_space(r);
}

std::string title(std::string_view s) {
    std::u32string r = runes(s);
    char32_t prev = ' ';
    for (char32_t& c : r) {
        char32_t original = c;
        if (is_separator(prev)) c = to_upper(c);
        prev = original;
    }
    return text(r);
}

std::string untitle(std::string_view s) {
    std::u32string r = runes(s);
    bool start = true;
    for (char32_t& c : r) {
        if (is_go_space(c)) {
            start = true;
            continue;
        }
        if (start) c = to_lower(c);
        start = false;
    }
    return text(r);
}

// The words of an identifier as xstrings sees them: separators split, a lower-case letter or
// digit followed by an upper-case one splits, and so does the last capital of a run before a
// lower-case letter (HTTPServer: HTTP, Server).
std::vector<std::u32string> identifier_words(std::string_view s) {
    std::u32string r = runes(s);
    std::vector<std::u32string> words;
    std::u32string current;
    auto upper = [](char32_t c) { return to_lower(c) != c; };
    auto lower = [](char32_t c) { return to_upper(c) != c; };
    for (size_t i = 0; i < r.size(); ++i) {
        char32_t c = r[i];
        if (!is_letter(c) && !is_ascii_digit(c)) {
            if (!current.empty()) words.push_back(std::move(current));
            current.clear();
            continue;
        }
        if (!current.empty() && upper(c)) {
            char32_t prev = current.back();
            bool next_lower = i + 1 < r.size() && lower(r[i + 1]);
            if (lower(prev) || is_ascii_digit(prev) || (upper(prev) && next_lower)) {
                words.push_back(std::move(current));
                current.clear();
            }
        }
        current += c;
    }
    if (!current.empty()) words.push_back(std::move(current));
    return words;
}

std::string joined_lower(std::string_view s, char32_t sep) {
    std::u32string out;
    for (const auto& w : identifier_words(s)) {
        if (!out.empty()) out += sep;
        for (char32_t c : w) out += to_lower(c);
    }
    return text(out);
}

std::string camelcase(std::string_view s) {
    std::u32string r = runes(s);
    std::u32string out;
    bool start = true;
    for (char32_t c : r) {
        if (c == '_' || c == '-' || c == ' ' || c == '.') {
            start = true;
            continue;
        }
        out += start ? to_upper(c) : c;
        start = false;
    }
    return text(out);
}

// goutils.Wrap(s, width): WordUtils' wrap at spaces, long words left whole.
std::string wrap(const std::string& s, int width) {
    if (width < 1) width = 1;
    size_t length = s.size(), offset = 0, w = size_t(width);
    std::string out;
    while (length - offset > w) {
        if (s[offset] == ' ') {
            ++offset;
            continue;
        }
        size_t end = std::min(length, w + offset + 1);
        size_t space = s.substr(offset, end - offset).rfind(' ');
        if (space != std::string::npos) {
            out += s.substr(offset, space) + "\n";
            offset += space + 1;
        } else {
            size_t next = s.find(' ', w + offset);
            if (next == std::string::npos) break;
            out += s.substr(offset, next - offset) + "\n";
            offset = next + 1;
        }
    }
    return out + s.substr(offset);
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    if (from.empty()) {
        // strings.Replace with an empty old string inserts `to` around every rune.
        std::string out = to;
        for (size_t i = 0; i < s.size();) {
            char32_t r = 0;
            size_t w = utf8_decode(s, i, r);
            out += s.substr(i, w) + to;
            i += w;
        }
        return out;
    }
    std::string out;
    size_t pos = 0;
    while (true) {
        size_t at = s.find(from, pos);
        if (at == std::string::npos) break;
        out += s.substr(pos, at - pos) + to;
        pos = at + from.size();
    }
    return out + s.substr(pos);
}

// strings.Split (an empty separator splits into runes).
std::vector<std::string> split(const std::string& s, const std::string& sep, int n = -1) {
    std::vector<std::string> out;
    if (n == 0) return out;
    if (sep.empty()) {
        for (size_t i = 0; i < s.size();) {
            char32_t r = 0;
            size_t w = utf8_decode(s, i, r);
            if (n > 0 && int(out.size()) == n - 1) {
                out.push_back(s.substr(i));
                return out;
            }
            out.push_back(s.substr(i, w));
            i += w;
        }
        return out;
    }
    size_t pos = 0;
    while (n < 0 || int(out.size()) < n - 1) {
        size_t at = s.find(sep, pos);
        if (at == std::string::npos) break;
        out.push_back(s.substr(pos, at - pos));
        pos = at + sep.size();
    }
    out.push_back(s.substr(pos));
    return out;
}

Value split_map(const std::vector<std::string>& parts) {
    MapRef m = make_map();
    for (size_t i = 0; i < parts.size(); ++i) m->entries.emplace("_" + std::to_string(i), Value(parts[i]));
    return Value(m);
}

bool in_cutset(char32_t r, const std::u32string& cutset) { return cutset.find(r) != std::u32string::npos; }

std::string trim_set(std::string_view s, std::string_view cutset, bool left, bool right) {
    std::u32string r = runes(s), cut = runes(cutset);
    size_t b = 0, e = r.size();
    while (left && b < e && in_cutset(r[b], cut)) ++b;
    while (right && e > b && in_cutset(r[e - 1], cut)) --e;
    return text(r.substr(b, e - b));
}

std::string trim_space(std::string_view s) {
    std::u32string r = runes(s);
    size_t b = 0, e = r.size();
    while (b < e && is_go_space(r[b])) ++b;
    while (e > b && is_go_space(r[e - 1])) --e;
    return text(r.substr(b, e - b));
}

std::string indent(int spaces, const std::string& s) {
    std::string pad(size_t(std::max(spaces, 0)), ' ');
    return pad + replace_all(s, "\n", "\n" + pad);
}

// Go's s[a:b] on bytes; out of range panics as Go's runtime does.
std::string byte_slice(const std::string& s, long a, long b) {
    if (a < 0 || b < a || size_t(b) > s.size())
        throw FunctionError("runtime error: slice bounds out of range [" + std::to_string(a) + ":" + std::to_string(b) +
                            "]");
    return s.substr(size_t(a), size_t(b - a));
}

}  // namespace

void add_string_functions(FunctionTable& t) {
    auto s1 = [&](const char* name, std::function<std::string(const std::string&)> f) {
        add_function(t, name, {P::string}, [f](Args a) { return Value(f(str(a, 0))); });
    };
    s1("trim", [](const std::string& s) { return trim_space(s); });
    s1("upper", [](const std::string& s) { return map_runes(s, to_upper); });
    s1("lower", [](const std::string& s) { return map_runes(s, to_lower); });
    s1("title", [](const std::string& s) { return title(s); });
    s1("untitle", [](const std::string& s) { return untitle(s); });
    s1("camelcase", [](const std::string& s) { return camelcase(s); });
    s1("snakecase", [](const std::string& s) { return joined_lower(s, '_'); });
    s1("kebabcase", [](const std::string& s) { return joined_lower(s, '-'); });
    s1("nospace", [](const std::string& s) {
        std::u32string out;
        for (char32_t c : runes(s))
            if (!is_go_space(c)) out += c;
        return text(out);
    });
    add_function(t, "trimAll", {P::string, P::string},
                 [](Args a) { return Value(trim_set(str(a, 1), str(a, 0), true, true)); });
    add_function(t, "trimPrefix", {P::string, P::string}, [](Args a) {
        std::string s = str(a, 1), p = str(a, 0);
        return Value(s.starts_with(p) ? s.substr(p.size()) : s);
    });
    add_function(t, "trimSuffix", {P::string, P::string}, [](Args a) {
        std::string s = str(a, 1), p = str(a, 0);
        return Value(s.ends_with(p) ? s.substr(0, s.size() - p.size()) : s);
    });
    add_function(t, "contains", {P::string, P::string},
                 [](Args a) { return Value(str(a, 1).find(str(a, 0)) != std::string::npos); });
    add_function(t, "hasPrefix", {P::string, P::string},
                 [](Args a) { return Value(str(a, 1).starts_with(str(a, 0))); });
    add_function(t, "hasSuffix", {P::string, P::string}, [](Args a) { return Value(str(a, 1).ends_with(str(a, 0))); });
    add_function(t, "replace", {P::string, P::string, P::string},
                 [](Args a) { return Value(replace_all(str(a, 2), str(a, 0), str(a, 1))); });
    add_function(t, "repeat", {P::integer, P::string}, [](Args a) {
        if (a[0].as_int() < 0) throw FunctionError("strings: negative Repeat count");
        std::string out;
        for (std::int64_t i = 0; i < a[0].as_int(); ++i) out += str(a, 1);
        return Value(out);
    });
    add_function(t, "substr", {P::integer, P::integer, P::string}, [](Args a) {
        long start = int_arg(a, 0), end = int_arg(a, 1);
        std::string s = str(a, 2);
        if (start < 0) return Value(byte_slice(s, 0, end));
        if (end < 0 || size_t(end) > s.size()) return Value(byte_slice(s, start, long(s.size())));
        return Value(byte_slice(s, start, end));
    });
    add_function(t, "trunc", {P::integer, P::string}, [](Args a) {
        long c = int_arg(a, 0);
        std::string s = str(a, 1);
        long n = long(s.size());
        if (c < 0 && n + c > 0) return Value(s.substr(size_t(n + c)));
        if (c >= 0 && n > c) return Value(s.substr(0, size_t(c)));
        return Value(s);
    });
    add_function(t, "indent", {P::integer, P::string}, [](Args a) { return Value(indent(int_arg(a, 0), str(a, 1))); });
    add_function(t, "nindent", {P::integer, P::string},
                 [](Args a) { return Value("\n" + indent(int_arg(a, 0), str(a, 1))); });
    add_function(t, "plural", {P::string, P::string, P::integer},
                 [](Args a) { return Value(a[2].as_int() == 1 ? str(a, 0) : str(a, 1)); });
    add_function(t, "wrap", {P::integer, P::string}, [](Args a) { return Value(wrap(str(a, 1), int_arg(a, 0))); });
    add_function(t, "split", {P::string, P::string}, [](Args a) { return split_map(split(str(a, 1), str(a, 0))); });
    add_function(t, "splitn", {P::string, P::integer, P::string},
                 [](Args a) { return split_map(split(str(a, 2), str(a, 0), int_arg(a, 1))); });
    add_function(t, "splitList", {P::string, P::string},
                 [](Args a) { return string_list_value(split(str(a, 1), str(a, 0))); });
    add_function(t, "join", {P::string, P::any}, [](Args a) {
        std::string out;
        bool first = true;
        for (const std::string& s : strslice(a[1])) {
            if (!first) out += str(a, 0);
            out += s;
            first = false;
        }
        return Value(out);
    });
    add_function(
        t, "quote", {},
        [](Args a) {
            std::string out;
            for (const Value& v : a) {
                if (v.is_nil()) continue;
                if (!out.empty()) out += ' ';
                out += quote_string(strval(v));
            }
            return Value(out);
        },
        P::any);
    add_function(
        t, "squote", {},
        [](Args a) {
            std::string out;
            for (const Value& v : a) {
                if (v.is_nil()) continue;
                if (!out.empty()) out += ' ';
                out += "'" + strval(v) + "'";
            }
            return Value(out);
        },
        P::any);
    add_function(
        t, "cat", {},
        [](Args a) {
            std::string out;
            for (const Value& v : a) {
                if (v.is_nil()) continue;
                if (!out.empty()) out += ' ';
                out += format_value(v);
            }
            return Value(out);
        },
        P::any);
    add_function(t, "toString", {P::any}, [](Args a) { return Value(strval(a[0])); });
    add_function(t, "toStrings", {P::any}, [](Args a) { return string_list_value(strslice(a[0])); });
}

}  // namespace sealift::render
