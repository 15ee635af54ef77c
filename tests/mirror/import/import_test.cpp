// Imports into a real docker-registry (distribution 2.8) started by the test,
// in its three auth configurations, read back with skopeo.
#include <catch2/catch.hpp>

#include <map>
#include <optional>

#include "builder/builder.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "mirror/import/import.hpp"
#include "mirror/site/site.hpp"
#include "support/registry_server.hpp"
#include "support/release_fixture.hpp"
#include "support/signed_edit.hpp"
#include "support/tar_editor.hpp"
#include "verify/verify.hpp"

using namespace sealift;
using test::RegistryServer;

namespace {

struct Site {
    RegistryServer registry;
    test::ReleaseFixture fx;
    std::filesystem::path bundle = fx.build();

    explicit Site(RegistryServer::Auth auth) : registry(auth) {}

    registry::RegistryOptions options() const {
        registry::RegistryOptions o;
        o.host = registry.host();
        o.plain_http = true;
        o.credentials = {registry.username(), registry.password()};
        return o;
    }
    registry::RegistryClient client() const { return registry::RegistryClient(options()); }
    mirror::ImportReport import(const std::filesystem::path& b) const {
        mirror::RegistryImportOptions o;
        o.bundle = b;
        o.target = registry::Target::parse(registry.host() + "/site");
        o.registry = options();
        o.quiet = true;
        return mirror::import_to_registry(o, fx.root());
    }
    std::vector<mirror::PreflightRow> preflight(const std::filesystem::path& b = {}, bool read_blobs = true) const {
        mirror::PreflightOptions o;
        o.bundle = b.empty() ? bundle : b;
        o.read_blobs = read_blobs;
        o.target = registry::Target::parse(registry.host() + "/site");
        o.registry = options();
        return mirror::preflight_registry(o, fx.root());
    }
    std::string skopeo_creds(const char* flag = "--creds") const {
        return std::string(" ") + flag + " '" + registry.username() + ":" + registry.password() + "'";
    }
};

std::string not_present(const std::vector<mirror::PreflightRow>& rows) {
    std::string out;
    for (const auto& r : rows)
        if (r.state != "present") out += r.state + " " + r.kind + " " + r.name + " " + r.detail + "\n";
    return out;
}

}  // namespace

TEST_CASE("import, read back with skopeo, import again for nothing, preflight") {
    auto auth = GENERATE(RegistryServer::Auth::none, RegistryServer::Auth::basic, RegistryServer::Auth::token);
    Site s(auth);
    auto report = s.import(s.bundle);
    CHECK(report.stats.blobs_uploaded >= 4);
    for (const auto& a : report.artifacts) {
        if (a.kind != "image") continue;
        auto r = test::run("skopeo inspect --tls-verify=false" + s.skopeo_creds() + " docker://" + a.target);
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(Json::parse(r.out)["Digest"] == a.digest.str());
    }
    test::TempDir out;
    auto copy = test::run("skopeo copy -q --src-tls-verify=false" + s.skopeo_creds("--src-creds") + " docker://" +
                          s.registry.host() + "/site/platform/api:1.0.0 oci:" + (out / "api").string() + ":x");
    INFO(copy.err);
    CHECK(copy.exit_code == 0);

    auto again = s.import(s.bundle);
    CHECK(again.stats.blobs_uploaded == 0);
    CHECK(again.stats.bytes_uploaded == 0);
    CHECK(again.manifests_pushed == 0);
    CHECK(again.tags_set == 0);

    auto rows = s.preflight();
    CHECK(not_present(rows).empty());
}

