// `sealift mirror fsck` and `mirror import --verify-present` as an admin runs
// them: a flipped byte under blobs/ reported with its release (exit 1),
// quarantined by --repair, restored by importing the bundle again (exit 0 after).
#include <catch2/catch.hpp>

#include "core/json.hpp"
#include "support/store_test_support.hpp"

using namespace sealift;
namespace fs = std::filesystem;

namespace {

std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

}  // namespace

TEST_CASE("mirror fsck: exit 0 on a sound store, 1 naming the corrupt blob and its release, --repair, re-import") {
    test::StoreSite site;
    site.import(site.first_bundle);
    std::string sealift = test::sealift_binary();
    auto fsck = [&](const std::string& extra = "") {
        return test::run(sealift + " mirror fsck --store " + q(site.store) + " " + extra);
    };
    auto sound = fsck();
    CHECK(sound.exit_code == 0);
    CHECK_THAT(sound.out, Catch::Contains("blobs checked") && Catch::Contains(": 0 corrupt, 0 missing"));

    auto snapshot = site.snapshot();
    Digest layer = snapshot->repository("registry.example.com/platform/api")->blobs.begin()->first;
    auto file = snapshot->blob_path(layer);
    std::string bytes = test::read_text(file);
    bytes[0] ^= 0x20;
    test::write_text(file, bytes);

    auto bad = fsck();
    CHECK(bad.exit_code == 1);
    CHECK_THAT(bad.out,
               Catch::Contains("corrupt " + layer.str() + ": content hashes to " + Sha256::of(bytes).str()) &&
                   Catch::Contains("release platform 1.0.0 (stable), repository registry.example.com/platform/api") &&
                   Catch::Contains("1 corrupt, 0 missing") && Catch::Contains("run with --repair"));
    auto js = fsck("--json");
    CHECK(js.exit_code == 1);
    auto report = Json::parse(js.out);
    CHECK(report["clean"] == false);
    CHECK(report["corrupt"][0]["digest"] == layer.str());
    CHECK(report["corrupt"][0]["referencedBy"][0]["release"] == "platform 1.0.0 (stable)");

    auto repaired = fsck("--repair");
    CHECK(repaired.exit_code == 1);  // quarantined, but the release still lacks the blob
    CHECK_THAT(repaired.out, Catch::Contains("; quarantined"));
    CHECK_FALSE(fs::exists(file));
    auto after = fsck();
    CHECK(after.exit_code == 1);
    CHECK_THAT(after.out, Catch::Contains("missing " + layer.str() + " (quarantined by an earlier fsck --repair)"));

    auto import = test::run(sealift + " mirror import " + q(site.first_bundle) + " --store " + q(site.store) +
                            " --trust " + q(site.fx.trust_file) + " --quiet");
    CHECK(import.exit_code == 0);
    CHECK_THAT(import.out, Catch::Contains("already imported") &&
                               Catch::Contains("1 corrupt blobs in the store replaced by the bundle's copies"));
    CHECK(fsck().exit_code == 0);
}

TEST_CASE("mirror import --verify-present replaces a flipped blob fsck has not seen; it is for --store only") {
    test::StoreSite site;
    site.import(site.first_bundle);
    std::string sealift = test::sealift_binary();
    auto snapshot = site.snapshot();
    Digest layer = snapshot->repository("registry.example.com/platform/api")->blobs.begin()->first;
    auto file = snapshot->blob_path(layer);
    std::string good = test::read_text(file), bytes = good;
    bytes[0] ^= 0x20;
    test::write_text(file, bytes);
    auto import = test::run(sealift + " mirror import " + q(site.first_bundle) + " --store " + q(site.store) +
                            " --trust " + q(site.fx.trust_file) + " --verify-present --json");
    REQUIRE(import.exit_code == 0);
    CHECK(Json::parse(import.out)["blobsReplaced"] == 1);
    CHECK(test::read_text(file) == good);

    auto usage = test::run(sealift + " mirror import " + q(site.first_bundle) + " --to 127.0.0.1:1 --trust " +
                           q(site.fx.trust_file) + " --verify-present --no-receipt");
    CHECK(usage.exit_code == 2);
    CHECK_THAT(usage.err, Catch::Contains("--verify-present is for --store"));
    CHECK(test::run(sealift + " mirror fsck").exit_code == 2);
}
