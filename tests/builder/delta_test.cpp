// Delta bundles built against a base: what they carry, what they declare, and
// every way a base can be wrong. The base and hotfix releases are made here:
// api changes its top layer, web only its tag.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <map>

#include "builder/builder.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "support/hotfix_releases.hpp"
#include "support/release_fixture.hpp"
#include "support/tar_editor.hpp"
#include "verify/verify.hpp"

using namespace sealift;
namespace fs = std::filesystem;

namespace {

using test::kApiNew, test::kApiOld, test::kShared, test::kWebLayer;

struct Hotfix : test::HotfixReleases {
    fs::path with_charts(const fs::path& yaml, const std::string& web_version) {
        return HotfixReleases::with_charts(yaml, web_version, "api-chart");
    }
    builder::BuildResult build(const fs::path& yaml, const std::string& out, const fs::path& base = {}) {
        auto o = options(yaml, out);
        if (!base.empty()) {
            auto b = verify::read_base_bundle(base, fx.root());
            o.base = builder::DeltaBase{b.manifest, b.manifest_digest, "--base " + base.string()};
        }
        return builder::build_bundle(o);
    }
    std::string build_error(const fs::path& yaml, const fs::path& base) {
        return test::error_of([&] { build(yaml, "refused", base); }, "BUILT");
    }
};

}  // namespace

TEST_CASE("a delta carries the changed layer, every manifest and config, and declares the rest external") {
    Hotfix h;
    auto base = h.build(h.release("platform", "1.0.0", kApiOld), "base");
    auto yaml = h.release("platform", "1.0.1", kApiNew);
    auto delta = h.build(yaml, "delta", base.bundle);
    auto full = h.build(yaml, "full");

    auto report = verify::verify_bundle(delta.bundle, h.fx.root(), {});
    const auto& m = report.manifest;
    REQUIRE(m.base);
    CHECK(m.base->name == "platform");
    CHECK(m.base->version.str() == "1.0.0");
    CHECK(m.base->channel == manifests::Channel::hotfix);
    CHECK(m.base->manifest_digest == base.manifest_digest);
    REQUIRE(m.external_blobs.size() == 2);
    std::vector<Digest> expected{Sha256::of(kShared), Sha256::of(kWebLayer)};
    std::sort(expected.begin(), expected.end());
    CHECK(m.external_blobs[0].digest == expected[0]);
    CHECK(m.external_blobs[1].digest == expected[1]);
    CHECK(m.find_external(Sha256::of(kShared))->size == kShared.size());
    CHECK(m.find(manifests::bundle_paths::blob(Sha256::of(kApiNew))));
    CHECK_FALSE(m.find(manifests::bundle_paths::blob(Sha256::of(kShared))));
    // 2 manifests, 2 configs, the new layer; the full bundle has the 2 shared layers too.
    CHECK(delta.blobs == 5);
    CHECK(full.blobs == 7);
    CHECK(delta.external_blobs == 2);
    CHECK(delta.external_bytes == kShared.size() + kWebLayer.size());
    auto full_report = verify::verify_bundle(full.bundle, h.fx.root(), {});
    CHECK(full_report.payload_bytes - report.payload_bytes >= kShared.size() + kWebLayer.size());
    CHECK_FALSE(verify::inspect_bundle(full.bundle).manifest.is_delta());
}

TEST_CASE("a delta is reproducible, and the same from the base bundle or its signed metadata") {
    Hotfix h;
    auto base = h.build(h.release("platform", "1.0.0", kApiOld), "base");
    auto yaml = h.release("platform", "1.0.1", kApiNew);
    auto first = h.build(yaml, "one", base.bundle);
    auto second = h.build(yaml, "two", base.bundle);
    CHECK(test::read_text(first.bundle) == test::read_text(second.bundle));

    auto envelope = h.fx.dir / "base-metadata.json";
    test::write_text(envelope, verify::metadata_envelope(verify::inspect_bundle(base.bundle)));
    auto b = verify::read_base_envelope(envelope, h.fx.root());
    CHECK(b.manifest_digest == base.manifest_digest);
    auto o = h.options(yaml, "from-envelope");
    o.base = builder::DeltaBase{b.manifest, b.manifest_digest, "--base-manifest"};
    CHECK(test::read_text(builder::build_bundle(o).bundle) == test::read_text(first.bundle));
}

