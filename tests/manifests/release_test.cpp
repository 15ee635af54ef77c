#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "manifests/release.hpp"
#include "support/release_yaml.hpp"
#include "support/support.hpp"

using namespace sealift;
using manifests::parse_release;

namespace {

struct Files {
    test::TempDir dir;
    Files() {
        std::filesystem::create_directories(dir / "images");
        test::write_text(dir / "chart.tgz", "x");
        test::write_text(dir / "api.cdx.json", "{}");
        test::write_text(dir / "NOTES.md", "# notes");
    }
    std::filesystem::path file() const { return dir / "release.yaml"; }
};

const std::string kGood = test::release_yaml_head() + R"(images:
  - layout: images
    refs: [registry.example.com/platform/api:1.0.0]
charts:
  - path: chart.tgz
sboms:
  - path: api.cdx.json
    for: registry.example.com/platform/api:1.0.0
releaseNotes: NOTES.md
)";

std::string error_of(const std::string& yaml, const Files& f) {
    return test::error_of([&] { parse_release(yaml, f.file()); }, "ACCEPTED");
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
    auto pos = s.find(from);
    REQUIRE(pos != std::string::npos);
    return s.replace(pos, from.size(), to);
}

}  // namespace

TEST_CASE("the issue's example release manifest is accepted with paths relative to it") {
    Files f;
    auto rel = parse_release(kGood, f.file());
    CHECK(rel.name == "platform");
    CHECK(rel.version.str() == "1.0.0");
    CHECK(rel.channel == manifests::Channel::stable);
    REQUIRE(rel.images.size() == 1);
    CHECK(rel.images[0].path == (f.dir / "images").lexically_normal());
    CHECK(rel.images[0].refs == std::vector<std::string>{"registry.example.com/platform/api:1.0.0"});
    CHECK(rel.charts[0].path == f.dir / "chart.tgz");
    CHECK(rel.sboms[0].for_ref == "registry.example.com/platform/api:1.0.0");
    CHECK(rel.release_notes == f.dir / "NOTES.md");
}

TEST_CASE("errors name file, line, column and what is wrong") {
    Files f;
    std::string where = f.file().string();
    CHECK(error_of(replace(kGood, "  channel: stable", "  channel: stable\n  colour: blue"), f) ==
          where + ":7:3: unknown key 'colour' in metadata");
    CHECK_THAT(error_of(replace(kGood, "version: 1.0.0", "version: 1.0"), f),
               Catch::StartsWith(where + ":5:12: invalid version '1.0'"));
    CHECK_THAT(error_of(replace(kGood, "channel: stable", "channel: nightly"), f),
               Catch::StartsWith(where + ":6:12: unknown channel 'nightly'"));
    CHECK_THAT(error_of(replace(kGood, "path: chart.tgz", "path: missing.tgz"), f),
               Catch::StartsWith(where + ":11:11: chart 'missing.tgz' does not exist"));
    CHECK_THAT(error_of(replace(kGood, "for: registry.example.com/platform/api:1.0.0", "for: Registry/API:1.0.0"), f),
               Catch::StartsWith(where + ":14:10: SBOM subject: invalid image reference"));
    CHECK_THAT(error_of(replace(kGood, "kind: Release", "kind: Bundle"), f),
               Catch::StartsWith(where + ":2:7: kind must be Release"));
    CHECK_THAT(error_of(replace(kGood, "name: platform", "name: Platform_1"), f),
               Catch::Contains("invalid release name"));
    CHECK_THAT(error_of(replace(kGood, "  - layout: images", "  - layout: images\n    ociArchive: chart.tgz"), f),
               Catch::Contains("exactly one of layout, ociArchive, dockerArchive"));
    CHECK_THAT(error_of(replace(kGood, "  name: platform\n", "  name: platform\n  name: other\n"), f),
               Catch::Contains("duplicate key 'name'"));
    CHECK_THAT(error_of("apiVersion: [", f), Catch::StartsWith(where + ":") && Catch::Contains("invalid YAML"));
    CHECK_THAT(error_of("", f), Catch::Contains("empty release manifest"));
}

TEST_CASE("an image entry repeated through a YAML alias is placed where the alias is") {
    Files f;
    auto rel =
        parse_release(replace(kGood, "  - layout: images\n    refs: [registry.example.com/platform/api:1.0.0]\n",
                              "  - &api\n    layout: images\n    refs: [registry.example.com/platform/api:1.0.0]\n"
                              "  - *api\n"),
                      f.file());
    REQUIRE(rel.images.size() == 2);
    CHECK(rel.images[1].where.str() == f.file().string() + ":11:5");  // the alias, not its anchor
    CHECK(rel.images[0].where.line < 11);
    CHECK(rel.images[1].refs == rel.images[0].refs);
}

