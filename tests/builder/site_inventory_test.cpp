// Bundles cut against a site's signed inventory (`sealift build --site-inventory`),
// their import into stores that do and do not hold what they leave out, and
// `mirror import --store --dry-run`. The site is a store that imported 1.0.0;
// its inventory is made here from the store's blob folder and signed with a
// site key, as the site would send it back.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "builder/builder.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "manifests/site_inventory.hpp"
#include "mirror/import/import.hpp"
#include "mirror/store/store.hpp"
#include "support/hotfix_releases.hpp"
#include "support/release_fixture.hpp"
#include "verify/verify.hpp"

using namespace sealift;
using test::error_of;
namespace fs = std::filesystem;

namespace {

using test::kApiNew, test::kApiOld, test::kShared, test::kWebLayer;

// Every file under `dir` with its size and content digest (empty when dir is absent).
std::map<std::string, std::string> tree(const fs::path& dir) {
    std::map<std::string, std::string> out;
    if (!fs::exists(dir)) return out;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        std::string rel = fs::relative(e.path(), dir).string();
        out[rel] = e.is_regular_file() ? Sha256::of(test::read_text(e.path())).str() : "dir";
    }
    return out;
}

struct Site : test::HotfixReleases {
    fs::path store = fx.dir / "site-store";
    fs::path site_key_prefix = fx.dir / "site";
    trust::PublicKey site_pub = trust::generate_key(trust::KeyType::ed25519, site_key_prefix);

    fs::path release(const std::string& version, const std::string& api_top) {
        return HotfixReleases::release("platform", version, api_top);
    }
    fs::path with_charts(const fs::path& yaml, const std::string& web_version) {
        return HotfixReleases::with_charts(yaml, web_version, "app-chart");
    }
    // The site's key signs its receipts as well as its inventory.
    mirror::StoreImportOptions store_options(const fs::path& bundle, const fs::path& into) {
        return {bundle, into, true, std::nullopt, site_key_prefix.string() + ".key", true};
    }
    mirror::StoreImportReport import(const fs::path& bundle, const fs::path& into) {
        auto root = fx.root();
        return mirror::import_to_store(store_options(bundle, into), &root);
    }
    // The signed inventory of the store, as the site would write it.
    fs::path inventory_of(const fs::path& of, const std::string& name = "site.inventory",
                          TimePoint created = parse_time("2026-02-01T00:00:00Z")) {
        manifests::SiteInventory inv;
        inv.created = created;
        inv.site_keyid = site_pub.keyid();
        inv.source = "store";
        for (const auto& e : fs::directory_iterator(of / "blobs" / "sha256"))
            inv.blobs.push_back(Digest::from_hex(e.path().filename().string()));
        inv.sort_and_dedupe();
        return write_signed(inv, trust::PrivateKey::load_pem(site_key_prefix.string() + ".key"), name);
    }
    fs::path write_signed(const manifests::SiteInventory& inv, const trust::PrivateKey& key, const std::string& name) {
        Json signed_object = inv.signed_json();
        auto sig = key.sign(canonical_json(signed_object));
        fs::path file = fx.dir / name;
        test::write_text(
            file, canonical_json(Json{{"signed", signed_object}, {"signatures", trust::signatures_to_json({sig})}}));
        return file;
    }
    builder::BuildResult build_against(const fs::path& yaml, const fs::path& inventory, const std::string& out) {
        auto o = options(yaml, out);
        o.site_inventory = builder::read_site_inventory(inventory, site_pub);
        return builder::build_bundle(o);
    }
};

}  // namespace