TEST_CASE("a delta of a delta leaves out what the first delta left out and what it carried") {
    Hotfix h;
    auto base = h.build(h.release("platform", "1.0.0", kApiOld), "base");
    auto first = h.build(h.release("platform", "1.0.1", kApiNew), "first", base.bundle);
    auto second = h.build(h.release("platform", "1.0.2", kApiNew), "second", first.bundle);
    auto m = verify::verify_bundle(second.bundle, h.fx.root(), {}).manifest;
    CHECK(m.base->version.str() == "1.0.1");
    CHECK(m.external_blobs.size() == 3);
    CHECK(m.find_external(Sha256::of(kApiNew)));
    CHECK(second.blobs == 4);  // manifests and configs only
}

TEST_CASE("a base of another release, or not older, is refused naming it") {
    Hotfix h;
    auto other = h.build(h.release("other", "1.0.0", kApiOld), "other");
    auto same = h.build(h.release("platform", "1.0.1", kApiOld), "same");
    auto yaml = h.release("platform", "1.0.1", kApiNew);
    CHECK_THAT(h.build_error(yaml, other.bundle),
               Catch::Contains("--base " + other.bundle.string()) &&
                   Catch::Contains("base release 'other' is not release 'platform'"));
    CHECK_THAT(h.build_error(yaml, same.bundle), Catch::Contains("base version 1.0.1 does not precede 1.0.1"));
    CHECK_FALSE(fs::exists(h.fx.dir / "refused"));
}

TEST_CASE("a tampered, unsigned or foreign base is refused before anything is built") {
    Hotfix h;
    auto base = h.build(h.release("platform", "1.0.0", kApiOld), "base").bundle;
    auto yaml = h.release("platform", "1.0.1", kApiNew);

    // The manifest edited to claim a blob the base never had: its signature no longer holds.
    auto tar = test::TarEditor::load(base);
    auto& manifest = tar.at("sealift/manifest.json").data;
    manifest.replace(manifest.find("\"version\":\"1.0.0\""), 17, "\"version\":\"0.9.0\"");
    auto tampered = h.fx.dir / "tampered.bundle";
    tar.save(tampered);
    CHECK_THAT(h.build_error(yaml, tampered),
               Catch::Contains("base bundle " + tampered.string()) && Catch::Contains("signature"));

    // Signed by a key the trust root does not know.
    trust::generate_key(trust::KeyType::ed25519, h.fx.dir / "stranger");
    auto o = h.options(h.fx.dir / "platform-1.0.0.yaml", "foreign");
    o.key_files = {h.fx.dir / "stranger.key"};
    auto foreign = builder::build_bundle(o).bundle;
    CHECK_THAT(h.build_error(yaml, foreign),
               Catch::Contains("base bundle " + foreign.string()) && Catch::Contains("signature"));

    test::write_text(h.fx.dir / "notes.txt", "not a bundle");
    CHECK_THAT(h.build_error(yaml, h.fx.dir / "notes.txt"), Catch::Contains("not a Sealift bundle"));

    auto envelope = h.fx.dir / "meta.json";
    test::write_text(envelope, "{\"signed\":{}}");
    CHECK_THROWS_WITH(
        verify::read_base_envelope(envelope, h.fx.root()),
        Catch::Contains("base manifest " + envelope.string()) && Catch::Contains("not a metadata envelope"));
    std::string good = verify::metadata_envelope(verify::inspect_bundle(base));
    good.replace(good.find("\"version\":\"1.0.0\""), 17, "\"version\":\"0.9.0\"");
    test::write_text(envelope, good);
    CHECK_THROWS_WITH(verify::read_base_envelope(envelope, h.fx.root()), Catch::Contains("signature"));
}

TEST_CASE("--require-sbom refuses an image without an SBOM, naming it") {
    test::ReleaseFixture fx;  // its SBOM describes the api image only
    fx.build();
    builder::BuildOptions o;
    o.release_file = fx.release_yaml;
    o.key_files = {fx.release_key};
    o.out_dir = fx.dir / "strict";
    o.quiet = true;
    o.require_sbom = true;
    CHECK_THROWS_WITH(builder::build_bundle(o), Catch::Contains("image " + fx.web_ref + " has no SBOM") &&
                                                    Catch::Contains(fx.release_yaml.string()));
    // With web's SBOM added, the same release builds.
    test::write_text(
        fx.dir / "sboms" / "web.cdx.json",
        Json{{"bomFormat", "CycloneDX"},
             {"specVersion", "1.5"},
             {"version", 1},
             {"metadata",
              {{"component",
                {{"type", "container"}, {"name", "registry.example.com/platform/web"}, {"version", fx.version}}}}}}
            .dump());
    std::string yaml = test::read_text(fx.release_yaml);
    yaml.replace(yaml.find("releaseNotes:"), 0, "  - path: sboms/web.cdx.json\n    for: " + fx.web_ref + "\n");
    test::write_text(fx.release_yaml, yaml);
    CHECK(builder::build_bundle(o).sboms == 2);
}