TEST_CASE("a tab or a wrong indentation in the YAML is named as such, with its position") {
    Files f;
    std::string where = f.file().string();
    // yaml-cpp says "illegal block entry" or the like, at another token: the message names the tab.
    CHECK(error_of(replace(kGood, "  - layout: images", "\t- layout: images"), f) ==
          where +
              ":8:1: invalid YAML: a tab in the indentation; YAML forbids tabs for indentation, indent with spaces");
    CHECK_THAT(error_of(replace(kGood, "  channel: stable", " \tchannel: stable"), f),
               Catch::StartsWith(where + ":6:2: invalid YAML: a tab in the indentation"));
    CHECK_THAT(error_of(replace(kGood, "  channel: stable", "    channel: stable"), f),
               Catch::StartsWith(where + ":") && Catch::Contains("invalid YAML: ") &&
                   Catch::Contains("indented differently from its siblings"));
}

TEST_CASE("a chart folder and created timestamps are accepted") {
    Files f;
    std::filesystem::create_directories(f.dir / "mychart");
    auto rel = parse_release(replace(replace(kGood, "path: chart.tgz", "path: mychart"), "  channel: stable",
                                     "  channel: lts\n  created: 2026-01-02T03:04:05Z"),
                             f.file());
    CHECK(rel.channel == manifests::Channel::lts);
    REQUIRE(rel.created);
    CHECK(format_time(*rel.created) == "2026-01-02T03:04:05Z");
}

TEST_CASE("pre-release versions belong on the hotfix channel") {
    Files f;
    CHECK_THAT(
        error_of(replace(kGood, "version: 1.0.0", "version: 1.1.0-rc.1"), f),
        Catch::Contains(":5:12: pre-release version 1.1.0-rc.1 is only allowed on the hotfix channel, not stable"));
    CHECK(
        error_of(replace(replace(kGood, "version: 1.0.0", "version: 1.1.0-rc.1"), "channel: stable", "channel: hotfix"),
                 f) == "ACCEPTED");
}

TEST_CASE("registry image entries: ref, platforms, lock") {
    Files f;
    std::string with_ref =
        replace(kGood, "  - layout: images\n    refs: [registry.example.com/platform/api:1.0.0]",
                "  - ref: registry.example.com/platform/api:1.0.0\n    platforms: [linux/amd64, linux/arm64/v8]");
    auto rel = parse_release(with_ref, f.file());
    REQUIRE(rel.images.size() == 1);
    CHECK(rel.images[0].kind == manifests::ImageSourceKind::registry);
    CHECK(rel.images[0].refs == std::vector<std::string>{"registry.example.com/platform/api:1.0.0"});
    CHECK(rel.images[0].platforms == std::vector<std::string>{"linux/amd64", "linux/arm64/v8"});
    CHECK_FALSE(rel.lock_file);

    test::write_text(f.dir / "release.lock.json", "{}");
    auto locked = parse_release(
        replace(with_ref, "releaseNotes: NOTES.md", "releaseNotes: NOTES.md\nlock: release.lock.json"), f.file());
    REQUIRE(locked.lock_file);
    CHECK(locked.lock_file->filename() == "release.lock.json");

    CHECK_THAT(
        error_of(replace(with_ref, "linux/arm64/v8", "linux"), f),
        Catch::Contains("release.yaml:") && Catch::Contains("platform 'linux' is not os/arch or os/arch/variant"));
    CHECK_THAT(error_of(replace(with_ref, "linux/arm64/v8", "linux/amd64"), f),
               Catch::Contains("platform 'linux/amd64' is listed twice"));
    CHECK_THAT(error_of(replace(with_ref, "    platforms: [linux/amd64, linux/arm64/v8]", "    refs: [a/b:1]"), f),
               Catch::Contains("unknown key 'refs' in registry image entry"));
    CHECK_THAT(error_of(replace(with_ref, "api:1.0.0\n", "API:1.0.0\n"), f),
               Catch::Contains("invalid image reference"));
    CHECK_THAT(error_of(replace(with_ref, "releaseNotes: NOTES.md", "releaseNotes: NOTES.md\nlock: missing.json"), f),
               Catch::Contains("lock file 'missing.json' does not exist"));
}
