// Bundles a release key holder (or a faulty writer) could sign: well-formed
// enough to pass every other check, and refused for the one thing wrong with
// them, because an importer would refuse it later or import something wrong.
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "support/release_fixture.hpp"
#include "support/signed_edit.hpp"
#include "verify/verify.hpp"

using namespace sealift;

namespace {

struct Crafted {
    test::ReleaseFixture fx;
    test::SignedEdit edit{fx.build()};

    // The refusal of the edited bundle, re-signed with the release key, or "VERIFIED".
    std::string refusal() {
        auto crafted = fx.dir / "crafted.bundle";
        edit.save(crafted, fx.release_key);
        return test::error_of([&] { verify::verify_bundle(crafted, fx.root(), {}); }, "VERIFIED");
    }
};

}  // namespace

TEST_CASE("crafted bundles: the edit alone, re-signed, still verifies") {
    Crafted c;
    CHECK(c.refusal() == "VERIFIED");
}

TEST_CASE("crafted bundles: a field of the signed manifest of the wrong type or missing is refused, naming its path") {
    Crafted c;
    Json images = c.edit.manifest["sealift"]["images"];
    Json as_object = Json::object();
    for (const auto& img : images) as_object[img["ref"].get<std::string>()] = img;
    c.edit.manifest["sealift"]["images"] = as_object;
    CHECK_THAT(c.refusal(), Catch::Contains("sealift/manifest.json: signed.sealift.images: must be an array, not object"));

    c.edit.manifest["sealift"]["images"] = images;
    c.edit.manifest["sealift"]["charts"][0]["appVersion"] = 1;
    CHECK_THAT(c.refusal(), Catch::Contains("signed.sealift.charts[0].appVersion: must be a string, not number"));

    c.edit.manifest["sealift"]["charts"][0]["appVersion"] = "1.0.0";
    c.edit.manifest["sealift"]["sboms"][0].erase("format");
    CHECK_THAT(c.refusal(), Catch::Contains("signed.sealift.sboms[0].format: missing required field"));
}
