// Hex text to bytes, the inverse of core's to_hex.
#pragma once

#include <string>
#include <string_view>

namespace sealift::trust {

// Fails with Errc::format "<what>: ..." on an odd length or a character that is not a hex digit.
std::string hex_decode(std::string_view hex, const std::string& what);

}  // namespace sealift::trust
