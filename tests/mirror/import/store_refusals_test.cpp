// What the store refuses of validly signed bundles before it changes anything:
// chart names that would become odd repositories, issue times that would move
// its time floor past its clock, and delta bundles whose left-out blobs are not
// the store's (another size, other bytes).
#include <catch2/catch.hpp>

#include "core/json.hpp"
#include "support/signed_edit.hpp"
#include "support/store_test_support.hpp"
#include "verify/verify.hpp"

using namespace sealift;
namespace st = sealift::mirror::store;

namespace {

Json state_of(const test::StoreSite& site) { return Json::parse(test::read_text(site.store / "state.json")); }

}  // namespace

TEST_CASE("store refusals: a chart named '..' or 'UPPER%2F..' never becomes a repository") {
    for (std::string name : {"..", "UPPER%2F.."}) {
        INFO(name);
        test::StoreSite site;
        site.import(site.first_bundle);
        auto before = site.visible_state();
        test::SignedEdit edit(site.bundle("1.1.0"));
        edit.set("charts/platform-core-1.1.0.tgz",
                 test::packaged_chart(name, "apiVersion: v2\nname: \"" + name + "\"\nversion: 1.1.0\n"));
        edit.manifest["sealift"]["charts"][0]["name"] = name;
        auto bad = site.dir / "bad.bundle";
        edit.save(bad, site.fx.release_key);
        CHECK_THAT(site.refusal(bad), Catch::Contains("signed.sealift.charts[0].name: chart '" + name +
                                                      "': not a chart name Helm accepts"));
        CHECK(site.visible_state() == before);
        CHECK_FALSE(site.snapshot()->repository("charts/" + name));
    }
}

TEST_CASE("store refusals: a bundle issued far beyond the store's clock is refused, and the time floor stays") {
    test::StoreSite site;
    site.import(site.first_bundle);
    const std::string floor = state_of(site)["timeFloor"];
    test::SignedEdit edit(site.bundle("1.1.0"));
    edit.manifest["sealift"]["issued"] = "2090-01-01T00:00:00Z";
    edit.manifest["expires"] = "2091-01-01T00:00:00Z";
    auto future = site.dir / "future.bundle";
    edit.save(future, site.fx.release_key);
    CHECK_THAT(site.refusal(future), Catch::Contains("issued at 2090-01-01T00:00:00Z, more than 5 minutes after"));
    CHECK(state_of(site)["timeFloor"] == floor);
    // The next release imports as if the refused one had never come.
    CHECK(site.refusal(site.bundle("1.2.0")) == "IMPORTED");
}

TEST_CASE(
    "store refusals: with the clock set back behind the floor, a bundle issued past the clock is refused by the "
    "store") {
    test::StoreSite site;
    site.import(site.first_bundle);
    auto next = site.bundle("1.1.0");  // issued now: not ahead of the floor, whatever the clock
    mirror::StoreImportOptions o;
    o.bundle = next;
    o.store = site.store;
    o.quiet = true;
    o.now = now_seconds() - std::chrono::hours(24);
    auto root = site.fx.root();
    CHECK_THAT(test::error_of([&] { mirror::import_to_store(o, &root); }),
               Catch::Contains("release platform 1.1.0 (stable) was issued at") &&
                   Catch::Contains("more than 5 minutes after this store's clock") &&
                   Catch::Contains("would move the store's time floor past its clock"));
    o.now.reset();
    CHECK_NOTHROW(mirror::import_to_store(o, &root));
}

TEST_CASE(
    "store refusals: a delta declaring a left-out blob with another size, or whose blob in the store has other bytes") {
    test::StoreSite site;
    auto delta = site.delta("1.0.1", site.first_bundle);
    site.import(site.first_bundle);
    auto m = verify::inspect_bundle(delta).manifest;
    const auto& external = m.external_blobs.front();
    auto before = site.visible_state();

    test::SignedEdit edit(delta);
    edit.redeclare_external_size(external.digest.str(), external.size + 1);
    auto resized = site.dir / "resized.bundle";
    edit.save(resized, site.fx.release_key);
    CHECK_THAT(site.refusal(resized),
               Catch::Contains("declares blob " + external.digest.str() + ", which it leaves out, with " +
                               std::to_string(external.size + 1) + " bytes; the store holds " +
                               std::to_string(external.size)));
    CHECK(site.visible_state() == before);

    // The store's copy damaged, same size: read back, it is refused.
    auto file = site.store / "blobs" / "sha256" / std::string(external.digest.hex());
    std::string saved = test::read_text(file);
    std::string damaged = saved;
    damaged[10] ^= 1;
    test::write_text(file, damaged);
    CHECK_THAT(site.refusal(delta),
               Catch::Contains(file.string() + ": the store's copy of blob " + external.digest.str()) &&
                   Catch::Contains("has digest " + Sha256::of(damaged).str()));
    test::write_text(file, saved);
    CHECK(site.refusal(delta) == "IMPORTED");
}
