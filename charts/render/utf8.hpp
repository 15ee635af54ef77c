// UTF-8 as Go's strings see it (private): bytes that are not UTF-8 decode as U+FFFD one byte at
// a time, so widths, %q and `len` agree with Go on any input.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sealift::render {

// Decodes the rune at s[i] into r; returns its length in bytes (1 for an invalid byte, r = U+FFFD).
size_t utf8_decode(std::string_view s, size_t i, char32_t& r);

size_t utf8_rune_count(std::string_view s);

// The first `runes` runes of s.
std::string_view utf8_prefix(std::string_view s, size_t runes);

void append_utf8(std::string& out, char32_t r);

// unicode.IsPrint, close enough for quoting: letters, marks, numbers, punctuation, symbols and
// the ASCII space; not controls, format characters, separators other than ' ', or surrogates.
bool is_printable_rune(char32_t r);

// Every rune printable and the text valid UTF-8 (strconv.CanBackquote, minus the backquote test).
bool utf8_is_printable_text(std::string_view s);

// strconv.QuoteRune: 'a', '\n', '\x00'.
std::string quote_rune(char32_t r);

}  // namespace sealift::render
