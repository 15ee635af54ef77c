// The tokens of Go's text/template (private): text, delimiters, and what actions hold. The lexer
// does what parse/lex.go does, trim markers and comments included, and reports its errors as an
// error token whose text is Go's ("unclosed action", "bad number syntax: \"1x\"").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sealift::render {

enum class Tok {
    error,
    boolean,
    character,  // one printable ASCII character: ',' and the like
    char_constant,
    complex,
    assign,   // =
    declare,  // :=
    eof,
    field,       // .Name
    identifier,  // a function name
    left_delim,
    left_paren,
    number,
    pipe,
    raw_string,
    right_delim,
    right_paren,
    space,
    string,
    text,
    variable,  // $ or $name
    // Keywords, after all the rest (as Go orders them: item.String prints them as <word>).
    keyword,
    block,
    break_,
    continue_,
    dot,
    define,
    else_,
    end,
    if_,
    nil,
    range,
    template_,
    with,
};

struct Token {
    Tok type;
    size_t pos;  // byte offset in the input
    int line;    // 1-based line of the token's start
    std::string value;
};

// Go's item.String(): "EOF", the error text, <keyword>, or the quoted value (%.10q... when long).
std::string token_string(const Token& t);

// Every token of `input`, ending with eof or error.
std::vector<Token> lex_template(std::string_view input);

}  // namespace sealift::render
