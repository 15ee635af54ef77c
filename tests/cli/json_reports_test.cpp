// The --json reports as a tool reads them: one layout for the same things in
// inspect, verify and diff (docs/json-reports.md), a JSON error object from
// every command that was asked for JSON, and build's report.
#include <catch2/catch.hpp>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "support/release_fixture.hpp"

using namespace sealift;
using Catch::Contains;

namespace {

std::string q(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

std::size_t lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

// The command's stdout is exactly one JSON error object of `code`, and its stderr the same message on one line.
void check_json_error(const test::CommandResult& r, const std::string& code) {
    INFO(r.out << r.err);
    CHECK(r.exit_code != 0);
    Json j = Json::parse(r.out);
    REQUIRE(j.contains("error"));
    CHECK(j["error"]["code"] == code);
    std::string message = j["error"]["message"].get<std::string>();
    CHECK_FALSE(message.empty());
    CHECK(lines(r.err) == 1);
    CHECK_THAT(r.err, Contains(message));
}

}  // namespace

TEST_CASE("inspect, verify and diff --json write the release, its times and its images in one layout") {
    test::ReleaseFixture fx;
    auto bundle = fx.build();
    const std::string sealift = test::sealift_binary();
    auto inspected = test::run(sealift + " inspect --json " + q(bundle));
    auto verified = test::run(sealift + " verify -q --json " + q(bundle) + " --trust " + q(fx.trust_file));
    auto diffed = test::run(sealift + " diff --json " + q(bundle) + " " + q(bundle));
    REQUIRE(inspected.exit_code == 0);
    REQUIRE(verified.exit_code == 0);
    REQUIRE(diffed.exit_code == 0);
    Json in = Json::parse(inspected.out), ve = Json::parse(verified.out), di = Json::parse(diffed.out)["new"];
    CHECK(in["release"] == Json{{"name", "platform"}, {"version", "1.0.0"}, {"channel", "stable"}});
    for (const char* key : {"release", "issued", "expires", "manifestDigest"}) {
        INFO(key);
        CHECK(ve[key] == in[key]);
        CHECK(di[key] == in[key]);
    }
    CHECK(in["issued"].get<std::string>().size() == 20);  // 2026-11-23T18:00:00Z
    REQUIRE(in["images"].size() == 2);
    CHECK(in["images"][0] == Json{{"ref", fx.api_ref},
                                  {"digest", fx.api_digest},
                                  {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                                  {"size", in["images"][0]["size"]}});
    CHECK(in["images"][0]["size"].get<std::uint64_t>() > 0);
    CHECK(ve["images"] == in["images"]);
    CHECK(ve["attachments"] == Json::array());
    CHECK(in["attachments"] == Json::array());
    CHECK(ve["base"].is_null());
    CHECK(in["base"].is_null());
}

TEST_CASE("every command asked for --json prints a JSON error object on failure, and its one line on stderr") {
    const std::string sealift = test::sealift_binary();
    std::size_t json_commands = 0;
    for (const auto& d : cli::declared_commands()) {
        bool listed = false;  // a command of the binary's table, not one a test declares for itself
        for (const auto& c : cli::commands()) listed = listed || d.command == c.name;
        if (!listed) continue;
        auto r = test::run(sealift + " " + std::string(d.command) + " --json --no-such-option");
        INFO(d.command);
        CHECK(r.exit_code == 2);
        if (!cli::find_option(d.options, "--json")) {
            CHECK(r.out.empty());  // not asked for JSON: the one line only
            continue;
        }
        ++json_commands;
        check_json_error(r, "usage");
        CHECK_THAT(r.err, Contains("unknown option '--no-such-option'"));
    }
    CHECK(json_commands >= 9);  // build, diff, inspect, verify, receipt verify, mirror gc/import/preflight/releases

    test::ReleaseFixture fx;
    auto bundle = fx.build();
    auto missing = test::run(sealift + " inspect --json " + q(fx.dir / "missing.bundle"));
    CHECK(missing.exit_code == 2);
    check_json_error(missing, "io");
    CHECK_THAT(missing.err, Contains("missing.bundle"));

    test::write_text(fx.dir / "junk.bundle", "junk");
    auto junk = test::run(sealift + " diff --json " + q(fx.dir / "junk.bundle") + " " + q(bundle));
    CHECK(junk.exit_code == 1);
    check_json_error(junk, "format");

    auto unverified =
        test::run(sealift + " verify --json " + q(fx.dir / "junk.bundle") + " --trust " + q(fx.trust_file));
    CHECK(unverified.exit_code == 1);
    check_json_error(unverified, "format");
    Json report = Json::parse(unverified.out);  // verify says which bundle failed beside the error
    CHECK(report["bundle"] == (fx.dir / "junk.bundle").string());
    CHECK(report["verified"] == false);

    test::write_text(fx.dir / "broken.yaml", "apiVersion: sealift.dev/v1\nkind: Release\nmetadata: [\n");
    auto broken = test::run(sealift + " build --json -f " + q(fx.dir / "broken.yaml") + " --key " + q(fx.release_key) +
                            " -o " + q(fx.dir / "nothing"));
    CHECK(broken.exit_code == 1);
    check_json_error(broken, "format");
    CHECK_THAT(broken.err, Contains("broken.yaml:"));

    auto plain = test::run(sealift + " inspect " + q(fx.dir / "missing.bundle"));
    CHECK(plain.exit_code == 2);
    CHECK(plain.out.empty());
}

TEST_CASE("build --json reports the bundle, its digest, sizes, counts, delta savings and warnings") {
    test::ReleaseFixture fx;
    fx.build();  // writes release.yaml; its SBOM covers api only
    const std::string sealift = test::sealift_binary();
    // One issue time for every build here, so building again gives the same bytes.
    const std::string build =
        "SOURCE_DATE_EPOCH=" +
        std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now_seconds().time_since_epoch()).count()) +
        " " + sealift + " build --json -f ";
    const std::string release = build + q(fx.release_yaml) + " --key " + q(fx.release_key);
    auto r = test::run(release + " -o " + q(fx.dir / "json-out"));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.empty());  // no progress: what it would say is in the report
    Json j = Json::parse(r.out);
    auto bundle = fx.dir / "json-out" / "platform-1.0.0-stable.bundle";
    CHECK(j["bundle"] == bundle.string());
    CHECK(j["parts"] == Json::array());
    CHECK(j["bundleBytes"] == std::filesystem::file_size(bundle));
    CHECK(j["manifestDigest"] ==
          Json::parse(test::run(sealift + " inspect --json " + q(bundle)).out)["manifestDigest"]);
    CHECK(j["images"] == 2);
    CHECK(j["charts"] == 1);
    CHECK(j["sboms"] == 1);
    CHECK(j["blobs"].get<int>() >= 5);
    CHECK(j["delta"].is_null());
    CHECK(j["unchanged"] == false);
    REQUIRE(j["warnings"].size() == 1);
    CHECK_THAT(j["warnings"][0].get<std::string>(), Contains(fx.web_ref));  // no SBOM

    auto again = Json::parse(test::run(release + " -o " + q(fx.dir / "json-out")).out);
    CHECK(again["unchanged"] == true);

    test::ReleaseFixture next{"1.0.1"};
    next.build();  // writes its release.yaml: the same images, so a delta on 1.0.0 leaves every layer out
    auto delta = test::run(build + q(next.release_yaml) + " --key " + q(next.release_key) + " -o " +
                           q(next.dir / "json-delta") + " --base " + q(bundle) + " --trust " + q(fx.trust_file));
    INFO(delta.err);
    REQUIRE(delta.exit_code == 0);
    Json d = Json::parse(delta.out)["delta"];
    CHECK(d["leftTo"] == "base");
    CHECK(d["externalBlobs"].get<int>() >= 3);
    CHECK(d["externalBytes"].get<std::uint64_t>() > 300000);

    auto split = Json::parse(test::run(release + " -o " + q(fx.dir / "json-split") + " --split-size 1M").out);
    REQUIRE(split["parts"].size() >= 1);
    CHECK(split["parts"][0]["path"] == split["bundle"]);
    CHECK(split["parts"][0]["size"].get<std::uint64_t>() <= 1u << 20);
}