TEST_CASE("a hotfix cut against a site inventory carries only the changed layer and declares the inventory") {
    Site s;
    auto base = builder::build_bundle(s.options(s.release("1.0.0", kApiOld), "base"));
    s.import(base.bundle, s.store);
    auto inventory = s.inventory_of(s.store);
    auto yaml = s.release("1.0.1", kApiNew);
    auto delta = s.build_against(yaml, inventory, "delta");
    auto full = builder::build_bundle(s.options(yaml, "full"));

    auto report = verify::verify_bundle(delta.bundle, s.fx.root(), {});  // stands alone for the verifier
    const auto& m = report.manifest;
    REQUIRE(m.site_inventory);
    CHECK_FALSE(m.base);
    CHECK(m.is_delta());
    CHECK(m.site_inventory->digest == Sha256::of(test::read_text(inventory)));
    CHECK(m.site_inventory->site_keyid == s.site_pub.keyid());
    CHECK(format_time(m.site_inventory->created) == "2026-02-01T00:00:00Z");
    std::vector<Digest> left_out{Sha256::of(kShared), Sha256::of(kWebLayer)};
    std::sort(left_out.begin(), left_out.end());
    REQUIRE(m.external_blobs.size() == 2);
    CHECK(m.external_blobs[0].digest == left_out[0]);
    CHECK(m.external_blobs[1].digest == left_out[1]);
    CHECK(m.find(manifests::bundle_paths::blob(Sha256::of(kApiNew))));
    CHECK(delta.blobs == 5);  // 2 manifests, 2 configs (configs always travel), the new layer
    CHECK(full.blobs == 7);
    CHECK(delta.bundle_bytes < full.bundle_bytes);
    auto full_report = verify::verify_bundle(full.bundle, s.fx.root(), {});
    CHECK(full_report.payload_bytes - report.payload_bytes >= kShared.size() + kWebLayer.size());
    // The declaration round-trips through the canonical bytes.
    CHECK(manifests::BundleManifest::parse(m.canonical_bytes(), "m").canonical_bytes() == m.canonical_bytes());
}

TEST_CASE(
    "sealift build --site-inventory tells the inventory's age, or how far ahead of this machine's clock it is dated") {
    Site s;
    s.import(builder::build_bundle(s.options(s.release("1.0.0", kApiOld), "base")).bundle, s.store);
    auto yaml = s.release("1.0.1", kApiNew);
    auto build_against = [&](const fs::path& inventory, const std::string& out) {
        return test::run(test::sealift_binary() + " build -f '" + yaml.string() + "' --key '" +
                         s.fx.release_key.string() + "' -o '" + (s.fx.dir / out).string() +
                         "' --expires 3650d --site-inventory '" + inventory.string() + "' --site-key '" +
                         s.site_key_prefix.string() + ".pub'");
    };
    auto past = build_against(s.inventory_of(s.store, "past.inventory"), "past");
    INFO(past.err);
    REQUIRE(past.exit_code == 0);
    CHECK_THAT(past.err,
               Catch::Matches(
                   "(.|\\n)*\\(inventory of 2026-02-01T00:00:00Z, [0-9]+ days [0-9]+ hours old\\): 2 blobs(.|\\n)*"));

    auto ahead = now_seconds() + std::chrono::hours(24 * 3 + 5) + std::chrono::minutes(30);
    auto future = build_against(s.inventory_of(s.store, "future.inventory", ahead), "future");
    INFO(future.err);
    REQUIRE(future.exit_code == 0);
    CHECK_THAT(future.err, Catch::Contains(", 3 days 5 hours ahead of this machine's clock): 2 blobs"));
}

TEST_CASE("a wrong-key, tampered or malformed site inventory is refused naming the file") {
    Site s;
    auto base = builder::build_bundle(s.options(s.release("1.0.0", kApiOld), "base"));
    s.import(base.bundle, s.store);
    auto inventory = s.inventory_of(s.store);
    auto other = trust::generate_key(trust::KeyType::ed25519, s.fx.dir / "other");
    std::string file = "site inventory " + inventory.string();

    CHECK_THAT(error_of([&] { builder::read_site_inventory(inventory, other); }),
               Catch::Contains(file) && Catch::Contains("not by the given site key " + other.keyid()));
    CHECK_THAT(error_of([&] { builder::read_site_inventory(s.fx.dir.path(), s.site_pub); }),
               Catch::Contains("site inventory: " + s.fx.dir.path().string()) && Catch::Contains("not a regular file"));

    // Signed by another key that claims the site's key id.
    manifests::SiteInventory claimed = builder::read_site_inventory(inventory, s.site_pub).inventory;
    auto forged = s.write_signed(claimed, trust::PrivateKey::load_pem(s.fx.dir / "other.key"), "forged.inventory");
    CHECK_THAT(error_of([&] { builder::read_site_inventory(forged, s.site_pub); }),
               Catch::Contains("site inventory " + forged.string()) && Catch::Contains("no valid signature"));

    // One byte of a listed digest changed.
    std::string text = test::read_text(inventory);
    auto at = text.find(std::string(Sha256::of(kShared).hex()));
    REQUIRE(at != std::string::npos);
    text[at] = text[at] == '0' ? '1' : '0';
    fs::path tampered = s.fx.dir / "tampered.inventory";
    test::write_text(tampered, text);
    CHECK_THAT(error_of([&] { builder::read_site_inventory(tampered, s.site_pub); }),
               Catch::Contains("site inventory " + tampered.string()) && Catch::Contains("no valid signature"));

    fs::path malformed = s.fx.dir / "malformed.inventory";
    test::write_text(malformed, "{\"signed\":{}}");
    CHECK_THAT(error_of([&] { builder::read_site_inventory(malformed, s.site_pub); }),
               Catch::Contains("site inventory " + malformed.string()) &&
                   Catch::Contains("exactly 'signed' and 'signatures'"));
    test::write_text(malformed, "{\"signed\":{\"_type\":\"sealift-site-inventory\"},\"signatures\":[]}");
    CHECK_THAT(error_of([&] { builder::read_site_inventory(malformed, s.site_pub); }),
               Catch::Contains("site inventory " + malformed.string()));
    test::write_text(malformed, "not json");
    CHECK_THAT(error_of([&] { builder::read_site_inventory(malformed, s.site_pub); }),
               Catch::Contains("site inventory " + malformed.string()));

    auto o = s.options(s.release("1.0.1", kApiNew), "both");
    o.site_inventory = builder::read_site_inventory(inventory, s.site_pub);
    auto b = verify::read_base_bundle(base.bundle, s.fx.root());
    o.base = builder::DeltaBase{b.manifest, b.manifest_digest, "--base"};
    CHECK_THAT(error_of([&] { builder::build_bundle(o); }), Catch::Contains("--base or --site-inventory, not both"));
}

