// Go's html, js and urlquery builtins: their arguments printed as fmt.Sprint does (a lone string
// as it is, nil as "<no value>"), then escaped as template.HTMLEscapeString, JSEscapeString and
// url.QueryEscape do.
#include <cstdio>

#include "charts/render/builtins.hpp"
#include "charts/render/format.hpp"
#include "charts/render/utf8.hpp"

namespace sealift::render {
namespace {

std::string eval_args(Args args) {
    if (args.size() == 1 && args[0].is_string()) return args[0].as_string();
    std::vector<Value> printable(args.begin(), args.end());
    for (auto& v : printable)
        if (v.is_nil()) v = Value("<no value>");
    return sprint(printable);
}

std::string html_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '"': out += "&#34;"; break;
        case '\'': out += "&#39;"; break;
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '\0': out += "\xEF\xBF\xBD"; break;
        default: out += c;
        }
    }
    return out;
}

std::string js_escape(std::string_view s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            switch (c) {
            case '\\': out += "\\\\"; break;
            case '\'': out += "\\'"; break;
            case '"': out += "\\\""; break;
            case '<': out += "\\u003C"; break;
            case '>': out += "\\u003E"; break;
            case '&': out += "\\u0026"; break;
            case '=': out += "\\u003D"; break;
            default:
                if (c < ' ') {
                    out += "\\u00";
                    out += hex[c >> 4];
                    out += hex[c & 15];
                } else {
                    out += static_cast<char>(c);
                }
            }
            ++i;
            continue;
        }
        char32_t r;
        size_t n = utf8_decode(s, i, r);
        if (is_printable_rune(r) && !(r == 0xFFFD && n == 1)) {
            out.append(s.substr(i, n));
        } else {
            char buf[16];
            std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(r));
            out += buf;
        }
        i += n;
    }
    return out;
}

std::string query_escape(std::string_view s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                          c == '_' || c == '.' || c == '~';
        if (unreserved) {
            out += static_cast<char>(c);
        } else if (c == ' ') {
            out += '+';
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

}  // namespace

void add_escape_builtins(FunctionTable& table) {
    using P = ParamType;
    table.add("html", Function{{}, P::any, [](Execution&, Args a) { return Value(html_escape(eval_args(a))); }});
    table.add("js", Function{{}, P::any, [](Execution&, Args a) { return Value(js_escape(eval_args(a))); }});
    table.add("urlquery", Function{{}, P::any, [](Execution&, Args a) { return Value(query_escape(eval_args(a))); }});
}

}  // namespace sealift::render
