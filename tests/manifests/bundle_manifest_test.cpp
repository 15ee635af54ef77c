#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "manifests/bundle_manifest.hpp"

using namespace sealift;
using namespace sealift::manifests;

namespace {

BundleManifest sample() {
    BundleManifest m;
    m.name = "platform";
    m.version = SemVer::parse("1.0.0");
    m.issued = parse_time("2026-01-01T00:00:00Z");
    m.expires = parse_time("2026-07-01T00:00:00Z");
    auto blob = Sha256::of("layer");
    m.entries = {{"SHA256SUMS", 10, Sha256::of("s"), "text/plain"},
                 {"images/blobs/sha256/" + std::string(blob.hex()), 5, blob, "application/vnd.oci.image.manifest.v1+json"},
                 {"sealift/sbom.cdx.json", 3, Sha256::of("b"), "application/vnd.cyclonedx+json"}};
    m.images = {{"registry.example.com/platform/api:1.0.0", blob, "application/vnd.oci.image.manifest.v1+json", 5}};
    m.bundle_sbom = "sealift/sbom.cdx.json";
    return m;
}

}  // namespace

TEST_CASE("the signed manifest is canonical TUF targets JSON and round-trips") {
    auto m = sample();
    std::string bytes = m.canonical_bytes();
    CHECK(bytes.rfind("{\"_type\":\"targets\"", 0) == 0);
    CHECK(bytes.find(' ') == std::string::npos);
    auto back = BundleManifest::parse(bytes, "m");
    CHECK(back.canonical_bytes() == bytes);
    CHECK(back.find("SHA256SUMS")->size == 10);
    CHECK(back.file_name() == "platform-1.0.0-stable.bundle");
}

TEST_CASE("structural errors in the manifest") {
    auto m = sample();
    auto with = [&](auto mutate) {
        auto copy = sample();
        mutate(copy);
        return copy.canonical_bytes();
    };
    CHECK_THROWS_WITH(BundleManifest::parse(with([](auto& x) { x.entries[0].path = "../SHA256SUMS"; }), "m"), Catch::Contains("unsafe"));
    CHECK_THROWS_WITH(BundleManifest::parse(with([](auto& x) { x.entries.erase(x.entries.begin()); }), "m"),
                      Catch::Contains("'SHA256SUMS', which is not a listed entry"));
    CHECK_THROWS_WITH(BundleManifest::parse(with([](auto& x) { x.entries.pop_back(); }), "m"), Catch::Contains("bundleSbom"));
    CHECK_THROWS_WITH(BundleManifest::parse(with([](auto& x) { x.entries[1].digest = Sha256::of("other"); }), "m"),
                      Catch::Contains("a blob's name must be its SHA-256"));
    std::string bytes = m.canonical_bytes();
    std::string v2 = bytes;
    v2.replace(v2.find("\"formatVersion\":1"), 17, "\"formatVersion\":2");
    CHECK_THROWS_WITH(BundleManifest::parse(v2, "m"), Catch::Contains("unsupported bundle formatVersion 2"));
    CHECK_THROWS_WITH(BundleManifest::parse("{\"_type\":\"root\"}", "m"), Catch::Contains("_type must be"));
}

TEST_CASE("entry paths") {
    for (const char* good : {"SHA256SUMS", "images/blobs/sha256/ab", "sboms/a_b-c+d.json"}) CHECK(valid_entry_path(good));
    for (const char* bad : {"", "/etc/passwd", "a/../b", "./a", "a//b", "a/", "a b", "a\\b", "..", "ä"}) CHECK_FALSE(valid_entry_path(bad));
}

TEST_CASE("SHA256SUMS is sha256sum's format, sorted") {
    auto m = sample();
    auto sums = format_sha256sums(m.entries);
    CHECK(sums.find(std::string(Sha256::of("s").hex()) + "  SHA256SUMS\n") == 0);
}
