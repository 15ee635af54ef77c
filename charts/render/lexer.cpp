#include "charts/render/lexer.hpp"

#include <cstdio>
#include <map>

#include "charts/render/format.hpp"
#include "charts/render/utf8.hpp"

namespace sealift::render {
namespace {

constexpr std::string_view left_delim = "{{";
constexpr std::string_view right_delim = "}}";
constexpr std::string_view left_comment = "/*";
constexpr std::string_view right_comment = "*/";

bool is_space(char32_t r) { return r == ' ' || r == '\t' || r == '\r' || r == '\n'; }

// unicode.IsLetter / IsDigit, for ASCII exactly and for other runes by "not punctuation" (Go
// accepts letters of every script in identifiers; templates in practice use ASCII).
bool is_alphanumeric(char32_t r) {
    if (r == '_') return true;
    if (r < 0x80) return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9');
    return is_printable_rune(r) && r != 0xFFFD;
}

bool has_left_trim_marker(std::string_view s) { return s.size() >= 2 && s[0] == '-' && is_space(s[1]); }
bool has_right_trim_marker(std::string_view s) { return s.size() >= 2 && is_space(s[0]) && s[1] == '-'; }

const std::map<std::string, Tok, std::less<>>& keywords() {
    static const std::map<std::string, Tok, std::less<>> words = {
        {".", Tok::dot},
        {"block", Tok::block},
        {"break", Tok::break_},
        {"continue", Tok::continue_},
        {"define", Tok::define},
        {"else", Tok::else_},
        {"end", Tok::end},
        {"if", Tok::if_},
        {"range", Tok::range},
        {"nil", Tok::nil},
        {"template", Tok::template_},
        {"with", Tok::with},
    };
    return words;
}

std::string go_rune_text(char32_t r) {
    // %#U: U+0041 'A'
    char buf[32];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(r));
    std::string out = buf;
    if (is_printable_rune(r)) {
        out += " '";
        append_utf8(out, r);
        out += "'";
    }
    return out;
}

class Lexer {
public:
    explicit Lexer(std::string_view input) : input_(input) {}

    std::vector<Token> run() {
        bool ok = lex_text();
        while (ok) ok = inside_ ? lex_inside_action() : lex_text();
        return std::move(tokens_);
    }

private:
    std::string_view input_;
    size_t pos_ = 0;
    size_t start_ = 0;
    int line_ = 1;        // line of pos_
    int start_line_ = 1;  // line of start_
    int paren_depth_ = 0;
    bool inside_ = false;
    std::vector<Token> tokens_;

    char32_t next(size_t& width) {
        if (pos_ >= input_.size()) {
            width = 0;
            return static_cast<char32_t>(-1);
        }
        char32_t r;
        width = utf8_decode(input_, pos_, r);
        pos_ += width;
        if (r == '\n') ++line_;
        return r;
    }
    char32_t next() {
        size_t w;
        return next(w);
    }
    void backup(size_t width) {
        pos_ -= width;
        if (width == 1 && input_[pos_] == '\n') --line_;
    }
    char32_t peek() {
        size_t w;
        char32_t r = next(w);
        backup(w);
        return r;
    }
    bool at_eof() const { return pos_ >= input_.size(); }
    bool accept(std::string_view valid) {
        if (at_eof()) return false;
        char c = input_[pos_];
        if (valid.find(c) != std::string_view::npos) {
            next();
            return true;
        }
        return false;
    }
    void accept_run(std::string_view valid) {
        while (!at_eof() && valid.find(input_[pos_]) != std::string_view::npos) next();
    }
    void emit(Tok type) {
        tokens_.push_back(Token{type, start_, start_line_, std::string(input_.substr(start_, pos_ - start_))});
        ignore();
    }
    void ignore() {
        start_ = pos_;
        start_line_ = line_;
    }
    void skip_to(size_t pos) {
        for (size_t i = pos_; i < pos; ++i)
            if (input_[i] == '\n') ++line_;
        pos_ = pos;
    }
    bool error(std::string message) {
        tokens_.push_back(Token{Tok::error, start_, start_line_, std::move(message)});
        return false;
    }

    // (at a right delimiter, with a trim marker)
    std::pair<bool, bool> at_right_delim() const {
        std::string_view rest = input_.substr(pos_);
        if (has_right_trim_marker(rest) && rest.substr(2).starts_with(right_delim)) return {true, true};
        if (rest.starts_with(right_delim)) return {true, false};
        return {false, false};
    }

