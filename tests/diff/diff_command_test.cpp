#include <catch2/catch.hpp>

#include "core/json.hpp"
#include "two_releases.hpp"

using namespace sealift;
using Catch::Contains;

namespace {

test::CommandResult sealift_diff(const std::string& arguments) {
    return test::run(test::sealift_binary() + " diff " + arguments);
}

std::string quoted(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

}  // namespace

TEST_CASE("sealift diff prints a table, JSON or Markdown") {
    test::TwoReleases r;
    std::string both = quoted(r.old_bundle) + " " + quoted(r.new_bundle);

    auto table = sealift_diff(both);
    REQUIRE(table.exit_code == 0);
    CHECK_THAT(table.out, Contains("Images: 1 added, 1 removed, 1 changed, 0 unchanged"));
    CHECK_THAT(table.out, Contains("Signatures NOT checked"));

    auto json = sealift_diff(both + " --json");
    REQUIRE(json.exit_code == 0);
    Json j = Json::parse(json.out);
    CHECK(j["images"].size() == 3);
    CHECK(j["packages"][0]["changes"].size() == 3);

    auto md = sealift_diff(both + " --markdown");
    REQUIRE(md.exit_code == 0);
    CHECK_THAT(md.out, Contains("## Packages"));

    auto verified = sealift_diff(both + " --json --trust " + quoted(r.old_release.trust_file));
    REQUIRE(verified.exit_code == 0);
    CHECK(Json::parse(verified.out)["verified"] == true);
}

TEST_CASE("sealift diff refuses bad input with one line naming the file") {
    test::TwoReleases r;
    test::write_text(r.old_release.dir / "junk.bundle", "junk");

    auto junk = sealift_diff(quoted(r.old_release.dir / "junk.bundle") + " " + quoted(r.new_bundle));
    CHECK(junk.exit_code == 1);
    CHECK_THAT(junk.err, Contains("junk.bundle: neither a Sealift bundle (zstd) nor a bundle manifest (JSON)"));
    CHECK(std::count(junk.err.begin(), junk.err.end(), '\n') == 1);

    auto missing = sealift_diff(quoted(r.old_bundle) + " " + quoted(r.old_release.dir / "missing.bundle"));
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.err, Contains("missing.bundle"));

    auto unreadable = sealift_diff(quoted(r.old_bundle) + " " + quoted(r.old_release.dir.path()));  // a folder
    CHECK(unreadable.exit_code == 2);
    CHECK_THAT(unreadable.err, Contains(r.old_release.dir.path().string()));

    auto one = sealift_diff(quoted(r.old_bundle));
    CHECK(one.exit_code == 2);
    CHECK_THAT(one.err, Contains("two arguments, OLD and NEW"));

    auto both_formats = sealift_diff(quoted(r.old_bundle) + " " + quoted(r.new_bundle) + " --json --markdown");
    CHECK(both_formats.exit_code == 2);
    CHECK_THAT(both_formats.err, Contains("--json and --markdown"));
}