TEST_CASE("--dry-run into a registry counts what the import then uploads, and writes nothing") {
    Site s(RegistryServer::Auth::basic);
    mirror::RegistryImportOptions o;
    o.bundle = s.bundle;
    o.target = registry::Target::parse(s.registry.host() + "/site");
    o.registry = s.options();
    o.quiet = true;
    auto before = mirror::dry_run_registry(o, s.fx.root());
    CHECK(before.release == "platform 1.0.0 (stable)");
    CHECK(before.blobs_present == 0);
    CHECK(before.external_missing.empty());
    CHECK(s.client().list_tags("site/platform/api").empty());  // no tag, no release record
    CHECK(s.client().list_tags("site/sealift/releases").empty());

    auto report = s.import(s.bundle);
    CHECK(before.blobs_to_write == report.stats.blobs_uploaded);
    CHECK(before.bytes_to_write == report.stats.bytes_uploaded);

    auto after = mirror::dry_run_registry(o, s.fx.root());
    CHECK(after.blobs_to_write == 0);
    CHECK(after.bytes_to_write == 0);
    CHECK(after.blobs_present == before.blobs_to_write);
}

TEST_CASE("charts and SBOMs land as Helm artifacts and referrers") {
    Site s(RegistryServer::Auth::none);
    s.import(s.bundle);
    auto client = s.client();
    std::string bytes;
    auto chart = client.get_manifest("site/charts/platform-core", "1.0.0", bytes);
    REQUIRE(chart);
    auto m = Json::parse(bytes);
    CHECK(m["config"]["mediaType"] == "application/vnd.cncf.helm.config.v1+json");
    CHECK(m["layers"][0]["mediaType"] == "application/vnd.cncf.helm.chart.content.v1.tar+gzip");
    std::string index;
    REQUIRE(client.get_manifest("site/platform/api", "sha256-" + s.fx.api_digest.substr(7), index));
    auto referrers = Json::parse(index);
    REQUIRE(referrers["manifests"].size() == 1);
    CHECK(referrers["manifests"][0]["artifactType"] == "application/vnd.cyclonedx+json");
}

TEST_CASE("two SBOMs of one image are both listed in its referrers fallback index") {
    Site s(RegistryServer::Auth::none);
    Json second = Json::parse(test::read_text(s.fx.dir / "sboms" / "api.cdx.json"));
    second["components"][0]["name"] = "openssl";
    test::write_text(s.fx.dir / "sboms" / "api-2.cdx.json", second.dump(1));
    std::string yaml = test::read_text(s.fx.release_yaml);
    auto at = yaml.find("releaseNotes:");
    REQUIRE(at != std::string::npos);
    yaml.insert(at, "  - path: sboms/api-2.cdx.json\n    for: " + s.fx.api_ref + "\n");
    test::write_text(s.fx.release_yaml, yaml);
    builder::BuildOptions o;
    o.release_file = s.fx.release_yaml;
    o.key_files = {s.fx.release_key};
    o.out_dir = s.fx.dir / "two-sboms";
    o.quiet = true;
    auto bundle = builder::build_bundle(o).bundle;

    s.import(bundle);
    std::string index;
    REQUIRE(s.client().get_manifest("site/platform/api", "sha256-" + s.fx.api_digest.substr(7), index));
    CHECK(Json::parse(index)["manifests"].size() == 2);
}

TEST_CASE("a tampered bundle leaves the registry's tags exactly as they were") {
    auto auth = GENERATE(RegistryServer::Auth::none, RegistryServer::Auth::basic, RegistryServer::Auth::token);
    Site s(auth);
    s.import(s.bundle);
    auto client = s.client();
    // Remove one tag, so a bad import would have something to put back.
    auto web = client.head_manifest("site/platform/web", "1.0.0");
    REQUIRE(web);
    client.delete_manifest("site/platform/web", web->digest);
    auto before = client.list_tags("site/platform/api");

    auto tar = test::TarEditor::load(s.bundle);
    bool flipped = false;
    for (auto& e : tar.entries)
        if (e.name().rfind("images/blobs/", 0) == 0 && e.data.size() == 200000) e.data[777] ^= 1, flipped = true;
    REQUIRE(flipped);
    auto bad = s.fx.dir / "bad.bundle";
    tar.save(bad);
    CHECK_THROWS_WITH(s.import(bad), Catch::Contains("does not match its SHA-256"));
    CHECK(client.list_tags("site/platform/api") == before);
    CHECK_FALSE(client.head_manifest("site/platform/web", "1.0.0"));
}

