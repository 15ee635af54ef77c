// Channels in the store: rollback (recorded), the releases listing, delta
// bundles and their base, the pinned trust root, and gc with its grace period.
#include <catch2/catch.hpp>

#include <sstream>

#include "builder/builder.hpp"
#include "core/json.hpp"
#include "support/store_test_support.hpp"
#include "verify/verify.hpp"

using namespace sealift;
using test::error_of;
namespace st = sealift::mirror::store;
namespace fs = std::filesystem;

namespace {

std::string last_audit_line(const fs::path& store) {
    std::istringstream in(test::read_text(store / "audit.log"));
    std::string line, last;
    while (std::getline(in, line)) last = line;
    return last;
}

}  // namespace

TEST_CASE(
    "store rollback: an imported older version becomes current, recorded; the newer bundle delivered again changes "
    "nothing; rollback --to it moves forward, recorded") {
    test::StoreSite site;
    site.import(site.first_bundle);
    auto newer = site.bundle("1.1.0");
    site.import(newer);
    CHECK(site.snapshot()->resolve("registry.example.com/platform/api", "1.1.0"));

    st::rollback(site.store, "platform", "stable", "1.0.0");
    auto snap = site.snapshot();
    REQUIRE(snap->releases().size() == 2);
    CHECK(snap->releases()[0].version == "1.0.0");
    CHECK(snap->releases()[0].current);
    CHECK_FALSE(snap->releases()[1].current);
    auto audit = Json::parse(last_audit_line(site.store));
    CHECK(audit["action"] == "rollback");
    CHECK(audit["verdict"] == "accepted");
    CHECK(audit["from"] == "1.1.0");
    CHECK(audit["to"] == "1.0.0");

    CHECK_THAT(error_of([&] { st::rollback(site.store, "platform", "stable", "0.5.0"); }),
               Catch::Contains("release platform 0.5.0 (stable) is not imported") &&
                   Catch::Contains("imported versions: 1.0.0, 1.1.0"));
    CHECK(Json::parse(last_audit_line(site.store))["verdict"] == "rejected");

    // The newer bundle delivered again (a re-drop, a replayed USB stick) does not undo the
    // admin's rollback: it is imported already, and nothing changes.
    auto state_before = test::read_text(site.store / "state.json");
    auto again = site.import(newer);
    CHECK(again.already_imported);
    CHECK(test::read_text(site.store / "state.json") == state_before);
    CHECK(site.snapshot()->releases()[0].current);
    CHECK_FALSE(site.snapshot()->releases()[1].current);
    CHECK(Json::parse(last_audit_line(site.store))["verdict"] == "unchanged");

    // Forward again is an admin's explicit act, on record.
    st::rollback(site.store, "platform", "stable", "1.1.0");
    CHECK(site.snapshot()->releases()[1].current);
    auto forward = Json::parse(last_audit_line(site.store));
    CHECK(forward["action"] == "rollback");
    CHECK(forward["verdict"] == "accepted");
    CHECK(forward["from"] == "1.0.0");
    CHECK(forward["to"] == "1.1.0");
}

TEST_CASE(
    "store import: a delta whose base is not imported is refused; with its base it imports; a missing external blob is "
    "named") {
    test::StoreSite site;
    auto delta = site.delta("1.0.1", site.first_bundle);
    auto before = site.visible_state();
    CHECK_THAT(site.refusal(delta),
               Catch::Contains("release platform 1.0.1 (stable) is a delta on release platform 1.0.0 (stable)") &&
                   Catch::Contains("not imported into this store"));
    CHECK(site.visible_state() == before);

    site.import(site.first_bundle);
    auto m = verify::inspect_bundle(delta).manifest;
    REQUIRE_FALSE(m.external_blobs.empty());
    auto gone = m.external_blobs.front().digest;
    auto blob_file = site.store / "blobs" / "sha256" / std::string(gone.hex());
    auto saved = test::read_text(blob_file);
    fs::remove(blob_file);
    CHECK_THAT(site.refusal(delta), Catch::Contains("leaves out 1 blob(s) the store does not hold: " + gone.str()));
    test::write_text(blob_file, saved);

    auto report = site.import(delta);
    CHECK(report.version == "1.0.1");
    auto snap = site.snapshot();
    auto api = snap->resolve("registry.example.com/platform/api", "1.0.1");
    REQUIRE(api);
    CHECK((snap->blob_size("registry.example.com/platform/api", gone) ||
           snap->blob_size("registry.example.com/platform/web", gone)));
}

TEST_CASE(
    "store trust: pinned on first import; a different root of the same version or a newer one given by hand is "
    "refused") {
    test::StoreSite site;
    site.import(site.first_bundle);
    CHECK(test::read_text(site.store / "trust" / "root.json") == test::read_text(site.fx.trust_file));
    // Without --trust the pinned root verifies.
    mirror::StoreImportOptions o;
    o.bundle = site.bundle("1.1.0");
    o.store = site.store;
    o.quiet = true;
    CHECK(mirror::import_to_store(o, nullptr).version == "1.1.0");
    // Another site's root (other keys) of the same version is not silently used.
    test::ReleaseFixture stranger("1.2.0");
    auto bundle = stranger.build();
    auto root = stranger.root();
    o.bundle = bundle;
    CHECK_THAT(error_of([&] { mirror::import_to_store(o, &root); }),
               Catch::Contains("differs from the store's pinned root of the same version"));
    // Its bundle, checked against the pinned root, fails on its signatures.
    CHECK_THAT(error_of([&] { mirror::import_to_store(o, nullptr); }), Catch::Contains("signature"));
}