TEST_CASE("a delta leaves out a chart archive its base carries, carries a changed chart, and verifies") {
    Hotfix h;
    auto base = h.build(h.with_charts(h.release("platform", "1.0.0", kApiOld), "1.0.0"), "base");
    auto delta = h.build(h.with_charts(h.release("platform", "1.0.1", kApiNew), "1.0.1"), "delta", base.bundle);
    const auto base_manifest = verify::inspect_bundle(base.bundle).manifest;
    const auto* base_chart = base_manifest.find("charts/api-chart-2.0.0.tgz");
    REQUIRE(base_chart);

    auto m = verify::verify_bundle(delta.bundle, h.fx.root(), {}).manifest;
    REQUIRE(m.charts.size() == 2);
    const auto& api = m.charts[0].name == "api-chart" ? m.charts[0] : m.charts[1];
    const auto& web = m.charts[0].name == "api-chart" ? m.charts[1] : m.charts[0];
    CHECK(api.left_out == base_chart->digest);
    CHECK(api.path == "charts/api-chart-2.0.0.tgz");
    CHECK_FALSE(m.find(api.path));
    REQUIRE(m.find_external(base_chart->digest));
    CHECK(m.find_external(base_chart->digest)->size == base_chart->size);
    CHECK_FALSE(web.left_out);
    CHECK(m.find("charts/web-chart-1.0.1.tgz"));
    CHECK(delta.charts == 2);
    CHECK(delta.external_blobs == 3);  // the two shared layers and the chart archive
    CHECK(delta.external_bytes == kShared.size() + kWebLayer.size() + base_chart->size);

    // The bundle SBOM still lists the left-out chart with its hash: the builder had the bytes.
    auto sbom = verify::inspect_entries(delta.bundle, [](const manifests::BundleManifest&) {
        return std::map<std::string, std::size_t>{{"sealift/sbom.cdx.json", 1u << 20}};
    });
    CHECK_THAT(sbom.entries.at("sealift/sbom.cdx.json"),
               Catch::Contains(std::string(base_chart->digest.hex())) && Catch::Contains("charts/api-chart-2.0.0.tgz"));

    auto cli = test::run(test::sealift_binary() + " verify -q '" + delta.bundle.string() + "' --trust '" +
                         h.fx.trust_file.string() + "'");
    INFO(cli.err);
    CHECK(cli.exit_code == 0);
    auto inspected = test::run(test::sealift_binary() + " inspect '" + delta.bundle.string() + "'");
    CHECK_THAT(inspected.out, Catch::Contains("left out: " + base_chart->digest.str()));
    auto inspected_json = test::run(test::sealift_binary() + " inspect --json '" + delta.bundle.string() + "'");
    Json inspection = Json::parse(inspected_json.out);
    std::map<std::string, std::string> left_out;
    for (const auto& c : inspection["charts"]) left_out[c["name"]] = c.value("leftOut", "");
    CHECK(left_out == std::map<std::string, std::string>{{"api-chart", base_chart->digest.str()}, {"web-chart", ""}});
    // sealift sbom lists the left-out chart with its hash; sealift diff sees it unchanged.
    auto exported = test::run(test::sealift_binary() + " sbom '" + delta.bundle.string() + "' --format cyclonedx");
    INFO(exported.err);
    CHECK(exported.exit_code == 0);
    CHECK_THAT(exported.out, Catch::Contains(std::string(base_chart->digest.hex())));
    auto diffed = test::run(test::sealift_binary() + " diff '" + base.bundle.string() + "' '" + delta.bundle.string() +
                            "' --json");
    INFO(diffed.err);
    REQUIRE(diffed.exit_code == 0);
    Json diff = Json::parse(diffed.out);
    CHECK(diff["unchangedCharts"] == 1);
    REQUIRE(diff["charts"].size() == 1);
    CHECK(diff["charts"][0].dump().find("web-chart") != std::string::npos);

    // A delta on this delta leaves out the chart its base left out as well as the one it carried.
    auto second = h.build(h.with_charts(h.release("platform", "1.0.2", kApiNew), "1.0.1"), "second", delta.bundle);
    auto m2 = verify::verify_bundle(second.bundle, h.fx.root(), {}).manifest;
    for (const auto& c : m2.charts) {
        CHECK(c.left_out);
        CHECK_FALSE(m2.find(c.path));
    }
    CHECK(second.external_blobs == 5);
}