TEST_CASE("preflight names what is missing or moved") {
    Site s(RegistryServer::Auth::basic);
    s.import(s.bundle);
    CHECK(not_present(s.preflight()).empty());
    auto client = s.client();
    auto web = client.head_manifest("site/platform/web", "1.0.0");
    REQUIRE(web);
    client.delete_manifest("site/platform/web", web->digest);
    CHECK_THAT(not_present(s.preflight()),
               Catch::Contains("missing image " + s.registry.host() + "/site/platform/web:1.0.0"));

    s.import(s.bundle);  // a second import heals the deletion
    CHECK(not_present(s.preflight()).empty());

    // Move the api tag onto another manifest of that repository: the SBOM referrer.
    std::string index;
    REQUIRE(client.get_manifest("site/platform/api", "sha256-" + s.fx.api_digest.substr(7), index));
    std::string other = Json::parse(index)["manifests"][0]["digest"];
    std::string other_bytes;
    auto other_info = client.get_manifest("site/platform/api", other, other_bytes);
    REQUIRE(other_info);
    client.put_manifest("site/platform/api", "1.0.0", other_info->media_type, other_bytes);
    auto moved = not_present(s.preflight());
    CHECK_THAT(moved, Catch::Contains("different image " + s.registry.host() + "/site/platform/api:1.0.0") &&
                          Catch::Contains("tag points to " + other));
}

TEST_CASE("preflight tells a missing blob from one whose bytes are damaged") {
    Site s(RegistryServer::Auth::none);
    s.import(s.bundle);
    std::string bytes;
    REQUIRE(s.client().get_manifest("site/platform/web", "1.0.0", bytes));
    auto manifest = Json::parse(bytes);
    std::string config = manifest["config"]["digest"], layer = manifest["layers"].back()["digest"];
    REQUIRE(std::filesystem::remove(s.registry.blob_data(config)));
    s.registry.damage_blob(layer);
    std::string web = s.registry.host() + "/site/platform/web@";
    auto rows = not_present(s.preflight());
    CHECK_THAT(rows, Catch::Contains("missing blob " + web + config + " needed by " + s.fx.web_ref));
    CHECK_THAT(rows, Catch::Contains("unreadable blob " + web + layer + " " + s.registry.host() +
                                     "/site/platform/web: read blob " + layer + ": content hashes to "));
    // Without reading blobs back only the missing one shows.
    auto unread = not_present(s.preflight({}, false));
    CHECK_THAT(unread, Catch::Contains("missing blob " + web + config));
    CHECK_THAT(unread, !Catch::Contains(layer));
}

TEST_CASE("a delta bundle imports onto its base, and preflight reads the blobs it leaves to the base") {
    Site s(RegistryServer::Auth::basic);
    test::ReleaseFixture next("1.0.1");
    auto delta = next.build_delta(s.bundle, s.fx.release_key, s.fx.root());

    CHECK_THROWS_WITH(s.import(delta), Catch::Contains("delta bundle on platform 1.0.0") &&
                                           Catch::Contains("are not in the registry") &&
                                           Catch::Contains("nothing was tagged"));
    s.import(s.bundle);
    s.import(delta);
    CHECK(not_present(s.preflight(delta)).empty());
}

