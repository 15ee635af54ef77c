// Hotfix delta bundles end to end with the command line, on the corpus's
// hotfix release (make-corpus.py --version 1.0.1 --hotfix-of: one image's top
// layer changes), split media with stock tools, and a delta imported into a
// real docker-registry with and without its base.
#include <catch2/catch.hpp>

#include "core/json.hpp"
#include "e2e/shell.hpp"
#include "support/registry_server.hpp"

using namespace sealift;
using e2e::corpus_script;
using e2e::q;

namespace {

// The small corpus at 1.0.0 and its hotfix 1.0.1, keys, a trust root, the base bundle.
struct Hotfix : e2e::Shell {
    std::string base = "out/base/platform-1.0.0-stable.bundle";

    Hotfix() {
        REQUIRE(std::filesystem::exists(corpus_script()));
        must("python3 " + q(corpus_script()) + " base --scale small >/dev/null");
        must("python3 " + q(corpus_script()) + " hotfix --scale small --version 1.0.1 --hotfix-of base >/dev/null");
        std::string yaml = q(test::source_dir() / "scripts" / "write-release-yaml.sh");
        must(yaml + " base base.yaml platform 1.0.0 stable && " + yaml + " hotfix hotfix.yaml platform 1.0.1 hotfix");
        must(sealift + " keygen --out keys/release && " + sealift + " keygen --out keys/root");
        must(sealift + " trust init --root-key keys/root.key --release-key keys/release.pub --out trust.json");
        must(build("base.yaml", "out/base"));
    }
    std::string build(const std::string& yaml, const std::string& out, const std::string& extra = "") const {
        return "SOURCE_DATE_EPOCH=1790000000 " + sealift + " build -q -f " + yaml + " --key keys/release.key -o " +
               out + " " + extra;
    }
};

Hotfix& hotfix() {
    static Hotfix h;
    return h;
}

}  // namespace

TEST_CASE(
    "the corpus hotfix as a delta is under 1% of the full bundle, verifies on its own, and inspect shows its base") {
    auto& h = hotfix();
    h.must(h.build("hotfix.yaml", "out/full"));
    h.must(h.build("hotfix.yaml", "out/delta", "--base " + h.base + " --trust trust.json"));
    auto full = std::filesystem::file_size(h.dir / "out/full/platform-1.0.1-hotfix.bundle");
    auto delta = std::filesystem::file_size(h.dir / "out/delta/platform-1.0.1-hotfix.bundle");
    INFO("delta " << delta << " bytes, full " << full);
    CHECK(delta * 100 < full);

    auto verified = h.must(h.sealift + " verify out/delta/platform-1.0.1-hotfix.bundle --trust trust.json -q");
    CHECK_THAT(verified, Catch::Contains("delta on platform 1.0.0 (stable"));
    auto base_digest =
        Json::parse(h.must(h.sealift + " inspect --json " + h.base))["manifestDigest"].get<std::string>();
    auto in = Json::parse(h.must(h.sealift + " inspect --json out/delta/platform-1.0.1-hotfix.bundle"));
    CHECK(in["base"]["name"] == "platform");
    CHECK(in["base"]["version"] == "1.0.0");
    CHECK(in["base"]["manifestDigest"] == base_digest);
    CHECK(in["base"]["externalBlobs"].get<int>() >= 2);
    CHECK_THAT(h.must(h.sealift + " inspect out/delta/platform-1.0.1-hotfix.bundle"),
               Catch::Contains("delta on  platform 1.0.0 (stable)"));

    // The same delta from the base's signed metadata only, byte for byte.
    h.must(h.sealift + " inspect " + h.base + " --metadata-out base-metadata.json >/dev/null");
    h.must(h.build("hotfix.yaml", "out/delta2", "--base-manifest base-metadata.json --trust trust.json"));
    h.must("cmp out/delta/platform-1.0.1-hotfix.bundle out/delta2/platform-1.0.1-hotfix.bundle");
}