TEST_CASE("a full build and a delta against a base without the chart carry it") {
    Hotfix h;
    auto base = h.build(h.release("platform", "1.0.0", kApiOld), "base");
    auto yaml = h.with_charts(h.release("platform", "1.0.1", kApiNew), "1.0.1");
    for (const auto& bundle : {h.build(yaml, "full").bundle, h.build(yaml, "delta", base.bundle).bundle}) {
        auto m = verify::verify_bundle(bundle, h.fx.root(), {}).manifest;
        REQUIRE(m.charts.size() == 2);
        for (const auto& c : m.charts) {
            CHECK_FALSE(c.left_out);
            CHECK(m.find(c.path));
        }
        // A carried chart has no digest member: a full bundle's bytes are what they were.
        Json manifest = parse_json_strict(verify::inspect_bundle(bundle).manifest_bytes, "m");
        REQUIRE(manifest["sealift"]["charts"].size() == 2);
        for (const auto& c : manifest["sealift"]["charts"]) CHECK_FALSE(c.contains("digest"));
    }
}

TEST_CASE(
    "sealift verify refuses a left-out chart outside the external blobs, an external blob nothing uses, a left-out "
    "chart's path as an entry") {
    Hotfix h;
    auto base = h.build(h.with_charts(h.release("platform", "1.0.0", kApiOld), "1.0.0"), "base");
    auto delta = h.build(h.with_charts(h.release("platform", "1.0.1", kApiNew), "1.0.1"), "delta", base.bundle);
    // The delta's manifest edited and signed again by the release key, so only the edit is wrong.
    auto verify_edited = [&](const std::function<void(Json & sealift)>& edit) {
        auto tar = test::TarEditor::load(delta.bundle);
        Json doc = parse_json_strict(tar.at("sealift/manifest.json").data, "manifest");
        edit(doc["sealift"]);
        std::string bytes = canonical_json(doc);
        auto signature = trust::PrivateKey::load_pem(h.fx.release_key).sign(bytes);
        tar.at("sealift/manifest.json") = test::TarEditor::make("sealift/manifest.json", bytes);
        tar.at("sealift/signatures.json") =
            test::TarEditor::make("sealift/signatures.json", canonical_json(trust::signatures_to_json({signature})));
        auto edited = h.fx.dir / "edited.bundle";
        tar.save(edited);
        return test::run(test::sealift_binary() + " verify -q '" + edited.string() + "' --trust '" +
                         h.fx.trust_file.string() + "'");
    };
    auto refused = [&](const std::function<void(Json & sealift)>& edit) {
        auto r = verify_edited(edit);
        CHECK(r.exit_code == 1);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);  // one line
        return r.err;
    };
    auto chart_named = [](Json& sealift, const std::string& name) -> Json& {
        for (auto& c : sealift["charts"])
            if (c["name"] == name) return c;
        throw std::runtime_error("no chart " + name);
    };
    REQUIRE(verify_edited([](Json&) {}).exit_code == 0);  // the edit-and-sign itself is sound

    std::string archive = chart_named(
        parse_json_strict(verify::inspect_bundle(delta.bundle).manifest_bytes, "m")["sealift"], "api-chart")["digest"];
    CHECK_THAT(refused([&](Json& sealift) {
                   auto& list = sealift["externalBlobs"];
                   for (auto it = list.begin(); it != list.end(); ++it)
                       if ((*it)["digest"] == archive) {
                           list.erase(it);
                           break;
                       }
               }),
               Catch::Contains("charts api-chart 2.0.0: its left-out archive " + archive +
                               " is not among sealift.externalBlobs"));

    std::string orphan = Sha256::of("nothing uses this").str();
    CHECK_THAT(refused([&](Json& sealift) {
                   auto& list = sealift["externalBlobs"];
                   list.push_back({{"digest", orphan}, {"size", 17}});
                   std::sort(list.begin(), list.end(),
                             [](const Json& a, const Json& b) { return a["digest"] < b["digest"]; });
               }),
               Catch::Contains("external blob " + orphan + " is not referenced by any image layer or left-out chart"));

    CHECK_THAT(refused([&](Json& sealift) { chart_named(sealift, "web-chart")["digest"] = archive; }),
               Catch::Contains("chart web-chart 1.0.1 is left out (digest " + archive +
                               ") but 'charts/web-chart-1.0.1.tgz' is also a listed entry"));
}
