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
