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
    CHECK_THAT(table.out, Contains("Images: 1 added, 1 removed, 1 changed, 0 retagged, 0 unchanged"));
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

TEST_CASE("sealift diff --exit-code: 0 same, 1 differs, 2 error, as git diff --exit-code") {
    test::TwoReleases r;
    std::string both = quoted(r.old_bundle) + " " + quoted(r.new_bundle);
    auto same = sealift_diff(quoted(r.old_bundle) + " " + quoted(r.old_bundle) + " --exit-code");
    CHECK(same.exit_code == 0);
    CHECK_THAT(same.out, Contains("0 added, 0 removed, 0 changed, 0 retagged, 2 unchanged"));
    CHECK(sealift_diff(both + " --exit-code").exit_code == 1);
    auto json = sealift_diff(both + " --exit-code --json");
    CHECK(json.exit_code == 1);
    CHECK(Json::parse(json.out)["images"].size() == 3);
    CHECK(sealift_diff(both).exit_code == 0);  // without it, differing is not a failure

    test::write_text(r.old_release.dir / "junk.bundle", "junk");
    std::string junk = quoted(r.old_release.dir / "junk.bundle") + " " + quoted(r.new_bundle);
    CHECK(sealift_diff(junk).exit_code == 1);
    auto bad = sealift_diff(junk + " --exit-code");
    CHECK(bad.exit_code == 2);  // an error is not "differs"
    CHECK_THAT(bad.err, Contains("junk.bundle: neither a Sealift bundle"));
    CHECK(sealift_diff(quoted(r.old_bundle) + " --exit-code").exit_code == 2);
}

TEST_CASE("sealift diff --max-packages caps each image's package list and counts the rest") {
    test::TwoReleases r;
    std::string both = quoted(r.old_bundle) + " " + quoted(r.new_bundle);
    auto json = sealift_diff(both + " --json --max-packages 1");
    REQUIRE(json.exit_code == 0);
    Json api = Json::parse(json.out)["packages"][0];
    REQUIRE(api["changes"].size() == 1);
    CHECK(api["changes"][0]["name"] == "libc6");  // the first by key
    CHECK(api["changesLeftOut"] == 2);

    auto table = sealift_diff(both + " --max-packages 1");
    CHECK_THAT(table.out, Contains("changed  libc6") && !Contains("openssl") && !Contains("zlib1g"));
    CHECK_THAT(table.out, Contains("... and 2 more package changes (--max-packages)"));
    CHECK_THAT(sealift_diff(both + " --markdown --max-packages 2").out,
               Contains("| removed | openssl |") && Contains("... and 1 more package change (--max-packages)"));
    CHECK(Json::parse(sealift_diff(both + " --json --max-packages 3").out)["packages"][0]["changesLeftOut"] == 0);

    auto bad = sealift_diff(both + " --max-packages many");
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.err, Contains("--max-packages must be a number"));
}