TEST_CASE("the signed manifest declares a site inventory strictly, never with a base") {
    Site s;
    auto base = builder::build_bundle(s.options(s.release("1.0.0", kApiOld), "base"));
    s.import(base.bundle, s.store);
    auto delta = s.build_against(s.release("1.0.1", kApiNew), s.inventory_of(s.store), "delta");
    std::string bytes = verify::inspect_bundle(delta.bundle).manifest_bytes;
    auto edited = [&](const std::function<void(Json&)>& edit) {
        Json doc = parse_json_strict(bytes, "m");
        edit(doc["sealift"]);
        return error_of([&] { manifests::BundleManifest::parse(canonical_json(doc), "m"); });
    };
    CHECK_THAT(edited([](Json& j) { j["siteInventory"]["extra"] = 1; }),
               Catch::Contains("siteInventory: unknown field 'extra'"));
    CHECK_THAT(edited([](Json& j) { j["siteInventory"]["siteKeyid"] = "NOT-HEX"; }),
               Catch::Contains("siteKeyid 'NOT-HEX'"));
    CHECK_THAT(edited([](Json& j) { j["siteInventory"]["siteKeyid"] = "abcd"; }),
               Catch::Contains("siteKeyid 'abcd' is not a key id (64 lowercase hex)"));
    CHECK_THAT(edited([](Json& j) { j["siteInventory"]["digest"] = "sha256:00"; }),
               Catch::Contains("siteInventory: field 'digest'"));
    CHECK_THAT(edited([](Json& j) { j["siteInventory"]["created"] = "yesterday"; }), Catch::Contains("siteInventory"));
    CHECK_THAT(edited([](Json& j) { j.erase("siteInventory"); }), Catch::Contains("only a delta bundle"));
    CHECK_THAT(edited([](Json& j) {
                   j["base"] = {{"name", "platform"},
                                {"version", "1.0.0"},
                                {"channel", "hotfix"},
                                {"manifestDigest", Sha256::of("x").str()}};
               }),
               Catch::Contains("a base release or a site inventory, not both"));
}

