// Go's fmt: the operand printer (printArg/printValue) and the format-string reader (doPrintf).
#include "charts/render/format.hpp"

#include <cstdint>

#include "charts/render/utf8.hpp"

namespace sealift::render {
namespace {

struct Spec {
    bool plus = false, minus = false, sharp = false, space = false, zero = false;
    int width = -1;      // -1: none
    int precision = -1;  // -1: none
};

// Pads `s` to the width (counted in runes) with spaces, or zeros on the left under the 0 flag.
void pad(std::string& out, std::string_view s, const Spec& spec) {
    int runes = static_cast<int>(utf8_rune_count(s));
    int fill = spec.width > runes ? spec.width - runes : 0;
    if (spec.minus) {
        out += s;
        out.append(fill, ' ');
    } else {
        out.append(fill, spec.zero ? '0' : ' ');
        out += s;
    }
}

void bad_verb(std::string& out, char verb, const Value& v);

void format_integer(std::string& out, const Value& v, std::int64_t value, char verb, Spec spec) {
    int base = 10;
    switch (verb) {
    case 'b': base = 2; break;
    case 'o':
    case 'O': base = 8; break;
    case 'x':
    case 'X': base = 16; break;
    case 'c': {
        std::string r;
        append_utf8(r, static_cast<char32_t>(value));
        pad(out, r, spec);
        return;
    }
    case 'q': {
        std::string r;
        append_utf8(r, static_cast<char32_t>(value));
        pad(out, quote_rune(static_cast<char32_t>(value)), spec);
        return;
    }
    case 'U': {
        char buf[32];
        std::snprintf(buf, sizeof buf, "U+%04llX", static_cast<unsigned long long>(value));
        pad(out, buf, spec);
        return;
    }
    case 'v':
    case 'd': break;
    default: bad_verb(out, verb, v); return;
    }
    bool negative = value < 0;
    std::uint64_t u = negative ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
    int prec = 0;
    if (spec.precision >= 0) {
        prec = spec.precision;
        if (prec == 0 && u == 0) {
            spec.zero = false;
            pad(out, "", spec);
            return;
        }
    } else if (spec.zero && spec.width >= 0 && !spec.minus) {
        prec = spec.width;
        if (negative || spec.plus || spec.space) --prec;
    }
    const char* digits = verb == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    std::string num;
    do {
        num.insert(num.begin(), digits[u % base]);
        u /= base;
    } while (u);
    while (static_cast<int>(num.size()) < prec) num.insert(num.begin(), '0');
    if (spec.sharp) {
        if (base == 8 && num[0] != '0') num.insert(0, "0");
        if (base == 16) num.insert(0, verb == 'X' ? "0X" : "0x");
        if (base == 2) num.insert(0, "0b");
    }
    if (verb == 'O') num.insert(0, "0o");
    if (negative)
        num.insert(0, "-");
    else if (spec.plus)
        num.insert(0, "+");
    else if (spec.space)
        num.insert(0, " ");
    spec.zero = false;
    pad(out, num, spec);
}

void format_floating(std::string& out, const Value& v, double f, char verb, Spec spec) {
    int prec = -1;
    char fmt = verb;
    switch (verb) {
    case 'v': fmt = 'g'; break;
    case 'g':
    case 'G': break;
    case 'e':
    case 'E':
    case 'f':
    case 'F': prec = 6; break;
    default: bad_verb(out, verb, v); return;
    }
    if (fmt == 'F') fmt = 'f';
    if (spec.precision >= 0) prec = spec.precision;
    std::string num = format_float(f, fmt, prec);
    if (num[0] != '-' && num[0] != '+') num.insert(0, "+");
    if (spec.space && num[0] == '+' && !spec.plus) num[0] = ' ';
    bool special = num == "+Inf" || num == "-Inf" || num == "+NaN" || num == " Inf" || num == " NaN";
    if (special) {
        spec.zero = false;
        if (num.substr(1) == "NaN" && !spec.plus && !spec.space) num.erase(0, 1);
    }
    if (spec.plus || num[0] != '+') {
        if (spec.zero && !spec.minus && spec.width > static_cast<int>(num.size())) {
            out += num[0];
            out.append(spec.width - num.size(), '0');
            out.append(num, 1);
            return;
        }
        pad(out, num, spec);
        return;
    }
    pad(out, std::string_view(num).substr(1), spec);
}

void format_string(std::string& out, const Value& v, const std::string& s, char verb, const Spec& spec) {
    std::string_view text = s;
    if (spec.precision >= 0 && (verb == 'v' || verb == 's' || verb == 'q' || verb == 'x' || verb == 'X'))
        text = verb == 'x' || verb == 'X' ? text.substr(0, std::min<size_t>(text.size(), spec.precision))
                                          : utf8_prefix(text, spec.precision);
    switch (verb) {
    case 'v':
    case 's': pad(out, text, spec); return;
    case 'q':
        if (spec.sharp && text.find('`') == std::string_view::npos && utf8_is_printable_text(text)) {
            pad(out, "`" + std::string(text) + "`", spec);
        } else {
            pad(out, quote_string(text), spec);
        }
        return;
    case 'x':
    case 'X': {
        const char* digits = verb == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
        std::string hex;
        for (size_t i = 0; i < text.size(); ++i) {
            if (spec.space && i > 0) hex += ' ';
            if (spec.sharp && (spec.space || i == 0)) hex += verb == 'X' ? "0X" : "0x";
            auto byte = static_cast<unsigned char>(text[i]);
            hex += digits[byte >> 4];
            hex += digits[byte & 15];
        }
        pad(out, hex, spec);
        return;
    }
    default: bad_verb(out, verb, v);
    }
}

void print_value(std::string& out, const Value& v, char verb, const Spec& spec, int depth);

void print_list(std::string& out, const List& list, char verb, const Spec& spec, int depth) {
    out += '[';
    for (size_t i = 0; i < list.items.size(); ++i) {
        if (i > 0) out += ' ';
        print_value(out, list.items[i], verb, spec, depth + 1);
    }
    out += ']';
}

void print_map(std::string& out, const Map& map, char verb, const Spec& spec, int depth) {
    out += "map[";
    bool first = true;
    for (const auto& [key, item] : map.entries) {
        if (!first) out += ' ';
        first = false;
        print_value(out, Value(key), verb, spec, depth + 1);
        out += ':';
        print_value(out, item, verb, spec, depth + 1);
    }
    out += ']';
}

void print_value(std::string& out, const Value& v, char verb, const Spec& spec, int depth) {
    if (verb == 'T') {
        pad(out, type_name(v), spec);
        return;
    }
    switch (v.kind()) {
    case Value::Kind::nil:
        if (verb == 'v') {
            pad(out, "<nil>", spec);
        } else {
            bad_verb(out, verb, v);
        }
        return;
    case Value::Kind::boolean:
        if (verb == 'v' || verb == 't') {
            pad(out, v.as_bool() ? "true" : "false", spec);
        } else {
            bad_verb(out, verb, v);
        }
        return;
    case Value::Kind::integer: format_integer(out, v, v.as_int(), verb, spec); return;
    case Value::Kind::floating: format_floating(out, v, v.as_float(), verb, spec); return;
    case Value::Kind::string: format_string(out, v, v.as_string(), verb, spec); return;
    case Value::Kind::list: print_list(out, *v.as_list(), verb, spec, depth); return;
    case Value::Kind::map: print_map(out, *v.as_map(), verb, spec, depth); return;
    case Value::Kind::object:
        if (verb == 'v' || verb == 's') {
            pad(out, v.as_object()->format(), spec);
        } else {
            bad_verb(out, verb, v);
        }
        return;
    }
}

// Go's "%!d(string=hello)".
void bad_verb(std::string& out, char verb, const Value& v) {
    out += "%!";
    out += verb;
    out += '(';
    if (v.is_nil()) {
        out += "<nil>";
    } else {
        out += type_name(v);
        out += '=';
        print_value(out, v, 'v', Spec{}, 0);
    }
    out += ')';
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads a decimal number at format[i]; returns -1 when there is none.
int parse_number(std::string_view format, size_t& i) {
    if (i >= format.size() || !is_digit(format[i])) return -1;
    int n = 0;
    while (i < format.size() && is_digit(format[i])) {
        n = n * 10 + (format[i] - '0');
        if (n > 1000000) n = 1000000;  // Go refuses absurd widths; keep them bounded
        ++i;
    }
    return n;
}

}  // namespace

std::string format_value(const Value& v) {
    std::string out;
    print_value(out, v, 'v', Spec{}, 0);
    return out;
}

std::string sprint(Args args) {
    std::string out;
    bool previous_string = false;
    for (size_t i = 0; i < args.size(); ++i) {
        bool is_string = args[i].is_string();
        if (i > 0 && !is_string && !previous_string) out += ' ';
        print_value(out, args[i], 'v', Spec{}, 0);
        previous_string = is_string;
    }
    return out;
}

std::string sprintln(Args args) {
    std::string out;
    for (size_t i = 0; i < args.size(); ++i) {
        if (i > 0) out += ' ';
        print_value(out, args[i], 'v', Spec{}, 0);
    }
    out += '\n';
    return out;
}

std::string sprintf(std::string_view format, Args args) {
    std::string out;
    size_t arg = 0;
    size_t i = 0;
    while (i < format.size()) {
        size_t start = i;
        while (i < format.size() && format[i] != '%') ++i;
        out.append(format.substr(start, i - start));
        if (i >= format.size()) break;
        ++i;  // the '%'
        Spec spec;
        for (; i < format.size(); ++i) {
            char c = format[i];
            if (c == '#') {
                spec.sharp = true;
            } else if (c == '0') {
                spec.zero = !spec.minus;
            } else if (c == '+') {
                spec.plus = true;
            } else if (c == '-') {
                spec.minus = true;
                spec.zero = false;
            } else if (c == ' ') {
                spec.space = true;
            } else {
                break;
            }
        }
        if (i < format.size() && format[i] == '*') {
            ++i;
            if (arg < args.size() && args[arg].is_int()) {
                spec.width = static_cast<int>(args[arg].as_int());
                if (spec.width < 0) {
                    spec.minus = true;
                    spec.zero = false;
                    spec.width = -spec.width;
                }
            } else {
                out += "%!(BADWIDTH)";
            }
            ++arg;
        } else {
            spec.width = parse_number(format, i);
        }
        if (i < format.size() && format[i] == '.') {
            ++i;
            if (i < format.size() && format[i] == '*') {
                ++i;
                if (arg < args.size() && args[arg].is_int() && args[arg].as_int() >= 0) {
                    spec.precision = static_cast<int>(args[arg].as_int());
                } else {
                    out += "%!(BADPREC)";
                }
                ++arg;
            } else {
                spec.precision = parse_number(format, i);
                if (spec.precision < 0) spec.precision = 0;
            }
        }
        if (i >= format.size()) {
            out += "%!(NOVERB)";
            break;
        }
        char32_t verb = 0;
        size_t verb_start = i;
        i += utf8_decode(format, i, verb);
        std::string verb_text(format.substr(verb_start, i - verb_start));
        if (verb == '%') {
            out += '%';
            continue;
        }
        if (arg >= args.size()) {
            out += "%!" + verb_text + "(MISSING)";
            continue;
        }
        if (verb >= 0x80) {
            // Not a verb fmt knows: Go's bad-verb text with the rune itself.
            out += "%!" + verb_text + "(" + type_name(args[arg]) + "=" + format_value(args[arg]) + ")";
            ++arg;
            continue;
        }
        if (verb == 'v' && spec.sharp) spec.sharp = false;  // %#v (Go syntax) prints as %v here
        print_value(out, args[arg], static_cast<char>(verb), spec, 0);
        ++arg;
    }
    if (arg < args.size()) {
        out += "%!(EXTRA ";
        for (size_t k = arg; k < args.size(); ++k) {
            if (k > arg) out += ", ";
            if (args[k].is_nil()) {
                out += "<nil>";
            } else {
                out += type_name(args[k]) + "=" + format_value(args[k]);
            }
        }
        out += ')';
    }
    return out;
}

}  // namespace sealift::render