TEST_CASE("build --base: usage errors and a base from another release") {
    auto& h = hotfix();
    auto no_trust = h.sh(h.build("hotfix.yaml", "out/x", "--base " + h.base));
    CHECK(no_trust.exit_code == 2);
    CHECK_THAT(no_trust.err, Catch::Contains("need --trust"));
    auto both =
        h.sh(h.build("hotfix.yaml", "out/x", "--base " + h.base + " --base-manifest m.json --trust trust.json"));
    CHECK(both.exit_code == 2);
    CHECK_THAT(both.err, Catch::Contains("not both"));
    h.must(q(test::source_dir() / "scripts" / "write-release-yaml.sh") + " base other.yaml other 1.0.0 stable");
    h.must(h.build("other.yaml", "out/other"));
    auto other = h.sh(h.build("hotfix.yaml", "out/x", "--base out/other/other-1.0.0-stable.bundle --trust trust.json"));
    CHECK(other.exit_code == 2);
    CHECK_THAT(other.err, Catch::Contains("base release 'other' is not release 'platform'"));
    CHECK_FALSE(std::filesystem::exists(h.dir / "out/x"));
}

TEST_CASE("build --split-size and --require-sbom from the command line") {
    auto& h = hotfix();
    auto parts = h.must(h.build("base.yaml", "out/split", "--split-size 1M"));  // the small corpus is a few MB
    CHECK_THAT(parts, Catch::Contains("platform-1.0.0-stable.bundle.001\n") &&
                          Catch::Contains("platform-1.0.0-stable.bundle.004\n"));
    h.must("cat out/split/platform-1.0.0-stable.bundle.* | cmp - " + h.base);
    h.must(h.sealift + " verify -q out/split/platform-1.0.0-stable.bundle.001 --trust trust.json");
    for (const char* bad : {"100K", "4X", "G"}) {
        auto r = h.sh(h.build("base.yaml", "out/y", std::string("--split-size ") + bad));
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::Contains("--split-size"));
    }
    // Every image of the corpus has its SBOM; without one, the build is refused naming the image.
    h.must(h.build("base.yaml", "out/strict", "--require-sbom"));
    h.must(
        "grep -v 'registry.example.com_platform_web\\|for: registry.example.com/platform/web' base.yaml > "
        "no-web-sbom.yaml");
    auto r = h.sh(h.build("no-web-sbom.yaml", "out/z", "--require-sbom"));
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("image registry.example.com/platform/web:1.0.0 has no SBOM"));
}

TEST_CASE(
    "mirror import of a delta: refused naming the missing blobs and tagging nothing, accepted once the base is there") {
    auto& h = hotfix();
    h.must(h.build("hotfix.yaml", "out/delta", "--base " + h.base + " --trust trust.json"));
    test::RegistryServer registry(test::RegistryServer::Auth::none);
    auto import = [&](const std::string& bundle) {
        return h.sh(h.sealift + " mirror import " + bundle + " --trust trust.json --no-receipt --to " +
                    registry.host() + "/site --plain-http -q");
    };
    auto in = Json::parse(h.must(h.sealift + " inspect --json out/delta/platform-1.0.1-hotfix.bundle"));
    auto refused = import("out/delta/platform-1.0.1-hotfix.bundle");
    CHECK(refused.exit_code == 1);
    CHECK_THAT(refused.err, Catch::Contains("delta bundle on platform 1.0.0") &&
                                Catch::Contains("are not in the registry") &&
                                Catch::Contains("import the base release first"));
    auto tags = h.sh("curl -sf http://" + registry.host() + "/v2/site/platform/api/tags/list");
    CHECK_THAT(tags.out, !Catch::Contains("1.0.1"));

    h.must(h.sealift + " mirror import " + h.base + " --trust trust.json --no-receipt --to " + registry.host() +
           "/site --plain-http -q");
    auto accepted = import("out/delta/platform-1.0.1-hotfix.bundle");
    INFO(accepted.err);
    REQUIRE(accepted.exit_code == 0);
    // The hotfix image reads back whole: every layer, the ones left to the base included.
    auto copy = h.sh("skopeo copy --src-tls-verify=false docker://" + registry.host() +
                     "/site/platform/api:1.0.1 oci:pulled:api");
    INFO(copy.err);
    CHECK(copy.exit_code == 0);
}