TEST_CASE("an inventory delta imports into the site holding its blobs, and is refused where one is missing") {
    Site s;
    auto base = builder::build_bundle(s.options(s.release("1.0.0", kApiOld), "base"));
    s.import(base.bundle, s.store);
    auto delta = s.build_against(s.release("1.0.1", kApiNew), s.inventory_of(s.store), "delta");

    SECTION("a store that lacks one blob refuses naming it, and stays as it was") {
        fs::path lacking = s.fx.dir / "lacking";
        s.import(base.bundle, lacking);
        fs::remove(lacking / "blobs" / "sha256" / std::string(Sha256::of(kWebLayer).hex()));
        auto before = tree(lacking);
        CHECK_THAT(error_of([&] { s.import(delta.bundle, lacking); }),
                   Catch::Contains("inventory delta for site " + s.site_pub.keyid()) &&
                       Catch::Contains("leaves out 1 blob(s)") && Catch::Contains(Sha256::of(kWebLayer).str()));
        auto after = tree(lacking);
        // Only the audit log (and a receipt of the refusal, where receipts are written) records the attempt.
        for (auto* m : {&before, &after})
            for (auto it = m->begin(); it != m->end();)
                it = it->first == "audit.log" || it->first.rfind("receipts", 0) == 0 ? m->erase(it) : std::next(it);
        CHECK(before == after);
    }
    SECTION("the site imports it and every image resolves, its left-out layers included") {
        auto report = s.import(delta.bundle, s.store);
        CHECK(report.version == "1.0.1");
        auto store = mirror::store::Store::open(s.store);
        auto snap = store->refresh();
        for (const auto* repo : {"registry.example.com/platform/api", "registry.example.com/platform/web"}) {
            auto top = snap->resolve(repo, "1.0.1");
            REQUIRE(top);
            CHECK(snap->blob_size(repo, Sha256::of(kShared)) == kShared.size());
        }
        CHECK(snap->blob_size("registry.example.com/platform/api", Sha256::of(kApiNew)) == kApiNew.size());
        CHECK(snap->blob_size("registry.example.com/platform/web", Sha256::of(kWebLayer)) == kWebLayer.size());
    }
}

TEST_CASE("a store dry run reports what the import then writes, and writes nothing") {
    Site s;
    auto base = builder::build_bundle(s.options(s.release("1.0.0", kApiOld), "base"));
    auto root = s.fx.root();
    auto o = s.store_options(base.bundle, s.store);

    SECTION("into a store that does not exist yet") {
        auto dry = mirror::dry_run_store(o, &root);
        CHECK_FALSE(fs::exists(s.store));
        CHECK(dry.blobs_present == 0);
        CHECK(dry.refusal.empty());
        REQUIRE(dry.free_bytes);
        CHECK(*dry.free_bytes > 0);
        CHECK(dry.fits);
        auto real = mirror::import_to_store(o, &root);
        CHECK(dry.blobs_to_write == real.blobs_written);
        CHECK(dry.bytes_to_write == real.bytes_written);
        CHECK(dry.manifest_digest == real.manifest_digest);
    }
    SECTION("a delta into a store holding part of it, then one lacking a left-out blob") {
        mirror::import_to_store(o, &root);
        auto delta = s.build_against(s.release("1.0.1", kApiNew), s.inventory_of(s.store), "delta");
        auto d = s.store_options(delta.bundle, s.store);
        auto before = tree(s.store);
        auto dry = mirror::dry_run_store(d, nullptr);
        CHECK(tree(s.store) == before);
        CHECK(dry.external_present == 2);
        CHECK(dry.external_missing.empty());
        CHECK(dry.refusal.empty());
        auto real = mirror::import_to_store(d, nullptr);
        CHECK(dry.blobs_to_write == real.blobs_written);
        CHECK(dry.bytes_to_write == real.bytes_written);
        CHECK(dry.blobs_to_write > 0);

        fs::path lacking = s.fx.dir / "lacking";
        s.import(base.bundle, lacking);
        fs::remove(lacking / "blobs" / "sha256" / std::string(Sha256::of(kShared).hex()));
        auto lacking_dry = mirror::dry_run_store(s.store_options(delta.bundle, lacking), nullptr);
        REQUIRE(lacking_dry.external_missing.size() == 1);
        CHECK(lacking_dry.external_missing[0] == Sha256::of(kShared));
        CHECK_THAT(lacking_dry.refusal, Catch::Contains(Sha256::of(kShared).str()));
    }
    SECTION("a bundle the trust root does not accept is refused before anything is counted") {
        test::ReleaseFixture stranger;
        auto foreign = stranger.root();
        CHECK_THAT(error_of([&] { mirror::dry_run_store(o, &foreign); }), Catch::Contains("signature"));
        CHECK_FALSE(fs::exists(s.store));
    }
}

namespace {

const mirror::store::StoredArtifact& artifact(const mirror::StoreImportReport& r, const std::string& source) {
    for (const auto& a : r.artifacts)
        if (a.source == source) return a;
    throw std::runtime_error("no artifact " + source);
}

}  // namespace

