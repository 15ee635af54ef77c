#include "charts/render/go_regexp.hpp"

#include <re2/re2.h>

#include "charts/render/format.hpp"
#include "charts/render/utf8.hpp"
#include "core/error.hpp"

namespace sealift::render {
namespace {

// Go's regexp/syntax ErrorCode texts, for RE2's codes.
const char* go_error_text(re2::RE2::ErrorCode code) {
    switch (code) {
    case re2::RE2::ErrorBadEscape: return "invalid escape sequence";
    case re2::RE2::ErrorBadCharClass: return "invalid character class";
    case re2::RE2::ErrorBadCharRange: return "invalid character class range";
    case re2::RE2::ErrorMissingBracket: return "missing closing ]";
    case re2::RE2::ErrorMissingParen: return "missing closing )";
    case re2::RE2::ErrorUnexpectedParen: return "unexpected )";
    case re2::RE2::ErrorTrailingBackslash: return "trailing backslash at end of expression";
    case re2::RE2::ErrorRepeatArgument: return "missing argument to repetition operator";
    case re2::RE2::ErrorRepeatSize: return "invalid repeat count";
    case re2::RE2::ErrorRepeatOp: return "invalid nested repetition operator";
    case re2::RE2::ErrorBadPerlOp: return "invalid or unsupported Perl syntax";
    case re2::RE2::ErrorBadUTF8: return "invalid UTF-8";
    case re2::RE2::ErrorBadNamedCapture: return "invalid named capture";
    case re2::RE2::ErrorPatternTooLarge: return "expression too large";
    default: return "regexp/syntax: internal error";
    }
}

bool is_name_char(char32_t r) {
    return r == '_' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r >= 0x80;
}

// Go's extract: a group reference after '$' ("1", "name", "{1}", "{name}").
bool extract_reference(std::string_view str, std::string& name, int& number, std::string_view& rest) {
    if (str.empty()) return false;
    bool brace = false;
    if (str[0] == '{') {
        brace = true;
        str.remove_prefix(1);
    }
    size_t i = 0;
    while (i < str.size()) {
        char32_t r = 0;
        size_t w = utf8_decode(str, i, r);
        if (!is_name_char(r)) break;
        i += w;
    }
    if (i == 0) return false;
    name = std::string(str.substr(0, i));
    if (brace) {
        if (i >= str.size() || str[i] != '}') return false;
        ++i;
    }
    number = 0;
    for (char c : name) {
        if (c < '0' || c > '9' || number >= 100000000) {
            number = -1;
            break;
        }
        number = number * 10 + (c - '0');
    }
    if (name[0] == '0' && name.size() > 1) number = -1;
    rest = str.substr(i);
    return true;
}

size_t rune_width_at(std::string_view s, size_t pos) {
    if (pos >= s.size()) return 1;
    char32_t r = 0;
    return utf8_decode(s, pos, r);
}

}  // namespace

GoRegexp::GoRegexp(std::string_view pattern) : pattern_(pattern) {
    re2::RE2::Options options;
    options.set_log_errors(false);
    re_ = std::make_unique<re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
    if (!re_->ok()) {
        std::string arg = re_->error_arg().empty() ? std::string(pattern) : re_->error_arg();
        fail(Errc::format,
             std::string("error parsing regexp: ") + go_error_text(re_->error_code()) + ": `" + arg + "`");
    }
    group_names_.assign(re_->NumberOfCapturingGroups() + 1, "");
    for (const auto& [index, name] : re_->CapturingGroupNames()) group_names_[index] = name;
}

GoRegexp::~GoRegexp() = default;
GoRegexp::GoRegexp(GoRegexp&&) noexcept = default;

bool GoRegexp::match_at(std::string_view s, size_t pos, int groups, std::vector<long>& offsets) const {
    std::vector<re2::StringPiece> pieces(groups);
    if (!re_->Match(re2::StringPiece(s.data(), s.size()), pos, s.size(), re2::RE2::UNANCHORED, pieces.data(), groups))
        return false;
    offsets.assign(2 * groups, -1);
    for (int g = 0; g < groups; ++g) {
        if (pieces[g].data() == nullptr) continue;
        offsets[2 * g] = pieces[g].data() - s.data();
        offsets[2 * g + 1] = offsets[2 * g] + long(pieces[g].size());
    }
    return true;
}

std::vector<std::vector<long>> GoRegexp::all_matches(std::string_view s, int n, int groups) const {
    std::vector<std::vector<long>> out;
    if (n < 0) n = int(s.size()) + 1;
    long prev_end = -1;
    for (size_t pos = 0; int(out.size()) < n && pos <= s.size();) {
        std::vector<long> m;
        if (!match_at(s, pos, groups, m)) break;
        bool accept = true;
        if (m[1] == long(pos)) {
            if (m[0] == prev_end) accept = false;  // no empty match right after a match
            pos += rune_width_at(s, pos);
        } else {
            pos = size_t(m[1]);
        }
        prev_end = m[1];
        if (accept) out.push_back(std::move(m));
    }
    return out;
}

bool GoRegexp::match(std::string_view s) const {
    return re2::RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *re_);
}

