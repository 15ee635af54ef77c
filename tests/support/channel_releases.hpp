// Bundles of one release line for the channel-policy tests of registry imports:
// every version tags its web image `stable` (so an import that went backwards
// would move that tag) over a layer of its own, and all are signed with the
// first fixture's release key, so one trust root verifies them.
#pragma once

#include <deque>
#include <filesystem>
#include <memory>
#include <string>

#include "support/release_fixture.hpp"

namespace sealift::test {

inline const std::string kSharedWebTag = "registry.example.com/platform/web:stable";

// The web layer of `version` as cut by ChannelReleases (`variant` tells two cuts of one version apart).
inline std::string channel_web_layer(const std::string& version, const std::string& variant = "") {
    return "web " + version + variant + "\n";
}

struct ChannelReleases {
    ReleaseFixture fx{"1.0.0"};  // keys and trust root
    std::deque<std::unique_ptr<ReleaseFixture>> cut;

    // A bundle of `version`; another `variant` makes another bundle of the same version.
    std::filesystem::path bundle(const std::string& version, const std::string& variant = "") {
        cut.push_back(std::make_unique<ReleaseFixture>(version));
        auto& f = *cut.back();
        f.web_ref = kSharedWebTag;  // (the api image keeps its version tag, which its SBOM names)
        write_layout(f.layout,
                     {{f.api_ref, {{"application/vnd.oci.image.layer.v1.tar", "api " + version + "\n"}}},
                      {f.web_ref, {{"application/vnd.oci.image.layer.v1.tar", channel_web_layer(version, variant)}}}});
        return f.build({fx.release_key});
    }
};

}  // namespace sealift::test