TEST_CASE(
    "an inventory delta leaves out the chart archive the store holds; the store imports it as it imports the full "
    "bundle") {
    Site s;
    auto base = builder::build_bundle(s.options(s.with_charts(s.release("1.0.0", kApiOld), "1.0.0"), "base"));
    s.import(base.bundle, s.store);
    auto yaml = s.with_charts(s.release("1.0.1", kApiNew), "1.0.1");
    auto delta = s.build_against(yaml, s.inventory_of(s.store), "delta");
    auto full = builder::build_bundle(s.options(yaml, "full"));

    auto m = verify::verify_bundle(delta.bundle, s.fx.root(), {}).manifest;
    const auto& app = m.charts[0].name == "app-chart" ? m.charts[0] : m.charts[1];
    const auto& web = m.charts[0].name == "app-chart" ? m.charts[1] : m.charts[0];
    REQUIRE(app.left_out);
    CHECK_FALSE(m.find(app.path));
    CHECK(m.find_external(*app.left_out));
    CHECK_FALSE(web.left_out);
    CHECK(m.find(web.path));
    CHECK(delta.external_blobs == 3);
    const Digest archive = *app.left_out;

    SECTION("into the site: the chart's tag names the Helm manifest a full import makes, and preflight passes") {
        auto root = s.fx.root();
        auto dry = mirror::dry_run_store(s.store_options(delta.bundle, s.store), &root);
        CHECK(dry.external_present == 3);  // never "to write"
        CHECK(dry.external_missing.empty());
        auto report = s.import(delta.bundle, s.store);
        CHECK(dry.blobs_to_write == report.blobs_written);
        fs::path fresh = s.fx.dir / "fresh";
        auto full_report = s.import(full.bundle, fresh);
        for (const auto* chart : {"app-chart:2.0.0", "web-chart:1.0.1"})
            CHECK(artifact(report, chart).digest == artifact(full_report, chart).digest);
        auto snap = mirror::store::Store::open(s.store)->refresh();
        auto tagged = snap->resolve("charts/app-chart", "2.0.0");
        REQUIRE(tagged);
        CHECK(tagged->digest == artifact(full_report, "app-chart:2.0.0").digest);
        CHECK(snap->blob_size("charts/app-chart", archive));
        std::string not_present;
        for (const auto& row : mirror::preflight_store(delta.bundle, s.store, &root, true))
            if (row.state != "present") not_present += row.state + " " + row.name + " " + row.detail + "\n";
        CHECK(not_present.empty());
    }
    SECTION(
        "into a store whose copy of the archive was altered: refused naming the chart, as the verifier refuses a "
        "carried one") {
        fs::path damaged = s.fx.dir / "damaged";
        s.import(base.bundle, damaged);
        fs::path file = damaged / "blobs" / "sha256" / std::string(archive.hex());
        std::string bytes = test::read_text(file);
        bytes[bytes.size() / 2] ^= 1;
        fs::remove(file);
        test::write_text(file, bytes);
        CHECK_THAT(error_of([&] { s.import(delta.bundle, damaged); }),
                   Catch::Contains("chart app-chart:2.0.0 (archive " + archive.str() +
                                   ") at the site: the site's copy does not match"));
        CHECK_FALSE(mirror::store::Store::open(damaged)->refresh()->resolve("charts/web-chart", "1.0.1"));
    }
    SECTION("into a store that lacks the chart archive: refused naming the chart, nothing changes") {
        fs::path lacking = s.fx.dir / "lacking";
        s.import(base.bundle, lacking);
        fs::remove(lacking / "blobs" / "sha256" / std::string(archive.hex()));
        auto root = s.fx.root();
        auto dry = mirror::dry_run_store(s.store_options(delta.bundle, lacking), &root);
        REQUIRE(dry.external_missing.size() == 1);
        CHECK(dry.external_missing[0] == archive);
        bool chart_missing = false;
        for (const auto& row : mirror::preflight_store(delta.bundle, lacking, &root, false))
            chart_missing = chart_missing || (row.kind == "chart" && row.state == "missing" &&
                                              row.detail.find("app-chart:2.0.0") != std::string::npos);
        CHECK(chart_missing);
        auto before = tree(lacking);
        CHECK_THAT(error_of([&] { s.import(delta.bundle, lacking); }),
                   Catch::Contains("leaves out 1 blob(s) the store does not hold: " + archive.str() +
                                   " (chart app-chart:2.0.0)") &&
                       Catch::Contains("nothing was imported"));
        auto after = tree(lacking);
        for (auto* t : {&before, &after})
            for (auto it = t->begin(); it != t->end();)
                it = it->first == "audit.log" || it->first.rfind("receipts", 0) == 0 ? t->erase(it) : std::next(it);
        CHECK(before == after);
        CHECK_FALSE(mirror::store::Store::open(lacking)->refresh()->resolve("charts/web-chart", "1.0.1"));
    }
}