std::string GoRegexp::find(std::string_view s) const {
    std::vector<long> m;
    if (!match_at(s, 0, 1, m)) return "";
    return std::string(s.substr(size_t(m[0]), size_t(m[1] - m[0])));
}

std::vector<std::string> GoRegexp::find_all(std::string_view s, int n) const {
    std::vector<std::string> out;
    if (n == 0) return out;
    for (const auto& m : all_matches(s, n, 1)) out.emplace_back(s.substr(size_t(m[0]), size_t(m[1] - m[0])));
    return out;
}

std::string GoRegexp::replace(std::string_view src, std::string_view replacement, bool literal) const {
    int groups = literal ? 1 : int(group_names_.size());
    std::string out;
    size_t last_end = 0, search = 0;
    while (search <= src.size()) {
        std::vector<long> a;
        if (!match_at(src, search, groups, a)) break;
        out.append(src.substr(last_end, size_t(a[0]) - last_end));
        if (size_t(a[1]) > last_end || a[0] == 0) {
            if (literal) {
                out.append(replacement);
            } else {
                std::string_view tmpl = replacement;
                while (!tmpl.empty()) {
                    size_t dollar = tmpl.find('$');
                    if (dollar == std::string_view::npos) break;
                    out.append(tmpl.substr(0, dollar));
                    tmpl.remove_prefix(dollar + 1);
                    if (!tmpl.empty() && tmpl[0] == '$') {
                        out += '$';
                        tmpl.remove_prefix(1);
                        continue;
                    }
                    std::string name;
                    int number = -1;
                    std::string_view rest;
                    if (!extract_reference(tmpl, name, number, rest)) {
                        out += '$';
                        continue;
                    }
                    tmpl = rest;
                    auto append_group = [&](size_t g) {
                        if (2 * g + 1 < a.size() && a[2 * g] >= 0)
                            out.append(src.substr(size_t(a[2 * g]), size_t(a[2 * g + 1] - a[2 * g])));
                    };
                    if (number >= 0) {
                        append_group(size_t(number));
                    } else {
                        for (size_t g = 0; g < group_names_.size(); ++g)
                            if (group_names_[g] == name) {
                                append_group(g);
                                break;
                            }
                    }
                }
                out.append(tmpl);
            }
        }
        last_end = size_t(a[1]);
        size_t w = rune_width_at(src, search);
        if (search + w > size_t(a[1]))
            search += w;
        else if (search + 1 > size_t(a[1]))
            ++search;
        else
            search = size_t(a[1]);
    }
    out.append(src.substr(std::min(last_end, src.size())));
    return out;
}

std::string GoRegexp::replace_all(std::string_view s, std::string_view replacement) const {
    return replace(s, replacement, false);
}

std::string GoRegexp::replace_all_literal(std::string_view s, std::string_view replacement) const {
    return replace(s, replacement, true);
}

std::vector<std::string> GoRegexp::split(std::string_view s, int n) const {
    std::vector<std::string> out;
    if (n == 0) return out;
    if (!pattern_.empty() && s.empty()) return {""};
    size_t begin = 0, end = 0;
    for (const auto& m : all_matches(s, n, 1)) {
        if (n > 0 && int(out.size()) == n - 1) break;
        end = size_t(m[0]);
        if (m[1] != 0) out.emplace_back(s.substr(begin, end - begin));
        begin = size_t(m[1]);
    }
    if (end != s.size()) out.emplace_back(s.substr(begin));
    return out;
}

std::string go_regexp_quote_meta(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (std::string_view("\\.+*?()|[]{}^$").find(c) != std::string_view::npos) out += '\\';
        out += c;
    }
    return out;
}

std::string go_regexp_must_compile_message(std::string_view pattern, const std::string& compile_error) {
    // regexp's quote(): backquoted when strconv.CanBackquote, else strconv.Quote.
    bool backquote = true;
    for (size_t i = 0; i < pattern.size() && backquote;) {
        char32_t r = 0;
        size_t w = utf8_decode(pattern, i, r);
        if ((r == 0xFFFD && w == 1) || r == '`' || r == 0xFEFF || r == 0x7F || (r < ' ' && r != '\t'))
            backquote = false;
        i += w;
    }
    std::string quoted = backquote ? "`" + std::string(pattern) + "`" : quote_string(pattern);
    return "regexp: Compile(" + quoted + "): " + compile_error;
}

}  // namespace sealift::render