    bool lex_text() {
        size_t x = input_.find(left_delim, pos_);
        if (x == std::string_view::npos) {
            skip_to(input_.size());
            if (pos_ > start_) emit(Tok::text);
            emit(Tok::eof);
            return false;
        }
        if (x > pos_) {
            size_t delim_end = x + left_delim.size();
            size_t text_end = x;
            if (has_left_trim_marker(input_.substr(delim_end))) {
                while (text_end > start_ && is_space(input_[text_end - 1])) --text_end;
            }
            skip_to(text_end);
            if (pos_ > start_) emit(Tok::text);
            skip_to(x);
            ignore();
        }
        return lex_left_delim();
    }

    bool lex_left_delim() {
        skip_to(pos_ + left_delim.size());
        bool trim = has_left_trim_marker(input_.substr(pos_));
        size_t after_marker = trim ? 2 : 0;
        if (input_.substr(pos_ + after_marker).starts_with(left_comment)) {
            skip_to(pos_ + after_marker);
            ignore();
            return lex_comment();
        }
        Token delim{Tok::left_delim, start_, start_line_, std::string(left_delim)};
        tokens_.push_back(delim);
        inside_ = true;
        skip_to(pos_ + after_marker);
        ignore();
        paren_depth_ = 0;
        return true;
    }

    bool lex_comment() {
        skip_to(pos_ + left_comment.size());
        size_t x = input_.find(right_comment, pos_);
        if (x == std::string_view::npos) return error("unclosed comment");
        skip_to(x + right_comment.size());
        auto [delim, trim] = at_right_delim();
        if (!delim) return error("comment ends before closing delimiter");
        if (trim) skip_to(pos_ + 2);
        skip_to(pos_ + right_delim.size());
        if (trim) trim_following_space();
        ignore();
        return true;
    }

    void trim_following_space() {
        size_t p = pos_;
        while (p < input_.size() && is_space(input_[p])) ++p;
        skip_to(p);
    }

    bool lex_right_delim() {
        auto [delim, trim] = at_right_delim();
        if (trim) {
            skip_to(pos_ + 2);
            ignore();
        }
        skip_to(pos_ + right_delim.size());
        emit(Tok::right_delim);
        if (trim) {
            trim_following_space();
            ignore();
        }
        inside_ = false;
        return true;
    }

    bool lex_inside_action() {
        auto [delim, trim] = at_right_delim();
        (void)trim;
        if (delim) {
            if (paren_depth_ == 0) return lex_right_delim();
            return error("unclosed left paren");
        }
        size_t width;
        char32_t r = next(width);
        if (width == 0) return error("unclosed action");
        if (is_space(r)) {
            backup(width);
            return lex_space();
        }
        switch (r) {
        case '=': emit(Tok::assign); return true;
        case ':':
            if (next() != '=') return error("expected :=");
            emit(Tok::declare);
            return true;
        case '|': emit(Tok::pipe); return true;
        case '"': return lex_quoted('"', Tok::string, "unterminated quoted string");
        case '`': return lex_raw_quote();
        case '$': return lex_variable();
        case '\'': return lex_quoted('\'', Tok::char_constant, "unterminated character constant");
        case '(':
            emit(Tok::left_paren);
            ++paren_depth_;
            return true;
        case ')':
            emit(Tok::right_paren);
            --paren_depth_;
            if (paren_depth_ < 0) return error("unexpected right paren");
            return true;
        default: break;
        }
        if (r == '.') {
            if (pos_ < input_.size()) {
                char c = input_[pos_];
                if (c < '0' || c > '9') return lex_field_or_variable(Tok::field);
            }
            backup(width);
            return lex_number();
        }
        if (r == '+' || r == '-' || (r >= '0' && r <= '9')) {
            backup(width);
            return lex_number();
        }
        if (is_alphanumeric(r)) {
            backup(width);
            return lex_identifier();
        }
        if (r < 0x80 && r >= 0x20 && r < 0x7F) {
            emit(Tok::character);
            return true;
        }
        return error("unrecognized character in action: " + go_rune_text(r));
    }

    bool lex_space() {
        int spaces = 0;
        while (!at_eof() && is_space(input_[pos_])) {
            next();
            ++spaces;
        }
        // A space followed by "-}}" belongs to the trim marker.
        std::string_view before = input_.substr(pos_ - 1);
        if (has_right_trim_marker(before) && before.substr(2).starts_with(right_delim)) {
            backup(1);
            if (spaces == 1) return true;
        }
        emit(Tok::space);
        return true;
    }

