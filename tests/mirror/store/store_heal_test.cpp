// The store heals: a blob whose bytes were damaged on disk (one byte flipped
// under blobs/) is found by fsck with the releases it belongs to, quarantined by
// fsck --repair, and replaced by the next import of a bundle carrying it (size
// always, the digest when flagged or with verify_present).
#include <catch2/catch.hpp>

#include <algorithm>

#include "core/json.hpp"
#include "mirror/site/site.hpp"
#include "mirror/store/blob_store.hpp"
#include "mirror/store/corrupt_blobs.hpp"
#include "mirror/store/fsck.hpp"
#include "support/store_test_support.hpp"

using namespace sealift;
namespace st = sealift::mirror::store;
namespace fs = std::filesystem;

namespace {

// A layer or config of the first release's images, and the repository holding it.
std::pair<std::string, Digest> some_layer(const test::StoreSite& site) {
    auto snapshot = site.snapshot();
    for (const auto& name : snapshot->repositories())
        if (!name.starts_with("charts/") && !snapshot->repository(name)->blobs.empty())
            return {name, snapshot->repository(name)->blobs.begin()->first};
    FAIL("no image blob in the store");
    return {};
}

fs::path blob_file(const test::StoreSite& site, const Digest& d) {
    return site.store / "blobs" / "sha256" / std::string(d.hex());
}

// Flips one byte in place: same size, other content. Returns the damaged bytes.
std::string flip_byte(const fs::path& file) {
    std::string bytes = test::read_text(file);
    REQUIRE(!bytes.empty());
    bytes[bytes.size() / 2] ^= 0x01;
    test::write_text(file, bytes);
    return bytes;
}

std::size_t audit_lines_with(const test::StoreSite& site, const std::string& needle) {
    std::string log = test::read_text(site.store / "audit.log");
    std::size_t n = 0;
    for (std::size_t at = 0; (at = log.find(needle, at)) != std::string::npos; ++at) ++n;
    return n;
}

}  // namespace

TEST_CASE("store heal: fsck finds a flipped byte and names the release; --repair quarantines; a re-import restores") {
    test::StoreSite site;
    site.import(site.first_bundle);
    auto [repository, layer] = some_layer(site);
    auto file = blob_file(site, layer);
    std::string good = test::read_text(file);
    std::string damaged = flip_byte(file);

    // Plain fsck: reported, nothing changed.
    auto report = st::fsck(site.store, {});
    CHECK_FALSE(report.clean());
    REQUIRE(report.corrupt.size() == 1);
    const auto& f = report.corrupt.front();
    CHECK(f.digest == layer);
    CHECK(f.actual == Sha256::of(damaged));
    CHECK(f.size == good.size());
    CHECK(f.recorded_size == good.size());
    CHECK_FALSE(f.flagged);
    CHECK_FALSE(f.quarantined);
    REQUIRE_FALSE(f.referenced_by.empty());
    CHECK(f.referenced_by.front().release == "platform 1.0.0 (stable)");
    CHECK(f.referenced_by.front().repository == repository);
    CHECK_FALSE(f.referenced_by.front().artifacts.empty());
    CHECK(report.missing.empty());
    CHECK(report.blobs_checked > 1);
    CHECK(test::read_text(file) == damaged);
    CHECK_FALSE(st::flagged_corrupt(file));

    // An import of the same bundle without a flag sees a blob of the right size and keeps it.
    CHECK(site.import(site.first_bundle).blobs_replaced == 0);
    CHECK(test::read_text(file) == damaged);

    // --repair: flagged, bytes moved to the quarantine, on record.
    auto repaired = st::fsck(site.store, {true, {}});
    REQUIRE(repaired.corrupt.size() == 1);
    CHECK(repaired.corrupt.front().quarantined);
    CHECK(repaired.corrupt.front().flagged);
    CHECK_FALSE(fs::exists(file));
    CHECK(test::read_text(site.store / "quarantine" / std::string(layer.hex())) == damaged);
    CHECK(st::flagged_corrupt(file));
    CHECK(st::corrupt_flag_record(file)["foundBy"] == "fsck");
    CHECK(audit_lines_with(site, "\"action\":\"corrupt-blob\"") == 1);
    // Still not clean: the release lacks the blob until a bundle brings it.
    auto after_repair = st::fsck(site.store, {});
    CHECK(after_repair.corrupt.empty());
    REQUIRE(after_repair.missing.size() == 1);
    CHECK(after_repair.missing.front().digest == layer);
    CHECK(after_repair.missing.front().quarantined);
    CHECK(after_repair.missing.front().referenced_by.front().release == "platform 1.0.0 (stable)");

    // The bundle again: nothing changes in the release, the blob is written and the flag goes.
    auto again = site.import(site.first_bundle);
    CHECK(again.already_imported);
    CHECK(again.blobs_replaced == 1);
    CHECK(test::read_text(file) == good);
    CHECK_FALSE(st::flagged_corrupt(file));
    CHECK(audit_lines_with(site, "\"action\":\"repair\"") == 1);
    CHECK(st::fsck(site.store, {}).clean());
}