namespace {

// Every tag of every repository, with the digest it points to.
std::map<std::string, std::string> all_tags(registry::RegistryClient& client) {
    std::map<std::string, std::string> out;
    for (const auto& repo : client.catalog())
        for (const auto& tag : client.list_tags(repo))
            if (auto info = client.head_manifest(repo, tag)) out[repo + ":" + tag] = info->digest.str();
    return out;
}

// A hotfix whose chart is the base's, unchanged (same Chart.yaml, packed at the
// same fixed time: the same bytes), plus a new chart; both releases use the
// fixture's images. Returns the release file of `version`.
std::filesystem::path chart_release(const test::ReleaseFixture& fx, const std::string& version, bool hotfix_chart) {
    test::write_text(fx.dir / "hotfix-chart" / "Chart.yaml", "apiVersion: v2\nname: hotfix-chart\nversion: 0.1.0\n");
    auto yaml = fx.dir / ("chart-release-" + version + ".yaml");
    test::write_text(yaml,
                     "apiVersion: sealift.dev/v1\nkind: Release\nmetadata:\n  name: platform\n  version: " + version +
                         "\n  channel: stable\n  created: 2026-01-01T00:00:00Z\nimages:\n  - layout: images\ncharts:\n "
                         " - path: chart\n" +
                         (hotfix_chart ? "  - path: hotfix-chart\n" : ""));
    return yaml;
}

}  // namespace

