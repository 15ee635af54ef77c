#include <catch2/catch.hpp>

#include <cstdlib>

#include "core/json.hpp"
#include "e2e/shell.hpp"
#include "support/release_yaml.hpp"

using namespace sealift;
using e2e::corpus_script;
using e2e::q;

namespace {

// One small corpus, keys, trust root and bundle, shared by the tests in this file.
struct Site : e2e::Shell {
    std::filesystem::path bundle;

    Site() {
        REQUIRE(std::filesystem::exists(corpus_script()));
        must("python3 " + q(corpus_script()) + " corpus --scale small");
        must(sealift + " keygen --out keys/release && " + sealift + " keygen --out keys/root");
        must(sealift + " trust init --root-key keys/root.key --release-key keys/release.pub --out trust.json");
        test::write_text(dir / "release.yaml", test::release_yaml_head() + R"(images:
  - layout: corpus/images
charts:
  - path: corpus/charts/platform-core-1.0.0.tgz
  - path: corpus/charts/platform-edge-1.0.0.tgz
sboms:
  - path: corpus/sboms/registry.example.com_platform_api.cdx.json
    for: registry.example.com/platform/api:1.0.0
  - path: corpus/sboms/registry.example.com_platform_web.cdx.json
    for: registry.example.com/platform/web:1.0.0
releaseNotes: corpus/RELEASE_NOTES.md
)");
        must("SOURCE_DATE_EPOCH=1790000000 " + sealift + " build -q -f release.yaml --key keys/release.key -o out");
        bundle = dir / "out" / "platform-1.0.0-stable.bundle";
    }
};

Site& site() {
    static Site s;
    return s;
}

}  // namespace

TEST_CASE("the corpus bundle verifies and stock tar lists and extracts it") {
    auto& s = site();
    s.must(s.sealift + " verify -q " + q(s.bundle) + " --trust trust.json");
    auto list = s.sh("tar --zstd -tf " + q(s.bundle));
    REQUIRE(list.exit_code == 0);
    CHECK(list.out.rfind("sealift/manifest.json\nsealift/signatures.json\n", 0) == 0);
    s.must("rm -rf x && mkdir x && tar --zstd -xf " + q(s.bundle) + " -C x");
    s.must("cd x && sha256sum -c --quiet SHA256SUMS");
}

TEST_CASE("the extracted images/ is an OCI layout skopeo and umoci read, tagged by original reference") {
    auto& s = site();
    s.must("rm -rf y && mkdir y && tar --zstd -xf " + q(s.bundle) + " -C y");
    auto umoci = s.sh("umoci ls --layout y/images");
    REQUIRE(umoci.exit_code == 0);
    CHECK(umoci.out == "registry.example.com/platform/api:1.0.0\nregistry.example.com/platform/web:1.0.0\n");
    auto manifest = parse_json_strict(test::read_text(s.dir / "y" / "sealift" / "manifest.json"), "manifest");
    for (const auto& img : manifest["sealift"]["images"]) {
        auto r = s.sh("skopeo inspect oci:y/images:" + img["ref"].get<std::string>());
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(Json::parse(r.out)["Digest"] == img["digest"]);
    }
    // The digests survive a copy out of the layout, as a registry import will need.
    s.must("skopeo copy -q oci:y/images:registry.example.com/platform/api:1.0.0 oci:copied:api");
}

TEST_CASE("the manifest signature checks with openssl and with @tufjs/models") {
    auto& s = site();
    s.must("rm -rf z && mkdir z && tar --zstd -xf " + q(s.bundle) +
           " -C z sealift/manifest.json sealift/signatures.json");
    s.must(
        "jq -r '.[0].sig' z/sealift/signatures.json | xxd -r -p > sig.bin && "
        "openssl pkeyutl -verify -pubin -inkey keys/release.pub -rawin -in z/sealift/manifest.json -sigfile sig.bin");
    auto node_modules = test::source_dir() / "tests" / "node" / "node_modules";
    INFO("run `make deps` to install the npm test tools into tests/node");
    REQUIRE(std::filesystem::exists(node_modules / "@tufjs" / "models"));
    test::write_text(s.dir / "targets.json",
                     "{\"signed\":" + test::read_text(s.dir / "z" / "sealift" / "manifest.json") +
                         ",\"signatures\":" + test::read_text(s.dir / "z" / "sealift" / "signatures.json") + "}");
    auto r = s.sh("node " + q(test::source_dir() / "tests" / "node" / "verify-tuf.mjs") + " trust.json targets.json");
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "ok\n");
}

