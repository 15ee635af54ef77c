// Split media: parts concatenate to the unsplit bundle, verify and inspect read
// them from the first part, and every broken set of parts is named.
#include <catch2/catch.hpp>

#include "builder/builder.hpp"
#include "core/error.hpp"
#include "support/release_fixture.hpp"
#include "support/release_yaml.hpp"
#include "verify/verify.hpp"

using namespace sealift;
namespace fs = std::filesystem;

namespace {

std::string noise(std::size_t size) {
    std::string out(size, '\0');
    std::uint64_t x = 0x2545F4914F6CDD1Dull;
    for (auto& c : out) x ^= x << 13, x ^= x >> 7, x ^= x << 17, c = static_cast<char>(x);
    return out;
}

// A release of about 3.3 MiB (an incompressible layer), built whole and split at 1 MiB.
struct Split {
    test::ReleaseFixture fx;
    fs::path whole, first;
    std::vector<fs::path> parts;

    Split() {
        test::write_layout(fx.layout, {{fx.api_ref, {{"application/vnd.oci.image.layer.v1.tar+gzip", noise(3500000)}}},
                                       {fx.web_ref, {{"application/vnd.oci.image.layer.v1.tar", "web"}}}});
        test::write_text(fx.dir / "release.yaml", test::release_yaml_head({.created = "2026-11-01T00:00:00Z"}) +
                                                      "images:\n  - layout: images\n");
        whole = builder::build_bundle(options("whole", 0)).bundle;
        auto result = builder::build_bundle(options("split", 1u << 20));
        first = result.bundle;
        parts = result.parts;
    }
    builder::BuildOptions options(const std::string& out, std::uint64_t split) const {
        builder::BuildOptions o;
        o.release_file = fx.dir / "release.yaml";
        o.key_files = {fx.release_key};
        o.out_dir = fx.dir / out;
        o.quiet = true;
        o.split_size = split;
        return o;
    }
    std::string refusal() const {
        return test::error_of([&] { verify::verify_bundle(first, fx.root(), {}); }, "VERIFIED");
    }
};

}  // namespace

TEST_CASE("the parts are the unsplit bundle cut in order, each smaller than the split size") {
    Split s;
    REQUIRE(s.parts.size() == 4);
    CHECK(s.first == s.parts[0]);
    CHECK(s.parts[0].filename() == "platform-1.0.0-stable.bundle.001");
    CHECK(s.parts[3].filename() == "platform-1.0.0-stable.bundle.004");
    std::string joined;
    for (const auto& p : s.parts) {
        CHECK(fs::file_size(p) < (1u << 20));
        joined += test::read_text(p);
    }
    CHECK(fs::file_size(s.parts[0]) == (1u << 20) - 1);
    CHECK(joined == test::read_text(s.whole));
    CHECK_FALSE(fs::exists(s.fx.dir / "split" / "platform-1.0.0-stable.bundle"));
    // Stock tools read the concatenation.
    auto listing = test::run("cat '" + (s.fx.dir / "split").string() + "'/*.bundle.* | tar --zstd -t");
    CHECK(listing.exit_code == 0);
    CHECK_THAT(listing.out, Catch::StartsWith("sealift/manifest.json\n"));
}

TEST_CASE("verify and inspect take the first part and read the rest") {
    Split s;
    CHECK(s.refusal() == "VERIFIED");
    auto in = verify::inspect_bundle(s.first);
    CHECK(in.parts == 4);
    CHECK(in.file_bytes == fs::file_size(s.whole));
    CHECK(in.manifest_digest == verify::inspect_bundle(s.whole).manifest_digest);
}

TEST_CASE("a missing, truncated, extra or swapped part is named") {
    Split s;
    SECTION("a middle part missing") {
        fs::remove(s.parts[1]);
        CHECK_THAT(s.refusal(),
                   Catch::Contains(s.parts[1].string() + ": part is missing (" + s.parts[2].string() + " exists)"));
    }
    SECTION("the last part missing") {
        fs::remove(s.parts[3]);
        CHECK_THAT(s.refusal(), Catch::Contains(s.parts[2].string() + " (part 3 of 3") &&
                                    Catch::Contains("a later part may be missing"));
    }
    SECTION("a middle part truncated") {
        fs::resize_file(s.parts[2], 1000);
        CHECK_THAT(s.refusal(), Catch::Contains(s.parts[2].string() + ": part is 1000 bytes"));
    }
    SECTION("an extra part") {
        fs::copy_file(s.parts[3], s.fx.dir / "split" / "platform-1.0.0-stable.bundle.005");
        CHECK_THAT(s.refusal(),
                   Catch::Contains(s.parts[3].string() + ": part is") && Catch::Contains("bundle.005 an extra part?"));
    }
    SECTION("two parts swapped") {
        fs::rename(s.parts[1], s.fx.dir / "swap");
        fs::rename(s.parts[2], s.parts[1]);
        fs::rename(s.fx.dir / "swap", s.parts[2]);
        CHECK_THAT(s.refusal(), Catch::Contains(s.parts[1].string() + " (part 2 of 4"));
    }
    SECTION("a later part given instead of the first") {
        s.first = s.parts[1];
        CHECK_THAT(s.refusal(),
                   Catch::Contains("is part 2 of a split bundle; give the first part, " + s.parts[0].string()));
    }
    SECTION("the unsplit name given") {
        s.first = s.fx.dir / "split" / "platform-1.0.0-stable.bundle";
        CHECK_THAT(s.refusal(), Catch::Contains("give the first part of a split bundle"));
    }
}

TEST_CASE("a rebuild into fewer parts removes the stale ones; too small a split size is refused") {
    Split s;
    auto stale = s.fx.dir / "split" / "platform-1.0.0-stable.bundle.005";
    test::write_text(stale, "left over");
    auto rebuild = s.options("split", 2u << 20);
    rebuild.force = true;  // other parts, so other bytes than the bundle there
    auto again = builder::build_bundle(rebuild);
    CHECK(again.parts.size() == 2);
    CHECK_FALSE(fs::exists(stale));
    CHECK_FALSE(fs::exists(s.parts[2]));
    CHECK(verify::verify_bundle(again.bundle, s.fx.root(), {}).manifest.images.size() == 2);
    CHECK_THROWS_WITH(builder::build_bundle(s.options("tiny", 4096)),
                      Catch::Contains("--split-size 4096 is too small"));
}