TEST_CASE(
    "an inventory delta leaves out the chart the registry holds; import tags the Helm manifest a full import makes") {
    Site s(RegistryServer::Auth::basic);
    auto root = s.fx.root();
    auto build = [&](const std::filesystem::path& yaml, const std::string& out,
                     const std::optional<builder::InventoryBase>& inventory) {
        builder::BuildOptions o;
        o.release_file = yaml;
        o.key_files = {s.fx.release_key};
        o.out_dir = s.fx.dir / out;
        o.expires = "3650d";
        o.quiet = true;
        o.site_inventory = inventory;
        return builder::build_bundle(o);
    };
    auto import_into = [&](const test::RegistryServer& registry, const std::string& prefix,
                           const std::filesystem::path& bundle) {
        mirror::RegistryImportOptions o;
        o.bundle = bundle;
        o.target = registry::Target::parse(registry.host() + "/" + prefix);
        o.registry = s.options();
        o.registry.host = registry.host();
        o.registry.credentials = {registry.username(), registry.password()};
        o.quiet = true;
        return o;
    };
    auto base = build(chart_release(s.fx, "1.0.0", false), "base", std::nullopt);
    mirror::import_to_registry(import_into(s.registry, "site", base.bundle), root);

    // The registry's inventory, signed by the site's key as `mirror inventory --registry` signs it.
    auto site_pub = trust::generate_key(trust::KeyType::ed25519, s.fx.dir / "site");
    auto inventory_file = s.fx.dir / "site.inventory";
    test::write_text(inventory_file, mirror::site::signed_inventory_text(
                                         mirror::site::registry_inventory(
                                             registry::Target::parse(s.registry.host() + "/site"), s.options()),
                                         trust::PrivateKey::load_pem(s.fx.dir / "site.key")));
    auto yaml = chart_release(s.fx, "1.0.1", true);
    auto delta = build(yaml, "delta", builder::read_site_inventory(inventory_file, site_pub));
    auto full = build(yaml, "full", std::nullopt);
    auto m = verify::verify_bundle(delta.bundle, root, {}).manifest;
    REQUIRE(m.charts.size() == 2);
    const auto& core = m.charts[0].name == "platform-core" ? m.charts[0] : m.charts[1];
    REQUIRE(core.left_out);
    const Digest archive = *core.left_out;
    CHECK_FALSE(m.find(core.path));

    SECTION("into the registry holding the base: the same Helm manifest as a full import, preflight passes") {
        auto client = s.client();
        auto core_tag = client.head_manifest("site/charts/platform-core", "1.0.0");
        REQUIRE(core_tag);
        client.delete_manifest("site/charts/platform-core",
                               core_tag->digest);  // the import must make it again, from the registry's archive
        auto dry = mirror::dry_run_registry(import_into(s.registry, "site", delta.bundle), root);
        CHECK(dry.external_missing.empty());
        CHECK(dry.external_present == m.external_blobs.size());
        auto report = mirror::import_to_registry(import_into(s.registry, "site", delta.bundle), root);
        mirror::import_to_registry(import_into(s.registry, "full", full.bundle), root);
        for (const auto* chart : {"charts/platform-core:1.0.0", "charts/hotfix-chart:0.1.0"}) {
            std::string ref(chart);
            auto repo = ref.substr(0, ref.find(':')), tag = ref.substr(ref.find(':') + 1);
            auto at_site = client.head_manifest("site/" + repo, tag),
                 from_full = client.head_manifest("full/" + repo, tag);
            REQUIRE(at_site);
            REQUIRE(from_full);
            CHECK(at_site->digest == from_full->digest);
        }
        bool reported = false;
        for (const auto& a : report.artifacts)
            reported = reported || (a.kind == "chart" && a.source == "platform-core:1.0.0");
        CHECK(reported);
        // Read back by skopeo: the Helm artifact's layer is the very archive the delta left out.
        auto raw = test::run("skopeo inspect --raw --tls-verify=false" + s.skopeo_creds() + " docker://" +
                             s.registry.host() + "/site/charts/platform-core:1.0.0");
        INFO(raw.err);
        REQUIRE(raw.exit_code == 0);
        CHECK(Json::parse(raw.out)["layers"][0]["digest"] == archive.str());
        CHECK(not_present(s.preflight(delta.bundle)).empty());
    }
    SECTION("into a registry that lacks the chart archive: refused naming the chart, no tag set") {
        test::RegistryServer lacking(RegistryServer::Auth::basic);
        mirror::import_to_registry(import_into(lacking, "site", base.bundle), root);
        REQUIRE(std::filesystem::remove(lacking.blob_data(archive.str())));
        registry::RegistryOptions ro = s.options();
        ro.host = lacking.host();
        ro.credentials = {lacking.username(), lacking.password()};
        registry::RegistryClient client(ro);
        auto before = all_tags(client);
        auto dry = mirror::dry_run_registry(import_into(lacking, "site", delta.bundle), root);
        REQUIRE(dry.external_missing.size() == 1);
        CHECK(dry.external_missing[0] == archive);
        mirror::PreflightOptions po;
        po.bundle = delta.bundle;
        po.target = registry::Target::parse(lacking.host() + "/site");
        po.registry = ro;
        CHECK_THAT(not_present(mirror::preflight_registry(po, root)),
                   Catch::Contains("missing chart " + lacking.host() +
                                   "/site/charts/platform-core:1.0.0 chart platform-core:1.0.0 (archive " +
                                   archive.str() + ") is not in the repository"));
        CHECK_THROWS_WITH(
            mirror::import_to_registry(import_into(lacking, "site", delta.bundle), root),
            Catch::Contains("inventory delta for site " + site_pub.keyid()) &&
                Catch::Contains("1 blob(s) it leaves out are not in the registry: " + archive.str() +
                                " of chart platform-core:1.0.0 (" + lacking.host() + "/site/charts/platform-core)") &&
                Catch::Contains("nothing was tagged"));
        CHECK(all_tags(client) == before);
    }
}

TEST_CASE(
    "a delta declaring a left-out layer with another size than the registry's is refused before anything is tagged") {
    Site s(RegistryServer::Auth::basic);
    test::ReleaseFixture next("1.0.1");
    auto delta = next.build_delta(s.bundle, s.fx.release_key, s.fx.root());
    s.import(s.bundle);
    auto external = verify::inspect_bundle(delta).manifest.external_blobs.front();

    test::SignedEdit edit(delta);
    edit.redeclare_external_size(external.digest.str(), external.size + 1);
    auto resized = next.dir / "resized.bundle";
    edit.save(resized, s.fx.release_key);
    auto client = s.client();
    auto before = all_tags(client);
    CHECK_THROWS_WITH(
        s.import(resized),
        Catch::Contains("delta bundle on platform 1.0.0: blob " + external.digest.str() + ", which it leaves out, is " +
                        std::to_string(external.size) + " bytes in " + s.registry.host() + "/site/platform/") &&
            Catch::Contains("but the bundle declares " + std::to_string(external.size + 1) + " (nothing was tagged)"));
    CHECK(all_tags(client) == before);
    s.import(delta);  // the honest delta imports
}
