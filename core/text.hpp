// Small text encodings shared by the formats, the registry client and the builder.
#pragma once

#include <string>
#include <string_view>

namespace sealift {

// RFC 3986 percent-encoding: every byte but A-Za-z0-9 "-._~" and the bytes in
// `also_keep` becomes %XX (upper-case hex).
std::string percent_encode(std::string_view text, std::string_view also_keep = "");

// A-Z to a-z, every other byte as is: for names that protocols and formats
// compare without case (HTTP headers, registry hosts, hex digits), never
// depending on the locale.
std::string ascii_lowercase(std::string_view text);

// RFC 4648 base64, standard alphabet, with padding: HTTP Basic credentials,
// Docker config auths, cosign's signature annotations.
std::string base64_encode(std::string_view bytes);
// Padding optional; throws Errc::format naming `what`.
std::string base64_decode(std::string_view text, const std::string& what);

// One or more of 0-9, nothing else: dates, epochs, numbered file names.
bool all_digits(std::string_view text);

// UTF-8 as RFC 3629 defines it: no overlong forms, no surrogates, nothing past U+10FFFF.
bool valid_utf8(std::string_view text);
// `text` with each maximal invalid subpart replaced by U+FFFD (as the Unicode
// standard recommends, and as nlohmann's error_handler_t::replace does).
std::string utf8_with_replacement(std::string_view text);

}  // namespace sealift
