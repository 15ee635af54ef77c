#include "support/release_fixture.hpp"

#include <cstdlib>
#include <stdexcept>

#include "builder/builder.hpp"
#include "core/digest.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "verify/verify.hpp"

namespace sealift::test {
namespace {

std::string put_blob(const std::filesystem::path& layout, const std::string& content) {
    Digest d = Sha256::of(content);
    write_text(layout / "blobs" / "sha256" / std::string(d.hex()), content);
    return d.str();
}

std::string pseudo_random(std::size_t size, unsigned seed) {
    std::string out(size, '\0');
    std::uint64_t x = 0x9E3779B97F4A7C15ull * (seed + 1);
    for (auto& c : out) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        c = static_cast<char>(x);
    }
    return out;
}

}  // namespace

std::vector<std::string> write_layout(const std::filesystem::path& dir, const std::vector<FixtureImage>& images) {
    write_text(dir / "oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
    Json index = {{"schemaVersion", 2}, {"manifests", Json::array()}};
    std::vector<std::string> digests;
    for (const auto& img : images) {
        Json layers = Json::array(), diff_ids = Json::array();
        for (const auto& [type, content] : img.layers) {
            layers.push_back({{"mediaType", type}, {"digest", put_blob(dir, content)}, {"size", content.size()}});
            diff_ids.push_back(Sha256::of(content).str());
        }
        std::string config =
            Json{{"architecture", "amd64"}, {"os", "linux"}, {"rootfs", {{"type", "layers"}, {"diff_ids", diff_ids}}}}
                .dump();
        Json manifest = {{"schemaVersion", 2},
                         {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                         {"config",
                          {{"mediaType", "application/vnd.oci.image.config.v1+json"},
                           {"digest", put_blob(dir, config)},
                           {"size", config.size()}}},
                         {"layers", layers}};
        std::string bytes = manifest.dump();
        std::string digest = put_blob(dir, bytes);
        digests.push_back(digest);
        index["manifests"].push_back({{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                                      {"digest", digest},
                                      {"size", bytes.size()},
                                      {"annotations", {{"org.opencontainers.image.ref.name", img.ref}}}});
    }
    write_text(dir / "index.json", index.dump(1));
    return digests;
}

Json minimal_spdx_of_api() {
    return {{"spdxVersion", "SPDX-2.3"},
            {"dataLicense", "CC0-1.0"},
            {"SPDXID", "SPDXRef-DOCUMENT"},
            {"name", "api"},
            {"documentNamespace", "https://example.com/spdx/api"},
            {"creationInfo", {{"created", "2026-01-01T00:00:00Z"}, {"creators", {"Tool: test"}}}},
            {"packages",
             {{{"SPDXID", "SPDXRef-api"},
               {"name", "registry.example.com/platform/api"},
               {"versionInfo", "1.0.0"},
               {"downloadLocation", "NOASSERTION"}}}},
            {"relationships",
             {{{"spdxElementId", "SPDXRef-DOCUMENT"},
               {"relationshipType", "DESCRIBES"},
               {"relatedSpdxElement", "SPDXRef-api"}}}}};
}

ReleaseFixture::ReleaseFixture(const std::string& v, const std::string& ch) : version(v), channel(ch) {
    layout = dir / "images";
    api_ref = "registry.example.com/platform/api:" + version;
    web_ref = "registry.example.com/platform/web:" + version;
    std::string base = pseudo_random(300000, 1);
    auto digests = write_layout(layout, {{api_ref,
                                          {{"application/vnd.oci.image.layer.v1.tar", base},
                                           {"application/vnd.oci.image.layer.v1.tar+gzip", pseudo_random(200000, 2)}}},
                                         {web_ref,
                                          {{"application/vnd.oci.image.layer.v1.tar", base},
                                           {"application/vnd.oci.image.layer.v1.tar", std::string(100000, 'w')}}}});
    api_digest = digests[0];
    write_text(dir / "chart" / "Chart.yaml",
               "apiVersion: v2\nname: platform-core\nversion: " + version + "\nappVersion: \"" + version + "\"\n");
    write_text(dir / "chart" / "values.yaml", "image: " + api_ref + "\n");
    write_text(dir / "chart" / "templates" / "deployment.yaml", "kind: Deployment\n");
    Json sbom = {
        {"bomFormat", "CycloneDX"},
        {"specVersion", "1.5"},
        {"version", 1},
        {"metadata",
         {{"component", {{"type", "container"}, {"name", "registry.example.com/platform/api"}, {"version", version}}}}},
        {"components", {{{"type", "library"}, {"name", "libc"}, {"version", "2.36"}}}}};
    write_text(dir / "sboms" / "api.cdx.json", sbom.dump(1));
    write_text(dir / "RELEASE_NOTES.md", "# Release " + version + "\n");

    auto keys = dir / "keys";
    std::filesystem::create_directories(keys);
    trust::generate_key(trust::KeyType::ed25519, keys / "release");
    trust::generate_key(trust::KeyType::ed25519, keys / "root");
    release_key = keys / "release.key";
    release_pub = keys / "release.pub";
    root_key = keys / "root.key";
    trust_file = dir / "trust.json";
    trust::RootSpec spec;
    spec.root_keys = {trust::PublicKey::load_pem(keys / "root.pub")};
    spec.release_keys = {trust::PublicKey::load_pem(release_pub)};
    spec.expires = now_seconds() + std::chrono::hours(24 * 365);
    write_text(trust_file, trust::make_root(spec, {trust::PrivateKey::load_pem(root_key)}));
}

std::filesystem::path ReleaseFixture::build(const std::vector<std::filesystem::path>& keys, const std::string& expires,
                                            const std::filesystem::path& out) {
    release_yaml = dir / "release.yaml";
    write_text(
        release_yaml,
        "apiVersion: sealift.dev/v1\nkind: Release\nmetadata:\n  name: platform\n  version: " + version +
            "\n  channel: " + channel +
            "\nimages:\n  - layout: images\ncharts:\n  - path: chart\nsboms:\n  - path: sboms/api.cdx.json\n    for: " +
            api_ref + "\nreleaseNotes: RELEASE_NOTES.md\n");
    builder::BuildOptions o;
    o.release_file = release_yaml;
    o.key_files = keys.empty() ? std::vector<std::filesystem::path>{release_key} : keys;
    o.out_dir = out.empty() ? dir / "out" : out;
    o.expires = expires;
    o.min_validity = min_validity;
    o.quiet = true;
    o.threads = threads;
    return builder::build_bundle(o).bundle;
}

std::filesystem::path ReleaseFixture::build_delta(const std::filesystem::path& base, const std::filesystem::path& key,
                                                  const trust::TrustRoot& root) {
    build({key});  // writes the release YAML
    builder::BuildOptions o;
    o.release_file = release_yaml;
    o.key_files = {key};
    o.out_dir = dir / "delta";
    o.quiet = true;
    auto b = verify::read_base_bundle(base, root);
    o.base = builder::DeltaBase{b.manifest, b.manifest_digest, "--base " + base.string()};
    auto result = builder::build_bundle(o);
    if (result.external_blobs == 0) throw std::runtime_error(result.bundle.string() + ": the delta leaves nothing out");
    return result.bundle;
}

}  // namespace sealift::test
