// What the store refuses of validly signed bundles before it changes anything:
// chart names that would become odd repositories.
#include <catch2/catch.hpp>

#include "store_test_support.hpp"
#include "support/signed_edit.hpp"

using namespace sealift;

TEST_CASE("store refusals: a chart named '..' or 'UPPER%2F..' never becomes a repository") {
    for (std::string name : {"..", "UPPER%2F.."}) {
        INFO(name);
        test::StoreSite site;
        site.import(site.first_bundle);
        auto before = site.visible_state();
        test::SignedEdit edit(site.bundle("1.1.0"));
        edit.set("charts/platform-core-1.1.0.tgz", test::packaged_chart(name, "apiVersion: v2\nname: \"" + name + "\"\nversion: 1.1.0\n"));
        edit.manifest["sealift"]["charts"][0]["name"] = name;
        auto bad = site.dir / "bad.bundle";
        edit.save(bad, site.fx.release_key);
        CHECK_THAT(site.refusal(bad), Catch::Contains("signed.sealift.charts[0].name: chart '" + name + "': not a chart name Helm accepts"));
        CHECK(site.visible_state() == before);
        CHECK_FALSE(site.snapshot()->repository("charts/" + name));
    }
}