TEST_CASE("the same inputs give a byte-identical bundle whatever the thread count") {
    auto& s = site();
    s.must("SOURCE_DATE_EPOCH=1790000000 " + s.sealift +
           " build -q --threads 1 -f release.yaml --key keys/release.key -o r1");
    s.must("SOURCE_DATE_EPOCH=1790000000 " + s.sealift +
           " build -q --threads 4 -f release.yaml --key keys/release.key -o r4");
    s.must("cmp r1/platform-1.0.0-stable.bundle r4/platform-1.0.0-stable.bundle");
    s.must("cmp r1/platform-1.0.0-stable.bundle " + q(s.bundle));
}

TEST_CASE("a bundle carrying a rotated root verifies against the old pinned root") {
    auto& s = site();
    s.must(s.sealift + " keygen --out keys/release2 && " + s.sealift + " keygen --out keys/root2");
    s.must(s.sealift +
           " trust rotate --from trust.json --root-key keys/root.key --root-key keys/root2.key --new-root-pub "
           "keys/root2.pub"
           " --release-key keys/release2.pub --out trust-2.json");
    s.must(s.sealift + " build -q -f release.yaml --key keys/release2.key --root trust-2.json -o rotated");
    auto r = s.sh(s.sealift + " verify --json rotated/platform-1.0.0-stable.bundle --trust trust.json");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(Json::parse(r.out)["rootVersion"] == 2);
    // Signed by the new key without the new root: the pinned root does not know the key.
    s.must(s.sealift + " build -q -f release.yaml --key keys/release2.key -o unrooted");
    auto bad = s.sh(s.sealift + " verify -q unrooted/platform-1.0.0-stable.bundle --trust trust.json");
    CHECK(bad.exit_code == 1);
    CHECK_THAT(bad.err, Catch::Contains("unknown key"));
    // A "version 2" root made with other keys does not chain from the pinned root.
    s.must(s.sealift + " trust init --root-key keys/root2.key --release-key keys/release2.pub --out rogue-1.json");
    s.must("jq '.signed.version = 2' rogue-1.json > rogue-2.json");
    s.must(s.sealift + " build -q -f release.yaml --key keys/release2.key --root rogue-2.json -o rogue");
    auto rogue = s.sh(s.sealift + " verify -q rogue/platform-1.0.0-stable.bundle --trust trust.json");
    CHECK(rogue.exit_code == 1);
    CHECK_THAT(rogue.err, Catch::Contains("sealift/root/2.root.json"));
}

TEST_CASE("images from an OCI archive and a docker-save archive keep their digests") {
    auto& s = site();
    s.must(
        "rm -f api.oci.tar web.docker.tar && "
        "skopeo copy -q --preserve-digests oci:corpus/images:registry.example.com/platform/api:1.0.0 "
        "oci-archive:api.oci.tar:1.0.0 && "
        "skopeo copy -q oci:corpus/images:registry.example.com/platform/web:1.0.0 "
        "docker-archive:web.docker.tar:registry.example.com/platform/web:1.0.0");
    test::write_text(s.dir / "archives.yaml", R"(apiVersion: sealift.dev/v1
kind: Release
metadata: {name: archives, version: 2.0.0-rc.1, channel: hotfix}
images:
  - ociArchive: api.oci.tar
    repository: registry.example.com/platform/api
  - dockerArchive: web.docker.tar
)");
    s.must(s.sealift + " build -q -f archives.yaml --key keys/release.key -o archives");
    auto r = s.sh(s.sealift + " verify --json archives/archives-2.0.0-rc.1-hotfix.bundle --trust trust.json");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto report = Json::parse(r.out);
    auto original = parse_json_strict(test::read_text(s.dir / "corpus" / "images" / "index.json"), "index");
    for (const auto& img : report["images"]) {
        if (img["ref"] != "registry.example.com/platform/api:1.0.0") continue;
        bool same = false;  // --preserve-digests: the OCI archive carries the original manifest
        for (const auto& m : original["manifests"]) same = same || m["digest"] == img["digest"];
        CHECK(same);
    }
    CHECK(report["images"].size() == 2);
}
