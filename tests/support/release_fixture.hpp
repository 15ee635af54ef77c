// A small release made by code: an OCI layout with two images sharing a base
// layer (one gzip-typed layer, so stored zstd frames are exercised), a chart
// folder, a CycloneDX SBOM, release notes, Ed25519 keys and a trust root.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "support/support.hpp"
#include "trust/trust.hpp"

namespace sealift::test {

struct ReleaseFixture {
    explicit ReleaseFixture(const std::string& version = "1.0.0", const std::string& channel = "stable");

    // Writes the release YAML (with `extra` appended) and builds; returns the bundle path.
    std::filesystem::path build(const std::vector<std::filesystem::path>& keys = {},
                                const std::string& expires = "180d", const std::filesystem::path& out = {});
    // A delta of this release on `base` (an earlier version's bundle, signed by a key of
    // `root`), signed with `key`, in dir/delta; the release YAML is written by build() first.
    std::filesystem::path build_delta(const std::filesystem::path& base, const std::filesystem::path& key,
                                      const trust::TrustRoot& root);

    TempDir dir;
    std::string version, channel;
    unsigned threads = 0;              // zstd workers for build(); 0 = one per core
    std::string min_validity = "30d";  // build()'s --min-validity: "0s" for a bundle meant to expire in a test
    std::filesystem::path release_yaml, layout, release_key, release_pub, root_key, trust_file;
    std::string api_ref, web_ref, api_digest;
    trust::TrustRoot root() const { return trust::TrustRoot::load(trust_file); }
};

// Writes an OCI layout with the given images; returns each image's manifest digest.
struct FixtureImage {
    std::string ref;
    std::vector<std::pair<std::string, std::string>> layers;  // media type, content
};
std::vector<std::string> write_layout(const std::filesystem::path& dir, const std::vector<FixtureImage>& images);

// The smallest valid SPDX 2.3 document describing the fixture's api image (1.0.0).
Json minimal_spdx_of_api();

}  // namespace sealift::test
