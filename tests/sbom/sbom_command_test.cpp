#include <catch2/catch.hpp>

#include "core/json.hpp"
#include "schema_validator.hpp"
#include "support/release_fixture.hpp"

using namespace sealift;
using Catch::Contains;

namespace {

test::CommandResult sealift_sbom(const std::string& arguments) {
    return test::run(test::sealift_binary() + " sbom " + arguments);
}

std::string quoted(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

// The bundle SBOM the builder stored in the bundle.
Json stored_bundle_sbom(const std::filesystem::path& bundle, const std::filesystem::path& dir) {
    REQUIRE(
        test::run("zstd -dc " + quoted(bundle) + " | tar -x -C " + quoted(dir) + " sealift/sbom.cdx.json").exit_code ==
        0);
    return Json::parse(test::read_text(dir / "sealift" / "sbom.cdx.json"));
}

}  // namespace

TEST_CASE("sealift sbom exports a bundle as CycloneDX or SPDX that pass their schemas, the same bytes every time") {
    test::ReleaseFixture f;
    auto bundle = f.build();
    for (std::string format : {"cyclonedx", "spdx"}) {
        INFO(format);
        auto out = f.dir / ("export." + format + ".json");
        auto first = sealift_sbom(quoted(bundle) + " --format " + format + " -o " + quoted(out));
        REQUIRE(first.exit_code == 0);
        CHECK_THAT(first.err, Contains("signatures not checked"));
        std::string text = test::read_text(out);
        CHECK(test::schema_problems(format, text) == "");
        auto again = sealift_sbom(quoted(bundle) + " --format " + format + " --trust " + quoted(f.trust_file));
        REQUIRE(again.exit_code == 0);
        CHECK(again.out == text);
        CHECK(again.err.empty());
    }
}

TEST_CASE("the CycloneDX export is the bundle's own SBOM with each image's packages nested") {
    test::ReleaseFixture f;
    auto bundle = f.build();
    auto result = sealift_sbom(quoted(bundle) + " --format cyclonedx");
    REQUIRE(result.exit_code == 0);
    Json exported = Json::parse(result.out);
    Json stored = stored_bundle_sbom(bundle, f.dir.path());

    Json packages;
    for (Json& c : exported["components"])
        if (c.contains("components")) {
            packages = c["components"];
            CHECK(c["name"] == "registry.example.com/platform/api");
            c.erase("components");
        }
    REQUIRE(packages.size() == 1);
    CHECK(packages[0]["name"] == "libc");
    CHECK(packages[0]["version"] == "2.36");
    CHECK(exported["serialNumber"] != stored["serialNumber"]);
    exported.erase("serialNumber"), stored.erase("serialNumber");
    CHECK(exported == stored);
}

TEST_CASE("sealift sbom refuses bad input with one line naming the file or the option") {
    test::ReleaseFixture f;
    auto bundle = f.build();

    auto format = sealift_sbom(quoted(bundle) + " --format swid");
    CHECK(format.exit_code == 2);
    CHECK(format.err == "sealift sbom: --format swid is not a known format (cyclonedx or spdx)\n");

    auto no_format = sealift_sbom(quoted(bundle));
    CHECK(no_format.exit_code == 2);
    CHECK_THAT(no_format.err, Contains("--format"));

    test::write_text(f.dir / "junk.bundle", "{not json");
    auto junk = sealift_sbom(quoted(f.dir / "junk.bundle") + " --format spdx");
    CHECK(junk.exit_code == 1);
    CHECK_THAT(junk.err, Contains("junk.bundle"));
    CHECK(std::count(junk.err.begin(), junk.err.end(), '\n') == 1);

    auto missing = sealift_sbom(quoted(f.dir / "missing.bundle") + " --format spdx");
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.err, Contains("missing.bundle"));

    REQUIRE(test::run("zstd -dc " + quoted(bundle) + " | tar -x -C " + quoted(f.dir.path()) + " sealift/manifest.json")
                .exit_code == 0);
    auto manifest = sealift_sbom(quoted(f.dir / "sealift/manifest.json") + " --format cyclonedx");
    CHECK(manifest.exit_code == 2);
    CHECK_THAT(manifest.err, Contains("manifest.json: a bare manifest does not hold the images' SBOMs"));
}
