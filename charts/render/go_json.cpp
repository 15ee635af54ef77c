#include "charts/render/go_json.hpp"

#include <cmath>
#include <cstdio>

#include "charts/render/format.hpp"
#include "charts/render/utf8.hpp"
#include "core/error.hpp"

namespace sealift::render {
namespace {

using Json = nlohmann::json;

// Length of the valid UTF-8 sequence at s[i], or 0 when the bytes there are not one.
size_t utf8_sequence_length(std::string_view s, size_t i) {
    auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = byte(i);
    if (c < 0x80) return 1;
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (n == 0 || c > 0xF4 || i + n > s.size()) return 0;
    for (size_t k = 1; k < n; ++k)
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
    unsigned char c1 = byte(i + 1);
    if (c == 0xE0 && c1 < 0xA0) return 0;   // overlong
    if (c == 0xED && c1 >= 0xA0) return 0;  // surrogates
    if (c == 0xF0 && c1 < 0x90) return 0;   // overlong
    if (c == 0xF4 && c1 >= 0x90) return 0;  // beyond U+10FFFF
    return n;
}

void append_hex4(std::string& out, unsigned v) {
    static const char hex[] = "0123456789abcdef";
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) out += hex[(v >> shift) & 0xF];
}

void write_string(std::string& out, std::string_view s, bool escape_html) {
    out += '"';
    for (size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20 || (escape_html && (c == '<' || c == '>' || c == '&')))
                    append_hex4(out, c);
                else
                    out += char(c);
            }
            ++i;
            continue;
        }
        size_t n = utf8_sequence_length(s, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
            continue;
        }
        if (n == 3 && c == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
            (static_cast<unsigned char>(s[i + 2]) & 0xFE) == 0xA8) {
            append_hex4(out, static_cast<unsigned char>(s[i + 2]) == 0xA8 ? 0x2028 : 0x2029);
        } else {
            out.append(s.substr(i, n));
        }
        i += n;
    }
    out += '"';
}

struct Writer {
    const GoJsonStyle& style;
    std::string out;

    void newline(int depth) {
        out += '\n';
        for (int k = 0; k < depth; ++k) out += style.indent;
    }

    void value(const Json& v, int depth) {
        switch (v.type()) {
        case Json::value_t::null: out += "null"; break;
        case Json::value_t::boolean: out += v.get<bool>() ? "true" : "false"; break;
        case Json::value_t::number_integer: out += std::to_string(v.get<std::int64_t>()); break;
        case Json::value_t::number_unsigned: out += std::to_string(v.get<std::uint64_t>()); break;
        case Json::value_t::number_float: out += go_json_float(v.get<double>()); break;
        case Json::value_t::string: write_string(out, v.get_ref<const std::string&>(), style.escape_html); break;
        case Json::value_t::array: {
            out += '[';
            if (v.empty()) {
                out += ']';
                break;
            }
            bool first = true;
            for (const Json& item : v) {
                if (!first) out += ',';
                first = false;
                if (!style.indent.empty()) newline(depth + 1);
                value(item, depth + 1);
            }
            if (!style.indent.empty()) newline(depth);
            out += ']';
            break;
        }
        case Json::value_t::object: {
            out += '{';
            if (v.empty()) {
                out += '}';
                break;
            }
            bool first = true;
            for (const auto& [key, item] : v.items()) {
                if (!first) out += ',';
                first = false;
                if (!style.indent.empty()) newline(depth + 1);
                write_string(out, key, style.escape_html);
                out += style.indent.empty() ? ":" : ": ";
                value(item, depth + 1);
            }
            if (!style.indent.empty()) newline(depth);
            out += '}';
            break;
        }
        default: out += "null";
        }
    }
};

// Go's quoteChar for scanner errors: 'x', '\'' , '"', or strconv.Quote's escape in single quotes.
std::string quote_char(unsigned char c) {
    if (c == '\'') return "'\\''";
    if (c == '"') return "'\"'";
    std::string q = quote_string(std::string(1, char(c)));
    return "'" + q.substr(1, q.size() - 2) + "'";
}

class Reader {
public:
    explicit Reader(std::string_view text) : s_(text) {}

