// sealift build / verify / inspect as a user runs them: output, exit status,
// one-line errors, --json reports.
#include <catch2/catch.hpp>

#include "core/json.hpp"
#include "support/release_fixture.hpp"
#include "support/tar_editor.hpp"

using namespace sealift;

namespace {

std::string q(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

struct Cli {
    test::ReleaseFixture fx;
    std::string sealift = test::sealift_binary();
    std::filesystem::path bundle;
    Cli() {
        fx.build();  // writes release.yaml
        auto r = test::run(sealift + " build -q -f " + q(fx.release_yaml) + " --key " + q(fx.release_key) + " -o " +
                           q(fx.dir / "cli-out"));
        REQUIRE(r.exit_code == 0);
        bundle = fx.dir / "cli-out" / "platform-1.0.0-stable.bundle";
        CHECK(r.out == bundle.string() + "\n");
    }
    test::CommandResult verify(const std::filesystem::path& b, const std::string& extra = "") {
        return test::run(sealift + " verify -q " + q(b) + " --trust " + q(fx.trust_file) + " " + extra);
    }
};

std::size_t lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

}  // namespace

TEST_CASE("verify: exit 0 and a summary for a good bundle, --json either way") {
    Cli c;
    auto ok = c.verify(c.bundle);
    CHECK(ok.exit_code == 0);
    CHECK_THAT(ok.out, Catch::StartsWith("verified ") && Catch::Contains("platform 1.0.0 (stable), 2 images"));
    auto js = c.verify(c.bundle, "--json");
    REQUIRE(js.exit_code == 0);
    auto report = Json::parse(js.out);
    CHECK(report["verified"] == true);
    CHECK(report["release"]["version"] == "1.0.0");
    CHECK(report["images"].size() == 2);
    CHECK(report["signers"].size() == 1);
}

TEST_CASE("verify: exit 1 with one line naming the entry for a bad bundle") {
    Cli c;
    auto tar = test::TarEditor::load(c.bundle);
    tar.entries.push_back(test::TarEditor::make("images/blobs/sha256/evil", "x"));
    auto bad = c.fx.dir / "bad.bundle";
    tar.save(bad);
    auto r = c.verify(bad);
    CHECK(r.exit_code == 1);
    CHECK(lines(r.err) == 1);
    CHECK_THAT(r.err, Catch::StartsWith("sealift: entry 'images/blobs/sha256/evil' is not listed"));
    auto js = c.verify(bad, "--json");
    CHECK(js.exit_code == 1);
    auto report = Json::parse(js.out);
    CHECK(report["verified"] == false);
    CHECK(report["error"]["code"] == "format");
    CHECK_THAT(report["error"]["message"].get<std::string>(), Catch::Contains("images/blobs/sha256/evil"));
}

TEST_CASE("verify: exit 2 for usage errors and files that cannot be opened; 1 for a non-bundle") {
    Cli c;
    CHECK(c.verify(c.fx.dir / "missing.bundle").exit_code == 2);
    CHECK(c.verify(c.fx.dir.path()).exit_code == 2);                        // a folder
    CHECK(test::run(c.sealift + " verify " + q(c.bundle)).exit_code == 2);  // no --trust
    CHECK(test::run(c.sealift + " verify " + q(c.bundle) + " --trust " + q(c.fx.trust_file) + " --frobnicate")
              .exit_code == 2);
    test::write_text(c.fx.dir / "empty.bundle", "");
    auto empty = c.verify(c.fx.dir / "empty.bundle");
    CHECK(empty.exit_code == 1);
    CHECK_THAT(empty.err, Catch::Contains("empty file"));
}

TEST_CASE("numeric options: out of range, not a number, or too long for any integer are usage errors") {
    Cli c;
    for (const char* bad : {"--level 99999999999999999999", "--level 0", "--threads x", "--level=-3"}) {
        auto r = test::run(c.sealift + " build -f " + q(c.fx.release_yaml) + " --key " + q(c.fx.release_key) + " -o " +
                           q(c.fx.dir / "n") + " " + bad);
        INFO(bad);
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::Contains("must be a number from"));
    }
    auto p = test::run(c.sealift + " mirror import " + q(c.bundle) + " --trust " + q(c.fx.trust_file) +
                       " --to 127.0.0.1:1 --parallel 18446744073709551616");
    CHECK(p.exit_code == 2);
    CHECK_THAT(p.err, Catch::Contains("--parallel must be a number from 1 to 64"));
}

TEST_CASE("inspect lists contents and signers without verifying") {
    Cli c;
    auto r = test::run(c.sealift + " inspect " + q(c.bundle));
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("release   platform 1.0.0 (stable)") && Catch::Contains(c.fx.api_ref) &&
                          Catch::Contains("platform-core") && Catch::Contains("(not checked)"));
    auto js = Json::parse(test::run(c.sealift + " inspect --json " + q(c.bundle)).out);
    CHECK(js["images"].size() == 2);
    CHECK(js["charts"][0]["name"] == "platform-core");
    CHECK(js["sboms"][0]["for"] == c.fx.api_ref);
    CHECK(js["releaseNotes"] == "notes/RELEASE_NOTES.md");
}

TEST_CASE("build: errors are one line naming file:line:column, exit non-zero, nothing written") {
    Cli c;
    test::write_text(
        c.fx.dir / "broken.yaml",
        "apiVersion: sealift.dev/v1\nkind: Release\nmetadata:\n  name: platform\n  version: 1.0\n  channel: stable\n");
    auto r = test::run(c.sealift + " build -f " + q(c.fx.dir / "broken.yaml") + " --key " + q(c.fx.release_key) +
                       " -o " + q(c.fx.dir / "nothing"));
    CHECK(r.exit_code == 1);
    CHECK(lines(r.err) == 1);
    CHECK_THAT(r.err, Catch::Contains("broken.yaml:5:12: invalid version '1.0'"));
    CHECK_FALSE(std::filesystem::exists(c.fx.dir / "nothing"));
    test::write_text(c.fx.dir / "a-file", "x");
    auto under_file = test::run(c.sealift + " build -f " + q(c.fx.release_yaml) + " --key " + q(c.fx.release_key) +
                                " -o " + q(c.fx.dir / "a-file" / "out"));
    CHECK(under_file.exit_code == 2);
    CHECK(lines(under_file.err) == 1);
    CHECK_THAT(under_file.err, Catch::Contains("a-file/out: Not a directory") && !Catch::Contains("internal error"));
    auto nokey = test::run(c.sealift + " build -f " + q(c.fx.release_yaml) + " -o " + q(c.fx.dir / "nothing"));
    CHECK(nokey.exit_code == 2);
    CHECK_THAT(nokey.err, Catch::Contains("--key"));
}

TEST_CASE("build: plain progress lines when stderr is not a terminal, none with --quiet") {
    Cli c;
    auto r = test::run(c.sealift + " build -f " + q(c.fx.release_yaml) + " --key " + q(c.fx.release_key) + " -o " +
                       q(c.fx.dir / "p"));
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find('\r') == std::string::npos);
    CHECK_THAT(r.err, Catch::Contains("100%") && Catch::Contains("items") && Catch::Contains("/s"));
    auto quiet = test::run(c.sealift + " build -q -f " + q(c.fx.release_yaml) + " --key " + q(c.fx.release_key) +
                           " -o " + q(c.fx.dir / "p2"));
    CHECK(quiet.err.empty());
}
