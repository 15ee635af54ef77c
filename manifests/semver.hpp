// Semantic Versioning 2.0.0: release versions are parsed strictly and ordered by
// SemVer precedence, which is what rollback protection compares.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sealift::manifests {

class SemVer {
public:
    static SemVer parse(std::string_view text);  // throws Errc::format with the reason
    static bool valid(std::string_view text) noexcept;

    std::uint64_t major() const { return major_; }
    std::uint64_t minor() const { return minor_; }
    std::uint64_t patch() const { return patch_; }
    bool prerelease() const { return !pre_.empty(); }
    const std::string& str() const { return text_; }

    // Precedence: build metadata is ignored, so 1.0.0+a == 1.0.0+b compare equal.
    int compare(const SemVer& other) const;
    bool operator<(const SemVer& o) const { return compare(o) < 0; }
    bool operator==(const SemVer& o) const { return compare(o) == 0; }

private:
    std::uint64_t major_ = 0, minor_ = 0, patch_ = 0;
    std::vector<std::string> pre_;
    std::string text_;
};

}  // namespace sealift::manifests
