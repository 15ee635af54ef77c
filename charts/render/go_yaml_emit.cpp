// The emitter follows goyaml.v2's emitterc.go state by state for what sigs.k8s.io/yaml feeds it
// (block collections, empty flow collections, scalars): the same column, indentation, whitespace
// and "indention" bookkeeping decides every space and line break, so the output is the same bytes.
#include "charts/render/go_yaml_emit.hpp"

#include <algorithm>
#include <vector>

#include "charts/render/format.hpp"
#include "charts/render/go_json.hpp"
#include "charts/render/yaml_resolve.hpp"
#include "core/error.hpp"

namespace sealift::render {
namespace {

using Json = nlohmann::json;

constexpr int best_indent = 2;
constexpr int best_width = 80;

unsigned char at(std::string_view s, size_t i) { return i < s.size() ? static_cast<unsigned char>(s[i]) : 0; }

size_t width(unsigned char c) {
    return c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
}

bool is_space(std::string_view s, size_t i) { return at(s, i) == ' '; }
bool is_tab(std::string_view s, size_t i) { return at(s, i) == '\t'; }
bool is_blank(std::string_view s, size_t i) { return is_space(s, i) || is_tab(s, i); }

bool is_break(std::string_view s, size_t i) {
    unsigned char c = at(s, i);
    return c == '\r' || c == '\n' || (c == 0xC2 && at(s, i + 1) == 0x85) ||
           (c == 0xE2 && at(s, i + 1) == 0x80 && (at(s, i + 2) == 0xA8 || at(s, i + 2) == 0xA9));
}

bool is_blankz(std::string_view s, size_t i) { return is_blank(s, i) || is_break(s, i) || i >= s.size(); }

bool is_printable(std::string_view s, size_t i) {
    unsigned char c = at(s, i), c1 = at(s, i + 1), c2 = at(s, i + 2);
    return c == 0x0A || (c >= 0x20 && c <= 0x7E) || (c == 0xC2 && c1 >= 0xA0) || (c > 0xC2 && c < 0xED) ||
           (c == 0xED && c1 < 0xA0) || c == 0xEE ||
           (c == 0xEF && !(c1 == 0xBB && c2 == 0xBF) && !(c1 == 0xBF && (c2 == 0xBE || c2 == 0xBF)));
}

bool is_bom(std::string_view s, size_t i) { return at(s, i) == 0xEF && at(s, i + 1) == 0xBB && at(s, i + 2) == 0xBF; }

struct Analysis {
    bool multiline = false;
    bool block_plain_allowed = true;
    bool single_quoted_allowed = true;
    bool block_allowed = true;
};

Analysis analyze(std::string_view value) {
    Analysis a;
    if (value.empty()) {
        a.block_allowed = false;
        return a;
    }
    bool block_indicators = false, line_breaks = false, special_characters = false, tab_characters = false;
    bool leading_space = false, leading_break = false, trailing_space = false, trailing_break = false;
    bool break_space = false, space_break = false, previous_space = false, previous_break = false;
    if (value.size() >= 3 && (value.substr(0, 3) == "---" || value.substr(0, 3) == "...")) block_indicators = true;
    bool preceded_by_whitespace = true;
    for (size_t i = 0, w = 0; i < value.size(); i += w) {
        w = width(at(value, i));
        bool followed_by_whitespace = i + w >= value.size() || is_blank(value, i + w);
        char c = value[i];
        if (i == 0) {
            switch (c) {
            case '#':
            case ',':
            case '[':
            case ']':
            case '{':
            case '}':
            case '&':
            case '*':
            case '!':
            case '|':
            case '>':
            case '\'':
            case '"':
            case '%':
            case '@':
            case '`': block_indicators = true; break;
            case '?':
            case ':':
                if (followed_by_whitespace) block_indicators = true;
                break;
            case '-':
                if (followed_by_whitespace) block_indicators = true;
                break;
            default: break;
            }
        } else {
            if (c == ':' && followed_by_whitespace) block_indicators = true;
            if (c == '#' && preceded_by_whitespace) block_indicators = true;
        }
        if (c == '\t')
            tab_characters = true;
        else if (!is_printable(value, i))
            special_characters = true;
        if (is_space(value, i)) {
            if (i == 0) leading_space = true;
            if (i + w == value.size()) trailing_space = true;
            if (previous_break) break_space = true;
            previous_space = true;
            previous_break = false;
        } else if (is_break(value, i)) {
            line_breaks = true;
            if (i == 0) leading_break = true;
            if (i + w == value.size()) trailing_break = true;
            if (previous_space) space_break = true;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blankz(value, i);
    }
    a.multiline = line_breaks;
    if (leading_space || leading_break || trailing_space || trailing_break) a.block_plain_allowed = false;
    if (trailing_space) a.block_allowed = false;
    if (break_space) {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if (space_break || tab_characters || special_characters) {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if (space_break || special_characters) a.block_allowed = false;
    if (line_breaks) a.block_plain_allowed = false;
    if (block_indicators) a.block_plain_allowed = false;
    return a;
}

enum class Style { plain, single_quoted, double_quoted, literal };

struct Context {
    bool sequence = false;
    bool mapping = false;
    bool simple_key = false;
};

class Emitter {
public:
    std::string out;

    void document(const Json& root) {
        node(root, Context{});
        write_indent();
    }

private:
    int column_ = 0;
    int indent_ = -1;
    std::vector<int> indents_;
    bool whitespace_ = true;
    bool indention_ = true;

    void put(char c) {
        out += c;
        ++column_;
    }
    void put_break() {
        out += '\n';
        column_ = 0;
    }
    // Copies the character at value[i] and advances i; the column counts characters.
    void write(std::string_view value, size_t& i) {
        size_t w = std::min(width(at(value, i)), value.size() - i);
        out.append(value.substr(i, w));
        i += w;
        ++column_;
    }
    void write_break(std::string_view value, size_t& i) {
        if (value[i] == '\n') {
            put_break();
            ++i;
        } else {
            write(value, i);
            column_ = 0;
        }
    }
    void write_indent() {
        int indent = std::max(indent_, 0);
        if (!indention_ || column_ > indent || (column_ == indent && !whitespace_)) put_break();
        while (column_ < indent) put(' ');
        whitespace_ = true;
        indention_ = true;
    }
    void write_indicator(std::string_view indicator, bool need_whitespace, bool is_whitespace, bool is_indention) {
        if (need_whitespace && !whitespace_) put(' ');
        for (char c : indicator) put(c);
        whitespace_ = is_whitespace;
        indention_ = indention_ && is_indention;
    }
    void increase_indent(bool flow, bool indentless) {
        indents_.push_back(indent_);
        if (indent_ < 0)
            indent_ = flow ? best_indent : 0;
        else if (!indentless)
            indent_ += best_indent;
    }
    void pop_indent() {
        indent_ = indents_.back();
        indents_.pop_back();
    }

    void node(const Json& v, Context ctx) {
        if (v.is_array()) return sequence(v, ctx);
        if (v.is_object()) return mapping(v, ctx);
        auto [text, style] = scalar_of(v);
        scalar(text, style, ctx);
    }

    void empty_flow(std::string_view open, std::string_view close) {
        write_indicator(open, true, true, false);
        write_indicator(close, false, false, false);
    }

    void sequence(const Json& v, Context ctx) {
        if (v.empty()) return empty_flow("[", "]");
        increase_indent(false, ctx.mapping && !indention_);
        for (const Json& item : v) {
            write_indent();
            write_indicator("-", true, false, true);
            node(item, Context{true, false, false});
        }
        pop_indent();
    }

    void mapping(const Json& v, Context) {
        if (v.empty()) return empty_flow("{", "}");
        std::vector<const std::string*> keys;
        for (const auto& [key, item] : v.items()) keys.push_back(&key);
        std::stable_sort(keys.begin(), keys.end(),
                         [](const std::string* a, const std::string* b) { return go_yaml_key_less(*a, *b); });
        increase_indent(false, false);
        for (const std::string* key : keys) {
            write_indent();
            Analysis a = analyze(*key);
            if (!a.multiline && key->size() <= 128) {
                scalar(*key, string_style(*key), Context{false, true, true});
                write_indicator(":", false, false, false);
            } else {
                write_indicator("?", true, false, true);
                scalar(*key, string_style(*key), Context{false, true, false});
                write_indent();
                write_indicator(":", true, false, true);
            }
            node(v.at(*key), Context{false, true, false});
        }
        pop_indent();
    }

    static Style string_style(const std::string& s) {
        if (s.find('\n') != std::string::npos) return Style::literal;
        return yaml_string_needs_quotes(s) ? Style::double_quoted : Style::plain;
    }

    // The text and requested style of a scalar after the JSON round trip.
    static std::pair<std::string, Style> scalar_of(const Json& v) {
        switch (v.type()) {
        case Json::value_t::null: return {"null", Style::plain};
        case Json::value_t::boolean: return {v.get<bool>() ? "true" : "false", Style::plain};
        case Json::value_t::number_integer: return {std::to_string(v.get<std::int64_t>()), Style::plain};
        case Json::value_t::number_unsigned: return {std::to_string(v.get<std::uint64_t>()), Style::plain};
        case Json::value_t::number_float: {
            YamlScalar read_back = resolve_plain_scalar(go_json_float(v.get<double>()));
            if (read_back.tag == YamlScalar::Tag::integer) return {std::to_string(read_back.integer), Style::plain};
            if (read_back.tag == YamlScalar::Tag::unsigned_integer)
                return {std::to_string(read_back.unsigned_integer), Style::plain};
            return {format_float(read_back.floating, 'g', -1), Style::plain};
        }
        case Json::value_t::string: {
            std::string s = go_json_valid_utf8(v.get_ref<const std::string&>());
            Style style = string_style(s);
            return {std::move(s), style};
        }
        default: return {"null", Style::plain};
        }
    }

    void scalar(const std::string& value, Style style, Context ctx) {
        Analysis a = analyze(value);
        if (ctx.simple_key && a.multiline) style = Style::double_quoted;
        if (style == Style::plain) {
            if (!a.block_plain_allowed) style = Style::single_quoted;
            if (value.empty() && ctx.simple_key) style = Style::single_quoted;
        }
        if (style == Style::single_quoted && !a.single_quoted_allowed) style = Style::double_quoted;
        if (style == Style::literal && (!a.block_allowed || ctx.simple_key)) style = Style::double_quoted;
        increase_indent(true, false);
        bool allow_breaks = !ctx.simple_key;
        switch (style) {
        case Style::plain: write_plain(value, allow_breaks); break;
        case Style::single_quoted: write_single_quoted(value, allow_breaks); break;
        case Style::double_quoted: write_double_quoted(value, allow_breaks); break;
        case Style::literal: write_literal(value); break;
        }
        pop_indent();
    }

    void write_plain(std::string_view value, bool allow_breaks) {
        if (!value.empty() && !whitespace_) put(' ');
        bool spaces = false, breaks = false;
        for (size_t i = 0; i < value.size();) {
            if (is_space(value, i)) {
                if (allow_breaks && !spaces && column_ > best_width && !is_space(value, i + 1)) {
                    write_indent();
                    ++i;
                } else {
                    write(value, i);
                }
                spaces = true;
            } else if (is_break(value, i)) {
                if (!breaks && value[i] == '\n') put_break();
                write_break(value, i);
                indention_ = true;
                breaks = true;
            } else {
                if (breaks) write_indent();
                write(value, i);
                indention_ = false;
                spaces = breaks = false;
            }
        }
        if (!value.empty()) whitespace_ = false;
        indention_ = false;
    }

    void write_single_quoted(std::string_view value, bool allow_breaks) {
        write_indicator("'", true, false, false);
        bool spaces = false, breaks = false;
        for (size_t i = 0; i < value.size();) {
            if (is_space(value, i)) {
                if (allow_breaks && !spaces && column_ > best_width && i != 0 && i != value.size() - 1 &&
                    !is_space(value, i + 1)) {
                    write_indent();
                    ++i;
                } else {
                    write(value, i);
                }
                spaces = true;
            } else if (is_break(value, i)) {
                if (!breaks && value[i] == '\n') put_break();
                write_break(value, i);
                indention_ = true;
                breaks = true;
            } else {
                if (breaks) write_indent();
                if (value[i] == '\'') put('\'');
                write(value, i);
                indention_ = false;
                spaces = breaks = false;
            }
        }
        write_indicator("'", false, false, false);
        whitespace_ = false;
        indention_ = false;
    }

    void write_double_quoted(std::string_view value, bool allow_breaks) {
        static const char hex[] = "0123456789ABCDEF";
        bool spaces = false;
        write_indicator("\"", true, false, false);
        for (size_t i = 0; i < value.size();) {
            if (!is_printable(value, i) || is_bom(value, i) || is_break(value, i) || value[i] == '"' ||
                value[i] == '\\') {
                unsigned char octet = at(value, i);
                size_t w = octet < 0x80 ? 1 : (octet & 0xE0) == 0xC0 ? 2 : (octet & 0xF0) == 0xE0 ? 3 : 4;
                unsigned v = w == 1 ? octet & 0x7F : w == 2 ? octet & 0x1F : w == 3 ? octet & 0x0F : octet & 0x07;
                for (size_t k = 1; k < w; ++k) v = (v << 6) + (at(value, i + k) & 0x3F);
                i += w;
                put('\\');
                switch (v) {
                case 0x00: put('0'); break;
                case 0x07: put('a'); break;
                case 0x08: put('b'); break;
                case 0x09: put('t'); break;
                case 0x0A: put('n'); break;
                case 0x0B: put('v'); break;
                case 0x0C: put('f'); break;
                case 0x0D: put('r'); break;
                case 0x1B: put('e'); break;
                case 0x22: put('"'); break;
                case 0x5C: put('\\'); break;
                case 0x85: put('N'); break;
                case 0xA0: put('_'); break;
                case 0x2028: put('L'); break;
                case 0x2029: put('P'); break;
                default: {
                    int digits = v <= 0xFF ? 2 : v <= 0xFFFF ? 4 : 8;
                    put(v <= 0xFF ? 'x' : v <= 0xFFFF ? 'u' : 'U');
                    for (int k = (digits - 1) * 4; k >= 0; k -= 4) put(hex[(v >> k) & 0xF]);
                }
                }
                spaces = false;
            } else if (is_space(value, i)) {
                if (allow_breaks && !spaces && column_ > best_width && i != 0 && i != value.size() - 1) {
                    write_indent();
                    if (is_space(value, i + 1)) put('\\');
                    ++i;
                } else {
                    write(value, i);
                }
                spaces = true;
            } else {
                write(value, i);
                spaces = false;
            }
        }
        write_indicator("\"", false, false, false);
        whitespace_ = false;
        indention_ = false;
    }

    void write_block_hints(std::string_view value) {
        if (is_space(value, 0) || is_break(value, 0)) {
            char hint[2] = {char('0' + best_indent), 0};
            write_indicator(hint, false, false, false);
        }
        char chomp = 0;
        if (value.empty()) {
            chomp = '-';
        } else {
            size_t i = value.size() - 1;
            while (i > 0 && (at(value, i) & 0xC0) == 0x80) --i;
            if (!is_break(value, i)) {
                chomp = '-';
            } else if (i == 0) {
                chomp = '+';
            } else {
                --i;
                while (i > 0 && (at(value, i) & 0xC0) == 0x80) --i;
                if (is_break(value, i)) chomp = '+';
            }
        }
        if (chomp) write_indicator(std::string(1, chomp), false, false, false);
    }

    void write_literal(std::string_view value) {
        write_indicator("|", true, false, false);
        write_block_hints(value);
        put_break();
        indention_ = true;
        whitespace_ = true;
        bool breaks = true;
        for (size_t i = 0; i < value.size();) {
            if (is_break(value, i)) {
                write_break(value, i);
                indention_ = true;
                breaks = true;
            } else {
                if (breaks) write_indent();
                write(value, i);
                indention_ = false;
                breaks = false;
            }
        }
    }
};

std::u32string runes_of(std::string_view s) {
    std::u32string out;
    for (size_t i = 0; i < s.size();) {
        unsigned char c = at(s, i);
        size_t w = std::min(width(c), s.size() - i);
        char32_t v = w == 1 ? c : w == 2 ? c & 0x1F : w == 3 ? c & 0x0F : c & 0x07;
        for (size_t k = 1; k < w; ++k) v = (v << 6) + (at(s, i + k) & 0x3F);
        out += v;
        i += w;
    }
    return out;
}

bool rune_is_digit(char32_t r) { return r >= '0' && r <= '9'; }

// unicode.IsLetter for ASCII and Latin-1; every code point from U+0100 on counts as a letter
// (keys of other scripts are letters in Go too, symbols there are rare in values).
bool rune_is_letter(char32_t r) {
    if ((r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')) return true;
    if (r == 0xAA || r == 0xB5 || r == 0xBA) return true;
    if (r >= 0xC0 && r <= 0xFF) return r != 0xD7 && r != 0xF7;
    return r >= 0x100;
}

}  // namespace

bool go_yaml_key_less(std::string_view a_text, std::string_view b_text) {
    std::u32string ar = runes_of(a_text), br = runes_of(b_text);
    bool digits = false;
    for (size_t i = 0; i < ar.size() && i < br.size(); ++i) {
        if (ar[i] == br[i]) {
            digits = rune_is_digit(ar[i]);
            continue;
        }
        bool al = rune_is_letter(ar[i]), bl = rune_is_letter(br[i]);
        if (al && bl) return ar[i] < br[i];
        if (al || bl) return digits ? al : bl;
        std::int64_t an = 0, bn = 0;
        if (ar[i] == '0' || br[i] == '0') {
            for (size_t j = i; j-- > 0 && rune_is_digit(ar[j]);) {
                if (ar[j] != '0') {
                    an = bn = 1;
                    break;
                }
            }
        }
        size_t ai = i, bi = i;
        for (; ai < ar.size() && rune_is_digit(ar[ai]); ++ai) an = an * 10 + std::int64_t(ar[ai] - '0');
        for (; bi < br.size() && rune_is_digit(br[bi]); ++bi) bn = bn * 10 + std::int64_t(br[bi] - '0');
        if (an != bn) return an < bn;
        if (ai != bi) return ai < bi;
        return ar[i] < br[i];
    }
    return ar.size() < br.size();
}

std::string go_yaml_marshal(const nlohmann::json& value) {
    try {
        Emitter e;
        e.document(value);
        return std::move(e.out);
    } catch (const Error& err) {
        fail(Errc::format, std::string("error marshaling into JSON: ") + err.what());
    }
}

}  // namespace sealift::render