    Json document() {
        skip_space();
        Json v = value("looking for beginning of value");
        skip_space();
        if (i_ < s_.size()) bad("after top-level value");
        return v;
    }

    Json prefix(size_t& consumed) {
        skip_space();
        Json v = value("looking for beginning of value");
        consumed = i_;
        return v;
    }

private:
    std::string_view s_;
    size_t i_ = 0;

    // At the end of the input Go's scanner is fed one space: where a space is allowed the error
    // is "unexpected end of JSON input", inside a literal, number or escape it is that space.
    [[noreturn]] void bad(const std::string& context, bool space_allowed = true) {
        if (i_ >= s_.size()) {
            if (space_allowed) fail(Errc::format, "unexpected end of JSON input");
            fail(Errc::format, "invalid character ' ' " + context);
        }
        fail(Errc::format, "invalid character " + quote_char(static_cast<unsigned char>(s_[i_])) + " " + context);
    }

    void skip_space() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
    }

    Json value(const char* context) {
        if (i_ >= s_.size()) bad(context);
        char c = s_[i_];
        if (c == '{') return object();
        if (c == '[') return array();
        if (c == '"') return Json(string());
        if (c == '-' || (c >= '0' && c <= '9')) return number();
        if (c == 't') return literal("true", Json(true));
        if (c == 'f') return literal("false", Json(false));
        if (c == 'n') return literal("null", Json(nullptr));
        bad(context);
    }

    Json literal(std::string_view word, Json result) {
        for (size_t k = 0; k < word.size(); ++k, ++i_) {
            if (i_ >= s_.size() || s_[i_] != word[k])
                bad("in literal " + std::string(word) + " (expecting " + quote_char(word[k]) + ")", false);
        }
        return result;
    }

    Json number() {
        size_t start = i_;
        auto digit = [&] { return i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9'; };
        if (s_[i_] == '-') {
            ++i_;
            if (!digit()) bad("in numeric literal", false);
        }
        if (s_[i_] == '0')
            ++i_;
        else
            while (digit()) ++i_;
        if (i_ < s_.size() && s_[i_] == '.') {
            ++i_;
            if (!digit()) bad("after decimal point in numeric literal", false);
            while (digit()) ++i_;
        }
        if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
            ++i_;
            if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
            if (!digit()) bad("in exponent of numeric literal", false);
            while (digit()) ++i_;
        }
        std::string text(s_.substr(start, i_ - start));
        double f = std::strtod(text.c_str(), nullptr);
        if (std::isinf(f))
            fail(Errc::format, "json: cannot unmarshal number " + text + " into Go value of type float64");
        return Json(f);
    }

    unsigned hex4() {
        unsigned v = 0;
        for (int k = 0; k < 4; ++k, ++i_) {
            if (i_ >= s_.size()) bad("in \\u hexadecimal character escape", false);
            char c = s_[i_];
            int d = c >= '0' && c <= '9'   ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                           : -1;
            if (d < 0) bad("in \\u hexadecimal character escape");
            v = v * 16 + unsigned(d);
        }
        return v;
    }

    std::string string() {
        ++i_;  // the opening quote
        std::string out;
        while (true) {
            if (i_ >= s_.size()) bad("");
            unsigned char c = static_cast<unsigned char>(s_[i_]);
            if (c == '"') {
                ++i_;
                return out;
            }
            if (c < 0x20) bad("in string literal");
            if (c == '\\') {
                ++i_;
                if (i_ >= s_.size()) bad("in string escape code", false);
                char e = s_[i_];
                switch (e) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    ++i_;
                    unsigned cp = hex4();
                    if (cp >= 0xD800 && cp < 0xDC00 && i_ + 1 < s_.size() && s_[i_] == '\\' && s_[i_ + 1] == 'u') {
                        size_t save = i_;
                        i_ += 2;
                        unsigned low = hex4();
                        if (low >= 0xDC00 && low < 0xE000) {
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                        } else {
                            i_ = save;
                            cp = 0xFFFD;
                        }
                    } else if (cp >= 0xD800 && cp < 0xE000) {
                        cp = 0xFFFD;
                    }
                    append_utf8(out, char32_t(cp));
                    continue;
                }
                default: bad("in string escape code");
                }
                ++i_;
                continue;
            }
            size_t n = utf8_sequence_length(s_, i_);
            if (n == 0) {
                out += "\xEF\xBF\xBD";
                ++i_;
            } else {
                out.append(s_.substr(i_, n));
                i_ += n;
            }
        }
    }

    Json array() {
        ++i_;
        Json out = Json::array();
        skip_space();
        if (i_ < s_.size() && s_[i_] == ']') {
            ++i_;
            return out;
        }
        while (true) {
            skip_space();
            out.push_back(value("looking for beginning of value"));
            skip_space();
            if (i_ < s_.size() && s_[i_] == ',') {
                ++i_;
                continue;
            }
            if (i_ < s_.size() && s_[i_] == ']') {
                ++i_;
                return out;
            }
            bad("after array element");
        }
    }

    Json object() {
        ++i_;
        Json out = Json::object();
        skip_space();
        if (i_ < s_.size() && s_[i_] == '}') {
            ++i_;
            return out;
        }
        while (true) {
            skip_space();
            if (i_ >= s_.size() || s_[i_] != '"') bad("looking for beginning of object key string");
            std::string key = string();
            skip_space();
            if (i_ >= s_.size() || s_[i_] != ':') bad("after object key");
            ++i_;
            skip_space();
            out[key] = value("looking for beginning of value");
            skip_space();
            if (i_ < s_.size() && s_[i_] == ',') {
                ++i_;
                continue;
            }
            if (i_ < s_.size() && s_[i_] == '}') {
                ++i_;
                return out;
            }
            bad("after object key:value pair");
        }
    }
};

