// Two releases of the platform that differ in every way a diff reports: api's
// top layer changes (1.0.0 -> 1.1.0), web is dropped, worker is new (sharing
// the base layer), the chart goes 1.0.0 -> 1.1.0, and api's SBOM updates libc6,
// drops openssl, adds zlib1g and keeps busybox.
#pragma once

#include <filesystem>
#include <string>

#include "core/digest.hpp"
#include "core/json.hpp"
#include "support/release_fixture.hpp"

namespace sealift::test {

// Layer content that does not compress, so the bundle's layers are most of its bytes.
inline std::string noise(std::size_t size, std::uint64_t seed) {
    std::string out(size, '\0');
    for (auto& c : out) {
        seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
        c = static_cast<char>(seed);
    }
    return out;
}

inline std::string api_sbom(const std::string& version, const Json& components) {
    return Json{
        {"bomFormat", "CycloneDX"},
        {"specVersion", "1.5"},
        {"version", 1},
        {"metadata",
         {{"component", {{"type", "container"}, {"name", "registry.example.com/platform/api"}, {"version", version}}}}},
        {"components", components}}
        .dump(1);
}

inline Json deb(const std::string& name, const std::string& version) {
    return {{"type", "library"},
            {"name", name},
            {"version", version},
            {"purl", "pkg:deb/debian/" + name + "@" + version + "?arch=amd64&distro=debian-12"},
            {"licenses", {{{"license", {{"id", "MIT"}}}}}}};
}

struct TwoReleases {
    ReleaseFixture old_release{"1.0.0"}, new_release{"1.1.0"};
    std::string base = noise(150000, 1), api_top_old = noise(40000, 2), api_top_new = noise(50000, 3),
                web_top = noise(30000, 4), worker_top = noise(20000, 5);
    std::string old_api_digest, old_web_digest, new_api_digest, new_worker_digest;
    std::filesystem::path old_bundle, new_bundle;

    TwoReleases() {
        const std::string tar = "application/vnd.oci.image.layer.v1.tar";
        std::filesystem::remove_all(old_release.layout);
        auto old_digests = write_layout(old_release.layout, {{old_release.api_ref, {{tar, base}, {tar, api_top_old}}},
                                                             {old_release.web_ref, {{tar, base}, {tar, web_top}}}});
        old_api_digest = old_digests[0], old_web_digest = old_digests[1];
        write_text(old_release.dir / "sboms" / "api.cdx.json",
                   api_sbom("1.0.0", {deb("libc6", "2.36-9"),
                                      deb("openssl", "3.0.11-1"),
                                      {{"type", "application"}, {"name", "busybox"}, {"version", "1.35"}}}));
        old_bundle = old_release.build();

        std::filesystem::remove_all(new_release.layout);
        auto new_digests = write_layout(
            new_release.layout, {{new_release.api_ref, {{tar, base}, {tar, api_top_new}}},
                                 {"registry.example.com/platform/worker:1.1.0", {{tar, base}, {tar, worker_top}}}});
        new_api_digest = new_digests[0], new_worker_digest = new_digests[1];
        write_text(new_release.dir / "sboms" / "api.cdx.json",
                   api_sbom("1.1.0", {deb("libc6", "2.36-9+deb12u4"),
                                      deb("zlib1g", "1.2.13"),
                                      {{"type", "application"}, {"name", "busybox"}, {"version", "1.35"}}}));
        new_bundle = new_release.build({old_release.release_key});  // one trust root verifies both
    }
};

}  // namespace sealift::test