    bool at_terminator() {
        char32_t r = peek();
        if (is_space(r)) return true;
        switch (r) {
        case static_cast<char32_t>(-1):
        case '.':
        case ',':
        case '|':
        case ':':
        case ')':
        case '(': return true;
        default: break;
        }
        return r == static_cast<char32_t>(right_delim[0]);
    }

    bool lex_identifier() {
        for (;;) {
            size_t width;
            char32_t r = next(width);
            if (width > 0 && is_alphanumeric(r)) continue;
            backup(width);
            std::string_view word = input_.substr(start_, pos_ - start_);
            if (!at_terminator()) return error("bad character " + go_rune_text(peek()));
            auto it = keywords().find(word);
            if (it != keywords().end()) {
                emit(it->second);
            } else if (word[0] == '.') {
                emit(Tok::field);
            } else if (word == "true" || word == "false") {
                emit(Tok::boolean);
            } else {
                emit(Tok::identifier);
            }
            return true;
        }
    }

    bool lex_variable() {
        if (at_terminator()) {
            emit(Tok::variable);
            return true;
        }
        return lex_field_or_variable(Tok::variable);
    }

    bool lex_field_or_variable(Tok type) {
        if (at_terminator()) {
            emit(type == Tok::variable ? Tok::variable : Tok::dot);
            return true;
        }
        char32_t r = 0;
        for (;;) {
            size_t width;
            r = next(width);
            if (width == 0 || !is_alphanumeric(r)) {
                backup(width);
                break;
            }
        }
        if (!at_terminator()) return error("bad character " + go_rune_text(peek()));
        emit(type);
        return true;
    }

    // A quoted string or a character constant: up to the closing quote, escapes skipped (unquoted later).
    bool lex_quoted(char32_t quote, Tok type, const char* unterminated) {
        for (;;) {
            size_t width;
            char32_t r = next(width);
            if (r == '\\') {
                size_t w2;
                char32_t r2 = next(w2);
                if (w2 != 0 && r2 != '\n') continue;
                return error(unterminated);
            }
            if (width == 0 || r == '\n') return error(unterminated);
            if (r == quote) break;
        }
        emit(type);
        return true;
    }

    bool scan_number() {
        accept("+-");
        std::string_view digits = "0123456789_";
        if (accept("0")) {
            if (accept("xX")) {
                digits = "0123456789abcdefABCDEF_";
            } else if (accept("oO")) {
                digits = "01234567_";
            } else if (accept("bB")) {
                digits = "01_";
            }
        }
        accept_run(digits);
        if (accept(".")) accept_run(digits);
        if (digits.size() == 11 && accept("eE")) {
            accept("+-");
            accept_run("0123456789_");
        }
        if (digits.size() == 23 && accept("pP")) {
            accept("+-");
            accept_run("0123456789_");
        }
        accept("i");
        if (!at_eof() && is_alphanumeric(peek())) {
            next();
            return false;
        }
        return true;
    }

    bool lex_number() {
        if (!scan_number()) return error("bad number syntax: " + quote_string(input_.substr(start_, pos_ - start_)));
        char32_t sign = peek();
        if (sign == '+' || sign == '-') {
            if (!scan_number() || input_[pos_ - 1] != 'i')
                return error("bad number syntax: " + quote_string(input_.substr(start_, pos_ - start_)));
            emit(Tok::complex);
        } else {
            emit(Tok::number);
        }
        return true;
    }

    bool lex_raw_quote() {
        for (;;) {
            size_t width;
            char32_t r = next(width);
            if (width == 0) return error("unterminated raw quoted string");
            if (r == '`') break;
        }
        emit(Tok::raw_string);
        return true;
    }
};

}  // namespace

std::string token_string(const Token& t) {
    if (t.type == Tok::eof) return "EOF";
    if (t.type == Tok::error) return t.value;
    if (t.type > Tok::keyword) return "<" + t.value + ">";
    if (utf8_rune_count(t.value) > 10) return quote_string(utf8_prefix(t.value, 10)) + "...";
    return quote_string(t.value);
}

std::vector<Token> lex_template(std::string_view input) { return Lexer(input).run(); }

}  // namespace sealift::render
