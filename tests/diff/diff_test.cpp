#include <catch2/catch.hpp>

#include <algorithm>

#include "core/error.hpp"
#include "diff/diff.hpp"
#include "support/tar_editor.hpp"
#include "two_releases.hpp"

using namespace sealift;
using Catch::Contains;

namespace {

std::string sha(const std::string& content) { return Sha256::of(content).str(); }

}  // namespace

TEST_CASE("diff of two bundles lists images, new layers, charts and package changes exactly") {
    test::TwoReleases r;
    diff::ReleaseSnapshot old_s = diff::read_snapshot(r.old_bundle), new_s = diff::read_snapshot(r.new_bundle);
    CHECK(old_s.whole_bundle);
    CHECK_FALSE(old_s.verified);
    diff::Diff d = diff::compare(old_s, new_s);
    Json j = diff::to_json(d);

    CHECK(j["verified"] == false);
    CHECK(j["old"]["release"] == Json{{"name", "platform"}, {"version", "1.0.0"}, {"channel", "stable"}});
    CHECK(j["old"]["issued"] == format_time(old_s.manifest.issued));  // the layout inspect and verify use
    CHECK(j["old"]["expires"] == format_time(old_s.manifest.expires));
    CHECK(j["old"]["manifestDigest"] == old_s.manifest_digest.str());
    CHECK(j["new"]["contents"] == "bundle");
    CHECK(j["unchangedImages"] == 0);
    // An image is written as inspect and verify write it (verify/report_json.hpp): a descriptor with its ref.
    auto image = [](const diff::ReleaseSnapshot& s, const std::string& ref, const std::string& digest) {
        return Json{{"ref", ref},
                    {"digest", digest},
                    {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                    {"size", s.image_manifests.at(digest).size()}};
    };
    Json worker_layers = Json::array({{{"digest", sha(r.worker_top)}, {"size", r.worker_top.size()}}});
    Json api_layers = Json::array({{{"digest", sha(r.api_top_new)}, {"size", r.api_top_new.size()}}});
    CHECK(j["images"] == Json::array({
                             {{"change", "added"},
                              {"new", image(new_s, "registry.example.com/platform/worker:1.1.0", r.new_worker_digest)},
                              {"newLayers", worker_layers},  // the base layer is not new: web had it
                              {"newLayerBytes", r.worker_top.size()}},
                             {{"change", "removed"}, {"old", image(old_s, r.old_release.web_ref, r.old_web_digest)}},
                             {{"change", "changed"},
                              {"old", image(old_s, r.old_release.api_ref, r.old_api_digest)},
                              {"new", image(new_s, r.new_release.api_ref, r.new_api_digest)},
                              {"newLayers", api_layers},
                              {"newLayerBytes", r.api_top_new.size()}},
                         }));

    REQUIRE(j["charts"].size() == 1);
    CHECK(j["charts"][0]["change"] == "changed");
    CHECK(j["charts"][0]["name"] == "platform-core");
    CHECK(j["charts"][0]["old"]["version"] == "1.0.0");
    CHECK(j["charts"][0]["new"]["version"] == "1.1.0");
    CHECK(j["charts"][0]["new"]["appVersion"] == "1.1.0");
    CHECK(j["unchangedCharts"] == 0);

    REQUIRE(j["packages"].size() == 1);
    const Json& api = j["packages"][0];
    CHECK(api["oldRef"] == r.old_release.api_ref);
    CHECK(api["newRef"] == r.new_release.api_ref);
    CHECK(api["changesLeftOut"] == 0);
    CHECK(api["changes"] == Json::array({
                                {{"change", "changed"},
                                 {"name", "libc6"},
                                 {"key", "pkg:deb/debian/libc6?arch=amd64"},
                                 {"oldVersions", {"2.36-9"}},
                                 {"newVersions", {"2.36-9+deb12u4"}}},
                                {{"change", "removed"},
                                 {"name", "openssl"},
                                 {"key", "pkg:deb/debian/openssl?arch=amd64"},
                                 {"oldVersions", {"3.0.11-1"}},
                                 {"newVersions", Json::array()}},
                                {{"change", "added"},
                                 {"name", "zlib1g"},
                                 {"key", "pkg:deb/debian/zlib1g?arch=amd64"},
                                 {"oldVersions", Json::array()},
                                 {"newVersions", {"1.2.13"}}},
                            }));  // busybox, unchanged, is not listed
}

TEST_CASE("diff of a release with itself is empty") {
    test::ReleaseFixture f;
    auto bundle = f.build();
    diff::ReleaseSnapshot s = diff::read_snapshot(bundle);
    diff::Diff d = diff::compare(s, s);
    CHECK(d.images.empty());
    CHECK(d.charts.empty());
    CHECK(d.packages.empty());
    CHECK(d.unchanged_images == 2);
    CHECK(d.unchanged_charts == 1);
    CHECK_THAT(diff::render_table(d), Contains("Images: 0 added, 0 removed, 0 changed, 0 retagged, 2 unchanged"));
}

TEST_CASE("the table and the Markdown say what changed and that nothing was verified") {
    test::TwoReleases r;
    diff::Diff d = diff::compare(diff::read_snapshot(r.old_bundle), diff::read_snapshot(r.new_bundle));
    std::string table = diff::render_table(d);
    CHECK_THAT(table, Contains("Release  platform 1.0.0 (stable) -> platform 1.1.0 (stable)"));
    CHECK_THAT(table, Contains("Signatures NOT checked"));
    CHECK_THAT(table, Contains("Images: 1 added, 1 removed, 1 changed, 0 retagged, 0 unchanged"));
    CHECK_THAT(
        table,
        Contains("changed  registry.example.com/platform/api:1.1.0 (was registry.example.com/platform/api:1.0.0)  " +
                 r.old_api_digest.substr(0, 19)));
    CHECK_THAT(table, Contains("1 layer, 48.8 KiB"));
    CHECK_THAT(table, Contains(sha(r.api_top_new) + "  48.8 KiB"));  // each new layer in full
    CHECK_THAT(table, Contains("Charts: 0 added, 0 removed, 1 changed, 0 unchanged"));
    CHECK_THAT(table, Contains("platform-core  1.0.0        1.1.0        1.0.0 -> 1.1.0"));
    CHECK_THAT(table, Contains("changed  libc6    2.36-9       2.36-9+deb12u4"));
    CHECK_THAT(table, Contains("removed  openssl  3.0.11-1     -"));

    std::string md = diff::render_markdown(d);
    CHECK(md.rfind("# platform 1.1.0 (stable)\n\nChanges since platform 1.0.0 (stable).\n", 0) == 0);
    CHECK_THAT(md, Contains("> Signatures NOT checked"));
    CHECK_THAT(
        md, Contains("| CHANGE | IMAGE | OLD DIGEST | NEW DIGEST | NEW LAYERS |\n| --- | --- | --- | --- | --- |\n"));
    CHECK_THAT(md, Contains("| removed | `" + r.old_release.web_ref + "` | `" + r.old_web_digest + "` | - | - |"));
    CHECK_THAT(md, Contains("### `" + r.new_release.api_ref + "` (was `" + r.old_release.api_ref + "`)"));
    CHECK_THAT(md, Contains("| added | zlib1g | - | 1.2.13 |"));
}

TEST_CASE("with a trust root both bundles are verified first") {
    test::TwoReleases r;
    trust::TrustRoot root = r.old_release.root();
    diff::ReadOptions options;
    options.trust = root;
    diff::Diff d =
        diff::compare(diff::read_snapshot(r.old_bundle, options), diff::read_snapshot(r.new_bundle, options));
    CHECK(d.verified());
    CHECK(d.new_side.signer_keyids.size() == 1);
    CHECK(d.images.size() == 3);
    CHECK(d.packages.size() == 1);
    CHECK_THAT(diff::render_table(d), Contains("Signatures verified against the trust root for both releases."));

    // A root that did not sign the new bundle refuses it, naming the file.
    trust::TrustRoot other = r.new_release.root();
    options.trust = other;
    CHECK_THROWS_WITH(diff::read_snapshot(r.new_bundle, options),
                      Contains(r.new_bundle.string()) && Contains("signature"));
}

TEST_CASE("an unverified read stops once it has what it needs: a bundle cut off in its layers still diffs") {
    test::TwoReleases r;
    auto cut = r.new_release.dir / "cut.bundle";
    std::filesystem::copy_file(r.new_bundle, cut);
    std::filesystem::resize_file(cut, std::filesystem::file_size(cut) - 20000);  // the last layer blobs
    diff::ReleaseSnapshot s = diff::read_snapshot(cut);
    CHECK(s.sboms.size() == 1);
    CHECK(s.image_manifests.size() == 2);
    CHECK(diff::compare(diff::read_snapshot(r.old_bundle), s).images.size() == 3);

    trust::TrustRoot root = r.old_release.root();
    diff::ReadOptions options;
    options.trust = root;
    CHECK_THROWS_WITH(diff::read_snapshot(cut, options), Contains("cut.bundle") && Contains("truncated"));
}

TEST_CASE("a bare manifest is enough for images and charts; layer sizes and packages are unknown") {
    test::TwoReleases r;
    auto unpacked = r.old_release.dir / "unpacked";
    std::filesystem::create_directories(unpacked);
    auto untar = test::run("zstd -dc '" + r.old_bundle.string() + "' | tar -x -C '" + unpacked.string() +
                           "' sealift/manifest.json sealift/signatures.json");
    REQUIRE(untar.exit_code == 0);
    auto manifest = unpacked / "sealift" / "manifest.json";

    diff::ReleaseSnapshot old_s = diff::read_snapshot(manifest);
    CHECK_FALSE(old_s.whole_bundle);
    diff::Diff d = diff::compare(old_s, diff::read_snapshot(r.new_bundle));
    Json j = diff::to_json(d);
    CHECK(j["old"]["contents"] == "manifest");
    CHECK(j["images"].size() == 3);
    CHECK(j["images"][0]["newLayers"].is_null());
    CHECK(j["packages"].is_null());
    CHECK(j["charts"].size() == 1);
    std::string table = diff::render_table(d);
    CHECK_THAT(table,
               Contains(manifest.string() + " is a bare manifest: layer sizes and SBOM package changes are unknown."));
    CHECK_THAT(table, Contains("SBOM packages: unknown"));
    CHECK_THAT(table, Contains("unknown"));

    // With --trust, the signatures.json beside it is checked; without it the manifest cannot be verified.
    trust::TrustRoot root = r.old_release.root();
    diff::ReadOptions options;
    options.trust = root;
    CHECK(diff::read_snapshot(manifest, options).verified);
    std::filesystem::remove(unpacked / "sealift" / "signatures.json");
    CHECK_THROWS_WITH(diff::read_snapshot(manifest, options),
                      Contains(manifest.string()) && Contains("signatures.json"));
}

TEST_CASE("what is neither a bundle nor a manifest is refused, naming the file") {
    test::TempDir dir;
    test::write_text(dir / "notes.txt", "hello\n");
    CHECK_THROWS_WITH(diff::read_snapshot(dir / "notes.txt"),
                      (dir / "notes.txt").string() + ": neither a Sealift bundle (zstd) nor a bundle manifest (JSON)");
    try {
        diff::read_snapshot(dir / "missing.bundle");
        FAIL("a missing file was read");
    } catch (const Error& e) {
        CHECK(e.code() == Errc::io);
        CHECK_THAT(e.what(), Contains((dir / "missing.bundle").string()));
    }
    test::write_text(dir / "manifest.json", R"({"_type": "targets"})");
    CHECK_THROWS_WITH(diff::read_snapshot(dir / "manifest.json"), Contains((dir / "manifest.json").string()));
    // A zstd stream that is not a bundle.
    REQUIRE(test::run("printf 'not a tar' | zstd -q > '" + (dir / "other.zst").string() + "'").exit_code == 0);
    CHECK_THROWS_WITH(diff::read_snapshot(dir / "other.zst"), Contains((dir / "other.zst").string()));
}

TEST_CASE("an unverified read still checks the entries it uses against the manifest") {
    test::TwoReleases r;
    auto tampered = r.new_release.dir / "tampered.bundle";
    test::TarEditor editor = test::TarEditor::load(r.new_bundle);
    editor.at("sboms/api.cdx.json").data[10] ^= 1;
    editor.save(tampered);
    CHECK_THROWS_WITH(
        diff::read_snapshot(tampered),
        Contains("tampered.bundle: entry 'sboms/api.cdx.json' does not match the size and SHA-256 its manifest lists"));

    auto missing = r.new_release.dir / "missing-sbom.bundle";
    editor = test::TarEditor::load(r.new_bundle);
    editor.entries.erase(editor.entries.begin() + static_cast<long>(editor.index_of("sboms/api.cdx.json")));
    editor.save(missing);
    CHECK_THROWS_WITH(
        diff::read_snapshot(missing),
        Contains("missing-sbom.bundle: the manifest lists 'sboms/api.cdx.json', which the bundle does not contain"));
}

TEST_CASE("the new layers of a multi-platform image are those of every platform the old release lacked") {
    auto manifest_bytes = [](const std::vector<std::pair<std::string, std::uint64_t>>& layers) {
        Json l = Json::array();
        for (const auto& [digest, size] : layers)
            l.push_back(
                {{"mediaType", "application/vnd.oci.image.layer.v1.tar+gzip"}, {"digest", digest}, {"size", size}});
        return Json{
            {"schemaVersion", 2},
            {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
            {"config",
             {{"mediaType", "application/vnd.oci.image.config.v1+json"}, {"digest", sha("config")}, {"size", 6}}},
            {"layers", l}}
            .dump();
    };
    std::string amd64 = manifest_bytes({{sha("shared"), 100}, {sha("amd64"), 200}});
    std::string arm64 = manifest_bytes({{sha("shared"), 100}, {sha("arm64"), 300}});
    auto descriptor = [](const std::string& bytes, const char* arch) {
        return Json{{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                    {"digest", sha(bytes)},
                    {"size", bytes.size()},
                    {"platform", {{"os", "linux"}, {"architecture", arch}}}};
    };
    std::string index = Json{{"schemaVersion", 2},
                             {"mediaType", "application/vnd.oci.image.index.v1+json"},
                             {"manifests", {descriptor(amd64, "amd64"), descriptor(arm64, "arm64")}}}
                            .dump();
    std::string old_api = manifest_bytes({{sha("shared"), 100}});

    auto snapshot = [](const std::string& version, const std::string& image_bytes, const std::string& media_type) {
        diff::ReleaseSnapshot s;
        s.source = version + ".bundle";
        s.whole_bundle = true;
        s.manifest.name = "platform";
        s.manifest.version = manifests::SemVer::parse(version);
        s.manifest.images.push_back(
            {"registry.example.com/platform/api:" + version, Sha256::of(image_bytes), media_type, image_bytes.size()});
        s.image_manifests[sha(image_bytes)] = image_bytes;
        return s;
    };
    diff::ReleaseSnapshot old_s = snapshot("1.0.0", old_api, "application/vnd.oci.image.manifest.v1+json");
    diff::ReleaseSnapshot new_s = snapshot("1.1.0", index, "application/vnd.oci.image.index.v1+json");
    new_s.image_manifests[sha(amd64)] = amd64;
    new_s.image_manifests[sha(arm64)] = arm64;

    diff::Diff d = diff::compare(old_s, new_s);
    REQUIRE(d.images.size() == 1);
    REQUIRE(d.images[0].new_layers);
    std::vector<std::pair<std::string, std::uint64_t>> layers;
    for (const auto& l : *d.images[0].new_layers) layers.emplace_back(l.digest, l.size);
    std::sort(layers.begin(), layers.end());
    std::vector<std::pair<std::string, std::uint64_t>> expected{{sha("amd64"), 200}, {sha("arm64"), 300}};
    std::sort(expected.begin(), expected.end());
    CHECK(layers == expected);
    CHECK(d.images[0].new_layer_bytes() == 500);

    // A platform manifest the snapshot lacks makes the sizes unknown, not wrong.
    new_s.image_manifests.erase(sha(arm64));
    CHECK_FALSE(diff::compare(old_s, new_s).images[0].new_layers);
}

TEST_CASE("an image whose tag moved on but whose digest did not is retagged, not changed") {
    // The fixture's images are the same bytes in every version: 1.0.0 -> 1.1.0 retags both.
    test::ReleaseFixture old_release{"1.0.0"}, new_release{"1.1.0"};
    auto old_bundle = old_release.build(), new_bundle = new_release.build();
    diff::Diff d = diff::compare(diff::read_snapshot(old_bundle), diff::read_snapshot(new_bundle));
    REQUIRE(d.images.size() == 2);
    for (const auto& c : d.images) {
        CHECK(c.kind == diff::ChangeKind::retagged);
        CHECK(c.old_image->digest == c.new_image->digest);
        CHECK(c.old_image->ref != c.new_image->ref);
    }
    CHECK(d.differs());

    std::string table = diff::render_table(d);
    CHECK_THAT(table, Contains("Images: 0 added, 0 removed, 0 changed, 2 retagged, 0 unchanged"));
    CHECK_THAT(table, Contains("retagged  " + new_release.api_ref + " (was " + old_release.api_ref + ")"));
    CHECK_THAT(table, !Contains("0 layers") && !Contains("changed  registry"));
    CHECK_THAT(diff::render_markdown(d), Contains("0 changed, 2 retagged, 0 unchanged."));

    Json j = diff::to_json(d);
    CHECK(j["images"][0]["change"] == "retagged");
    CHECK(j["images"][0]["old"]["digest"] == j["images"][0]["new"]["digest"]);
    CHECK(j["images"][0]["newLayers"] == Json::array());

    // A retag to another repository is found by its digest too.
    diff::ReleaseSnapshot renamed = diff::read_snapshot(new_bundle);
    REQUIRE(renamed.manifest.images[0].ref == new_release.api_ref);
    renamed.manifest.images[0].ref = "registry.example.com/platform/api-server:1.1.0";
    diff::Diff moved = diff::compare(diff::read_snapshot(old_bundle), renamed);
    REQUIRE(moved.images.size() == 2);
    CHECK(moved.images[0].kind == diff::ChangeKind::retagged);
    CHECK(moved.images[0].old_image->ref == old_release.api_ref);
    CHECK(moved.images[0].new_image->ref == "registry.example.com/platform/api-server:1.1.0");
}