TEST_CASE(
    "store gc: keeps the newest N and the current one, marks then deletes after the grace, never a retained blob") {
    test::StoreSite site;
    site.import(site.first_bundle);
    auto b11 = site.bundle("1.1.0");
    site.import(b11);
    site.import(site.bundle("1.2.0"));
    st::rollback(site.store, "platform", "stable", "1.0.0");  // the current one stays whatever its age

    auto before = site.snapshot();
    auto r = st::gc(site.store, {1, std::chrono::minutes(10), {}});
    REQUIRE(r.releases_dropped.size() == 1);
    CHECK(r.releases_dropped[0].version == "1.1.0");
    CHECK(r.blobs_deleted == 0);  // only marked: a pull may still be using them
    CHECK(r.blobs_marked > 0);
    auto chart11 = before->resolve("charts/platform-core", "1.1.0");
    REQUIRE(chart11);
    CHECK(fs::exists(before->blob_path(chart11->digest)));
    CHECK_FALSE(
        fs::exists(site.store / "releases" / (std::string(before->releases()[1].manifest_digest.hex()) + ".json")));

    auto snap = site.snapshot();
    CHECK(snap->tags("charts/platform-core") == std::vector<std::string>{"1.0.0", "1.2.0"});

    // Before the grace ran out nothing goes; after it, the marked blobs go and every retained one stays.
    auto early = st::gc(site.store, {1, std::chrono::minutes(10), now_seconds() + std::chrono::minutes(5)});
    CHECK(early.blobs_deleted == 0);
    auto late = st::gc(site.store, {1, std::chrono::minutes(10), now_seconds() + std::chrono::minutes(11)});
    CHECK(late.blobs_deleted == r.blobs_marked);
    CHECK_FALSE(fs::exists(before->blob_path(chart11->digest)));
    for (const auto& name : snap->repositories()) {
        const auto* repo = snap->repository(name);
        for (const auto& [d, size] : repo->blobs) CHECK(fs::exists(snap->blob_path(d)));
        for (const auto& [d, desc] : repo->manifests) CHECK(fs::exists(snap->blob_path(d)));
    }
    CHECK_THAT(last_audit_line(site.store), Catch::Contains("\"action\":\"gc\""));
    // The dropped version is gone for good: importing it again is a downgrade below the newest kept? No: 1.1.0 < 1.2.0 is
    // only refused against the current (1.0.0), so it is accepted as a forward move.
    CHECK(site.refusal(b11) == "IMPORTED");
}

TEST_CASE("store gc: a blob referenced again before the grace ran out is kept; leftover temp folders are removed") {
    test::StoreSite site;
    site.import(site.first_bundle);
    auto b11 = site.bundle("1.1.0");
    site.import(b11);
    site.import(site.bundle("1.2.0"));
    st::rollback(site.store, "platform", "stable", "1.0.0");
    auto first = st::gc(site.store, {1, std::chrono::seconds(0), {}});  // drops 1.1.0, marks its own blobs
    REQUIRE(first.releases_dropped.size() == 1);
    CHECK(first.blobs_marked > 0);
    site.import(b11);                                       // forward from 1.0.0: references them again
    fs::create_directories(site.store / "tmp" / "4242-1");  // a writer killed before it took its lock
    auto second = st::gc(site.store, {1, std::chrono::seconds(0), {}});
    CHECK(second.blobs_deleted == 0);
    CHECK(second.temp_files_removed == 1);
    CHECK(fs::is_empty(site.store / "tmp"));
    auto snap = site.snapshot();
    for (const auto& [d, size] : snap->repository("registry.example.com/platform/api")->blobs)
        CHECK(fs::exists(snap->blob_path(d)));
    CHECK(snap->resolve("charts/platform-core", "1.1.0"));
}

TEST_CASE(
    "store gc: release records no committed state lists (an import or gc killed midway) are removed; listed ones "
    "stay") {
    test::StoreSite site;
    auto first = site.import(site.first_bundle);
    auto listed = site.store / "releases" / (std::string(first.manifest_digest.hex()) + ".json");
    REQUIRE(fs::exists(listed));
    // What an import killed after writing its record but before its commit leaves behind.
    auto orphan = site.store / "releases" / (std::string(Sha256::of("never committed").hex()) + ".json");
    test::write_text(orphan, test::read_text(listed));
    auto report = st::gc(site.store, {3, std::chrono::seconds(0), {}});
    CHECK(report.releases_dropped.empty());
    CHECK_FALSE(fs::exists(orphan));
    CHECK(fs::exists(listed));
    CHECK(site.snapshot()->resolve("registry.example.com/platform/api", "1.0.0"));
}
