#include "sbom/mapping.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/text.hpp"
#include "sbom/sbom.hpp"

namespace sealift::sbom {
namespace {

struct HashName {
    std::string_view spdx, cyclonedx;
};
constexpr std::array<HashName, 12> hash_names{{
    {"MD5", "MD5"},
    {"SHA1", "SHA-1"},
    {"SHA256", "SHA-256"},
    {"SHA384", "SHA-384"},
    {"SHA512", "SHA-512"},
    {"SHA3-256", "SHA3-256"},
    {"SHA3-384", "SHA3-384"},
    {"SHA3-512", "SHA3-512"},
    {"BLAKE2b-256", "BLAKE2b-256"},
    {"BLAKE2b-384", "BLAKE2b-384"},
    {"BLAKE2b-512", "BLAKE2b-512"},
    {"BLAKE3", "BLAKE3"},
}};

// The component types CycloneDX and SPDX share (SPDX writes them uppercased).
constexpr std::array<std::string_view, 8> shared_types{
    "application", "framework", "library", "container", "operating-system", "device", "firmware", "file",
};

}  // namespace

const char* cyclonedx_hash_algorithm(std::string_view spdx_algorithm) {
    for (const HashName& h : hash_names)
        if (h.spdx == spdx_algorithm) return h.cyclonedx.data();
    return nullptr;
}

namespace detail {

std::string spdx_hash_algorithm(std::string_view cyclonedx_algorithm) {
    for (const HashName& h : hash_names)
        if (h.cyclonedx == cyclonedx_algorithm) return std::string(h.spdx);
    return std::string(cyclonedx_algorithm);
}

std::string spdx_purpose(std::string_view cyclonedx_type) {
    if (std::find(shared_types.begin(), shared_types.end(), cyclonedx_type) == shared_types.end()) return "OTHER";
    std::string out(cyclonedx_type);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::toupper(c); });
    return out;
}

std::string cyclonedx_type(std::string_view spdx_purpose) {
    std::string lower = ascii_lowercase(spdx_purpose);
    if (std::find(shared_types.begin(), shared_types.end(), lower) == shared_types.end()) return "library";
    return lower;
}

}  // namespace detail
}  // namespace sealift::sbom