// strconv.FormatFloat(f, 'f', -1, 64): the shortest digits that read back, zeros after them
// (1.2345678901234567e19 is "12345678901234567000", not its exact "...7168").
std::string shortest_fixed(double f) {
    std::string e = format_float(f, 'e', -1);  // [-]d[.ddd]e±XX
    std::string sign = e[0] == '-' ? "-" : "";
    if (!sign.empty()) e.erase(0, 1);
    size_t at = e.find('e');
    std::string digits;
    for (size_t i = 0; i < at; ++i)
        if (e[i] != '.') digits += e[i];
    int point = std::stoi(e.substr(at + 1)) + 1;  // digits = 0.d1d2... * 10^point
    if (digits == "0") return sign + "0";
    std::string out;
    if (point <= 0) {
        out = "0." + std::string(size_t(-point), '0') + digits;
    } else if (point >= int(digits.size())) {
        out = digits + std::string(size_t(point) - digits.size(), '0');
    } else {
        out = digits.substr(0, size_t(point)) + "." + digits.substr(size_t(point));
    }
    return sign + out;
}

}  // namespace

std::string go_json_float(double f) {
    if (std::isnan(f) || std::isinf(f))
        fail(Errc::format, std::string("json: unsupported value: ") + (std::isnan(f) ? "NaN"
                                                                       : f > 0       ? "+Inf"
                                                                                     : "-Inf"));
    double a = std::fabs(f);
    if (a != 0 && (a < 1e-6 || a >= 1e21)) {
        std::string s = format_float(f, 'e', -1);
        size_t n = s.size();
        if (n >= 4 && s[n - 4] == 'e' && s[n - 3] == '-' && s[n - 2] == '0') s.erase(n - 2, 1);
        return s;
    }
    return shortest_fixed(f);
}

std::string go_json_marshal(const nlohmann::json& value, const GoJsonStyle& style) {
    Writer w{style, {}};
    w.value(value, 0);
    return std::move(w.out);
}

nlohmann::json go_json_unmarshal(std::string_view text) { return Reader(text).document(); }

nlohmann::json go_json_unmarshal_prefix(std::string_view text, size_t& consumed) {
    return Reader(text).prefix(consumed);
}

std::string go_json_valid_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size();) {
        size_t n = utf8_sequence_length(s, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(s.substr(i, n));
            i += n;
        }
    }
    return out;
}

}  // namespace sealift::render
