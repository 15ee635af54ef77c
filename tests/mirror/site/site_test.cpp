// The site's voice back to the vendor: signed import receipts (store and
// registry imports, refusals included), `receipt verify`, the store's site key
// and `mirror inventory` of a store and of a registry.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <set>

#include "core/json.hpp"
#include "mirror/site/site.hpp"
#include "support/registry_server.hpp"
#include "support/store_test_support.hpp"

using namespace sealift;
using Catch::Matchers::Contains;

namespace {

std::string q(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

std::vector<std::filesystem::path> receipts(const std::filesystem::path& store) {
    std::vector<std::filesystem::path> out;
    if (!std::filesystem::exists(store / "receipts")) return out;
    for (const auto& e : std::filesystem::directory_iterator(store / "receipts")) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

std::set<Digest> blob_files(const std::filesystem::path& store) {
    std::set<Digest> out;
    for (const auto& e : std::filesystem::directory_iterator(store / "blobs" / "sha256"))
        out.insert(Digest::from_hex(e.path().filename().string()));
    return out;
}

// A second key pair, to show a receipt does not verify with it.
std::filesystem::path other_public_key(const test::TempDir& dir) {
    trust::generate_key(trust::KeyType::ecdsa_p256, dir / "other");
    return dir / "other.pub";
}

}  // namespace

TEST_CASE("store import: a signed receipt that `receipt verify` accepts with the store's site.pub only") {
    test::StoreSite site;
    auto report = site.import(site.first_bundle);
    REQUIRE(receipts(site.store) == std::vector<std::filesystem::path>{report.receipt});
    CHECK_THAT(report.receipt.filename().string(), Contains("-platform-1.0.0-imported.receipt.json"));

    // The site key was created with the store: private 0600, public beside it.
    struct stat st {};
    REQUIRE(::stat(mirror::site::store_site_key_path(site.store).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    std::string sealift = test::sealift_binary();
    auto pub = test::run(sealift + " mirror site-key --store " + q(site.store) + " -o " + q(site.dir / "site.pub"));
    REQUIRE(pub.exit_code == 0);
    CHECK(test::read_text(site.dir / "site.pub") == test::read_text(mirror::site::store_site_pub_path(site.store)));

    auto ok = test::run(sealift + " receipt verify " + q(report.receipt) + " --site-key " + q(site.dir / "site.pub") +
                        " --json");
    INFO(ok.err);
    REQUIRE(ok.exit_code == 0);
    auto j = Json::parse(ok.out);
    CHECK(j["verdict"] == "imported");
    CHECK(j["target"] == "store");
    CHECK(j["bundle"]["name"] == "platform");
    CHECK(j["bundle"]["version"] == "1.0.0");
    CHECK(j["bundle"]["manifestDigest"] == report.manifest_digest.str());
    CHECK(j["signers"] == Json(report.signer_keyids));
    CHECK(j["present"].size() == report.artifacts.size());
    CHECK(j["present"][0]["digest"].get<std::string>().rfind("sha256:", 0) == 0);
    auto text = test::run(sealift + " receipt verify " + q(report.receipt) + " --site-key " + q(site.dir / "site.pub"));
    CHECK_THAT(text.out, Contains("valid signature") && Contains("verdict  imported") &&
                             Contains("registry.example.com/platform/api:1.0.0"));

    auto other =
        test::run(sealift + " receipt verify " + q(report.receipt) + " --site-key " + q(other_public_key(site.dir)));
    CHECK(other.exit_code == 1);
    CHECK_THAT(other.err, Contains(report.receipt.string()) && Contains("not by the given site key"));

    // One byte changed in the signed part (the version), the signature no longer holds.
    std::string bytes = test::read_text(report.receipt);
    auto at = bytes.find("\"version\":\"1.0.0\"");
    REQUIRE(at != std::string::npos);
    bytes[at + 11] = '2';
    test::write_text(site.dir / "altered.json", bytes);
    auto altered = test::run(sealift + " receipt verify " + q(site.dir / "altered.json") + " --site-key " +
                             q(site.dir / "site.pub"));
    CHECK(altered.exit_code == 1);
    CHECK_THAT(altered.err, Contains("altered.json") && Contains("no valid signature by site key"));

    test::write_text(site.dir / "junk.json", "{\"signed\":{}}");
    auto junk =
        test::run(sealift + " receipt verify " + q(site.dir / "junk.json") + " --site-key " + q(site.dir / "site.pub"));
    CHECK(junk.exit_code == 1);
    CHECK_THAT(junk.err, Contains("junk.json: must be an object with exactly 'signed' and 'signatures'"));

    // The same bundle again: a second receipt, "already-imported".
    auto again = site.import(site.first_bundle);
    CHECK(again.already_imported);
    CHECK_THAT(again.receipt.filename().string(), Contains("already-imported"));
    CHECK(mirror::site::read_receipt(again.receipt, trust::PublicKey::load_pem(site.dir / "site.pub")).verdict ==
          "already-imported");
}

TEST_CASE("store import: refusals get a signed receipt saying rejected and why") {
    test::StoreSite site;
    site.import(site.bundle("1.1.0"));
    std::string why = site.refusal(site.first_bundle);  // a downgrade
    REQUIRE(why != "IMPORTED");
    auto key = mirror::site::store_site_key(site.store).public_key();
    auto all = receipts(site.store);
    REQUIRE(all.size() == 2);
    std::filesystem::path rejected_file;
    for (const auto& f : all)
        if (f.filename().string().find("-rejected") != std::string::npos) rejected_file = f;
    REQUIRE(!rejected_file.empty());
    CHECK_THAT(rejected_file.filename().string(), Contains("-platform-1.0.0-rejected"));
    auto r = mirror::site::read_receipt(rejected_file, key);
    CHECK(r.verdict == "rejected");
    CHECK(r.reason == why);
    REQUIRE(r.bundle.release);
    CHECK(r.bundle.release->version == "1.0.0");
    CHECK(r.present.empty());

    // Not a bundle at all: the receipt knows only the file.
    test::write_text(site.dir / "junk.bundle", "not zstd");
    std::string junk_why = site.refusal(site.dir / "junk.bundle");
    std::filesystem::path junk_file;
    for (const auto& f : receipts(site.store))
        if (f.filename().string().find("junk.bundle-rejected") != std::string::npos) junk_file = f;
    REQUIRE(!junk_file.empty());
    auto junk = mirror::site::read_receipt(junk_file, key);
    CHECK(junk.bundle.file == "junk.bundle");
    CHECK_FALSE(junk.bundle.release);
    CHECK(junk.reason == junk_why);
}

TEST_CASE("store import with --site-key signs with that key; a missing key file is an error naming it") {
    test::StoreSite site;
    trust::generate_key(trust::KeyType::ed25519, site.dir / "admin");
    mirror::StoreImportOptions o;
    o.bundle = site.first_bundle;
    o.store = site.store;
    o.create = true;
    o.quiet = true;
    o.site_key = site.dir / "admin.key";
    auto root = site.fx.root();
    auto report = mirror::import_to_store(o, &root);
    CHECK(mirror::site::read_receipt(report.receipt, trust::PublicKey::load_pem(site.dir / "admin.pub")).verdict ==
          "imported");
    o.site_key = site.dir / "nope.key";
    CHECK_THROWS_WITH(mirror::import_to_store(o, &root), Contains("site key") && Contains("nope.key"));
}

TEST_CASE("mirror inventory --store: the releases per channel and exactly the store's blobs, signed") {
    test::StoreSite site;
    auto first = site.import(site.first_bundle);
    auto lts = site.import(site.bundle("1.1.0", "lts"));
    auto second = site.import(site.bundle("1.2.0"));
    std::string sealift = test::sealift_binary();
    auto r =
        test::run(sealift + " mirror inventory --store " + q(site.store) + " -o " + q(site.dir / "site.inventory"));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Contains("3 release(s)"));

    auto key = mirror::site::store_site_key(site.store).public_key();
    std::string what = (site.dir / "site.inventory").string();
    auto inv = manifests::SiteInventory::parse_signed(
        trust::open_signed_by(test::read_text(site.dir / "site.inventory"), key, "site", what), what);
    CHECK(inv.source == "store");
    CHECK(inv.site_keyid == key.keyid());
    REQUIRE(inv.releases.size() == 3);
    CHECK(inv.releases[0].channel == manifests::Channel::lts);
    CHECK(inv.releases[0].current);
    CHECK(inv.releases[0].manifest_digest == lts.manifest_digest);
    CHECK(inv.releases[1].version.str() == "1.0.0");
    CHECK_FALSE(inv.releases[1].current);
    CHECK(inv.releases[1].manifest_digest == first.manifest_digest);
    CHECK(inv.releases[2].version.str() == "1.2.0");
    CHECK(inv.releases[2].current);
    CHECK(inv.releases[2].manifest_digest == second.manifest_digest);
    auto files = blob_files(site.store);
    CHECK(std::set<Digest>(inv.blobs.begin(), inv.blobs.end()) == files);
    CHECK(inv.blobs.size() == files.size());
    // Every manifest the store serves is listed.
    auto snap = site.snapshot();
    for (const auto& repo : snap->repositories())
        for (const auto& [digest, d] : snap->repository(repo)->manifests) CHECK(inv.has(digest));

    auto other = other_public_key(site.dir);
    CHECK_THROWS_WITH(trust::open_signed_by(test::read_text(site.dir / "site.inventory"),
                                            trust::PublicKey::load_pem(other), "site", what),
                      Contains("not by the given site key"));
    CHECK(test::run(sealift + " mirror inventory --store " + q(site.store)).exit_code == 2);  // no -o
    auto neither = test::run(sealift + " mirror inventory -o x");
    CHECK(neither.exit_code == 2);
    CHECK_THAT(neither.err, Contains("give --store DIR or --registry"));
    // A folder that is no store is refused before a site key is created in it.
    std::filesystem::create_directories(site.dir / "not-a-store");
    auto not_store = test::run(sealift + " mirror inventory --store " + q(site.dir / "not-a-store") + " -o " +
                               q(site.dir / "x.inventory"));
    CHECK(not_store.exit_code != 0);
    CHECK_THAT(not_store.err, Contains("not-a-store") && Contains("not a Sealift store"));
    CHECK_FALSE(std::filesystem::exists(site.dir / "not-a-store" / "site"));
}

TEST_CASE(
    "registry import: a receipt with --site-key, a refusal without it; the registry inventory lists the release") {
    test::RegistryServer registry(test::RegistryServer::Auth::none);
    test::ReleaseFixture fx;
    auto bundle = fx.build();
    test::TempDir dir;
    trust::generate_key(trust::KeyType::ed25519, dir / "site");
    std::string sealift = test::sealift_binary();
    std::string base = sealift + " mirror import -q " + q(bundle) + " --trust " + q(fx.trust_file) + " --to " +
                       registry.host() + "/site --plain-http";

    auto without = test::run(base);
    CHECK(without.exit_code == 2);
    CHECK_THAT(without.err, Contains("--to needs --site-key FILE") && Contains("--no-receipt"));
    CHECK(test::run(base + " --no-receipt --site-key " + q(dir / "site.key")).exit_code == 2);
    // A receipt that could not be written is refused before anything is pushed.
    auto no_folder =
        test::run(base + " --site-key " + q(dir / "site.key") + " --receipt " + q(dir / "absent" / "r.json"));
    CHECK(no_folder.exit_code == 2);
    CHECK_THAT(no_folder.err, Contains((dir / "absent").string()) && Contains("is not a folder"));
    std::filesystem::create_directories(dir / "receipts");
    auto into_folder = test::run(base + " --site-key " + q(dir / "site.key") + " --receipt " + q(dir / "receipts"));
    CHECK(into_folder.exit_code == 2);
    CHECK_THAT(into_folder.err, Contains("cannot write the import receipt there: it is a folder"));

    auto with = test::run(base + " --site-key " + q(dir / "site.key") + " --receipt " + q(dir / "r.json"));
    INFO(with.err);
    REQUIRE(with.exit_code == 0);
    auto r = mirror::site::read_receipt(dir / "r.json", trust::PublicKey::load_pem(dir / "site.pub"));
    CHECK(r.verdict == "imported");
    CHECK(r.target == "registry:" + registry.host() + "/site");
    REQUIRE(r.bundle.release);
    CHECK(r.bundle.release->name == "platform");
    CHECK(r.present.size() == 4);
    bool api = false;
    for (const auto& p : r.present) api = api || (p.repository == "site/platform/api" && p.reference == "1.0.0");
    CHECK(api);

    auto inv_run =
        test::run(sealift + " mirror inventory --registry " + registry.host() + "/site --plain-http --site-key " +
                  q(dir / "site.key") + " -o " + q(dir / "site.inventory"));
    INFO(inv_run.err);
    REQUIRE(inv_run.exit_code == 0);
    std::string what = (dir / "site.inventory").string();
    auto inv = manifests::SiteInventory::parse_signed(
        trust::open_signed_by(test::read_text(dir / "site.inventory"), trust::PublicKey::load_pem(dir / "site.pub"),
                              "site", what),
        what);
    CHECK(inv.source == "registry:" + registry.host() + "/site");
    REQUIRE(inv.releases.size() == 1);
    CHECK(inv.releases[0].name == "platform");
    CHECK(inv.releases[0].current);
    CHECK(inv.releases[0].manifest_digest == r.bundle.release->manifest_digest);
    for (const auto& p : r.present) CHECK(inv.has(p.digest));
    CHECK(inv.has(Digest::parse(fx.api_digest)));
    // Beyond the manifests: configs and layers (and the release record's own blobs).
    CHECK(inv.blobs.size() > r.present.size() + 4);

    // A refused registry import (another trust root) still leaves a signed receipt saying why.
    test::ReleaseFixture stranger;
    auto refused = test::run(sealift + " mirror import -q " + q(bundle) + " --trust " + q(stranger.trust_file) +
                             " --to " + registry.host() + "/site --plain-http --site-key " + q(dir / "site.key") +
                             " --receipt " + q(dir / "no.json"));
    CHECK(refused.exit_code == 1);
    auto no = mirror::site::read_receipt(dir / "no.json", trust::PublicKey::load_pem(dir / "site.pub"));
    CHECK(no.verdict == "rejected");
    CHECK_FALSE(no.reason.empty());
    CHECK_THAT(refused.err, Contains(no.reason));
}
