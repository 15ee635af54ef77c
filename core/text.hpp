// Small text encodings shared by the formats and the registry client.
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

}  // namespace sealift
