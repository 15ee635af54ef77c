// Small text encodings shared by the formats and the registry client.
#pragma once

#include <string>
#include <string_view>

namespace sealift {

// RFC 3986 percent-encoding: every byte but A-Za-z0-9 "-._~" and the bytes in
// `also_keep` becomes %XX (upper-case hex).
std::string percent_encode(std::string_view text, std::string_view also_keep = "");

}  // namespace sealift