TEST_CASE("store heal: an import rewrites a flagged blob, one of another size, and with verify_present a flipped one") {
    test::StoreSite site;
    site.import(site.first_bundle);
    auto [repository, layer] = some_layer(site);
    auto file = blob_file(site, layer);
    std::string good = test::read_text(file);
    auto import_verifying = [&] {
        mirror::StoreImportOptions o;
        o.bundle = site.first_bundle;
        o.store = site.store;
        o.quiet = true;
        o.verify_present = true;
        auto root = site.fx.root();
        return mirror::import_to_store(o, &root);
    };

    SECTION("flagged in place (as the scrubber leaves it)") {
        flip_byte(file);
        st::CorruptBlobs(site.store).flag(layer, "scrub", "test");
        CHECK(site.import(site.first_bundle).blobs_replaced == 1);
    }
    SECTION("another size: checked always") {
        test::write_text(file, good.substr(1));
        CHECK(site.import(site.first_bundle).blobs_replaced == 1);
    }
    SECTION("flipped, not flagged: read back with verify_present") {
        flip_byte(file);
        CHECK(import_verifying().blobs_replaced == 1);
        CHECK(import_verifying().blobs_replaced == 0);  // sound now: nothing more to replace
    }
    CHECK(test::read_text(file) == good);
    CHECK_FALSE(st::flagged_corrupt(file));
    CHECK_THAT(test::read_text(site.store / "audit.log"),
               Catch::Contains("\"action\":\"repair\"") && Catch::Contains("blob " + layer.str() + ": "));
    CHECK(st::fsck(site.store, {}).clean());
}

TEST_CASE(
    "store heal: fsck --repair clears the flag of a blob that hashes right; a flagged blob is not in the inventory") {
    test::StoreSite site;
    site.import(site.first_bundle);
    auto [repository, layer] = some_layer(site);
    auto file = blob_file(site, layer);
    auto held = [&] {
        auto blobs = mirror::site::store_inventory(site.store).blobs;
        return std::find(blobs.begin(), blobs.end(), layer) != blobs.end();
    };
    CHECK(held());
    CHECK(st::CorruptBlobs(site.store).flag(layer, "serve", "test"));
    CHECK_FALSE(st::CorruptBlobs(site.store).flag(layer, "serve", "test"));  // once
    CHECK_FALSE(held());                                                     // the vendor's next delta carries it
    auto plain = st::fsck(site.store, {});
    CHECK(plain.clean());
    CHECK(plain.flags_cleared.empty());
    CHECK(plain.flagged_sound == std::vector<Digest>{layer});
    CHECK(st::flagged_corrupt(file));
    auto repaired = st::fsck(site.store, {true, {}});
    CHECK(repaired.flags_cleared == std::vector<Digest>{layer});
    CHECK_FALSE(st::flagged_corrupt(file));
    CHECK(held());
}
