#include <catch2/catch.hpp>

#include "builder/builder.hpp"
#include "builder/tar_header.hpp"
#include "builder/zstd_frames.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "core/json.hpp"
#include "support/release_fixture.hpp"
#include "verify/verify.hpp"

using namespace sealift;

namespace {

std::string build_error(test::ReleaseFixture& fx) {
    return test::error_of([&] { fx.build(); }, "BUILT");
}

std::size_t files_in(const std::filesystem::path& dir) {
    if (!std::filesystem::exists(dir)) return 0;
    return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir), {}));
}

}  // namespace

TEST_CASE("a blob whose content does not match its digest stops the build and leaves no file") {
    test::ReleaseFixture fx;
    std::filesystem::path victim;
    for (const auto& f : std::filesystem::directory_iterator(fx.layout / "blobs" / "sha256"))
        if (std::filesystem::file_size(f) == 200000) victim = f.path();
    REQUIRE(!victim.empty());
    std::string bytes = test::read_text(victim);
    bytes[123] ^= 1;
    test::write_text(victim, bytes);
    auto err = build_error(fx);
    CHECK_THAT(err,
               Catch::Contains("sha256:" + victim.filename().string()) && Catch::Contains("does not match its digest"));
    CHECK(files_in(fx.dir / "out") == 0);  // not even a temporary file
}

TEST_CASE("a missing blob names the source and digest") {
    test::ReleaseFixture fx;
    for (const auto& f : std::filesystem::directory_iterator(fx.layout / "blobs" / "sha256"))
        if (std::filesystem::file_size(f) == 100000) std::filesystem::remove(f.path());
    CHECK_THAT(build_error(fx), Catch::Contains("sha256:"));
    CHECK(files_in(fx.dir / "out") == 0);
}

TEST_CASE("an SBOM must name an image of the release") {
    test::ReleaseFixture fx;
    fx.api_ref = "registry.example.com/platform/other:1.0.0";  // the YAML's `for:` now names an absent image
    CHECK_THAT(build_error(fx), Catch::Contains("release.yaml:") && Catch::Contains("not in this release"));
}

TEST_CASE("an SBOM describing a different image is refused") {
    test::ReleaseFixture fx;
    test::write_text(
        fx.dir / "sboms" / "api.cdx.json",
        R"({"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"metadata":{"component":{"type":"container","name":"registry.example.com/platform/web","version":"1.0.0"}}})");
    CHECK_THAT(build_error(fx), Catch::Contains("api.cdx.json"));
}

TEST_CASE("an SBOM whose file name announces the other format is refused, naming its entry") {
    test::ReleaseFixture fx;
    Json spdx = test::minimal_spdx_of_api();
    test::write_text(fx.dir / "sboms" / "api.cdx.json", spdx.dump(1));  // SPDX, named as CycloneDX
    CHECK_THAT(build_error(fx),
               Catch::Contains("(entry sboms/api.cdx.json): its file name says CycloneDX, but the document is SPDX"));
    CHECK(files_in(fx.dir / "out") == 0);
}

TEST_CASE("a chart whose name Helm refuses is refused at build, naming its Chart.yaml") {
    for (std::string name : {"..", "Platform_Core"}) {
        INFO(name);
        test::ReleaseFixture fx;
        test::write_text(fx.dir / "chart" / "Chart.yaml", "apiVersion: v2\nname: \"" + name + "\"\nversion: 1.0.0\n");
        CHECK_THAT(build_error(fx),
                   Catch::Contains("Chart.yaml: Chart.yaml name '" + name + "' is not a chart name Helm accepts"));
        CHECK(files_in(fx.dir / "out") == 0);
    }
}

TEST_CASE("expiry must come after the issue time") {
    test::ReleaseFixture fx;
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    CHECK_THROWS_WITH(fx.build({}, "2020-01-01"), Catch::Contains("is not after the issue time"));
    unsetenv("SOURCE_DATE_EPOCH");
}

TEST_CASE("tar headers: long paths, huge sizes, stock tar reads them") {
    std::string long_path = "sboms/" + std::string(140, 'a') + "/" + std::string(90, 'b');
    std::string h = builder::tar_entry_header(long_path, 3, 1700000000);
    CHECK(h.size() == 512);  // fits the ustar prefix/name split
    std::string very_long = "sboms/" + std::string(240, 'c') + ".json";
    std::string p = builder::tar_entry_header(very_long, 3, 1700000000);
    CHECK(p.size() == 3 * 512);  // pax header, its records, then the entry
    CHECK(p.find("path=" + very_long + "\n") != std::string::npos);
    std::string big = builder::tar_entry_header("images/blobs/sha256/x", 9ull << 30, 0);
    CHECK(big.find("size=" + std::to_string(9ull << 30) + "\n") != std::string::npos);

    test::TempDir dir;
    std::string tar;
    for (const auto& path : {long_path, very_long})
        tar += builder::tar_entry_header(path, 3, 1700000000) + "abc" + std::string(509, '\0');
    tar += std::string(1024, '\0');
    test::write_text(dir / "t.tar", tar);
    auto r = test::run("tar -tvf '" + (dir / "t.tar").string() + "'");
    CHECK(r.exit_code == 0);
    CHECK(r.out.find(long_path) != std::string::npos);
    CHECK(r.out.find(very_long) != std::string::npos);
    CHECK(r.out.find("0/0") != std::string::npos);
}

TEST_CASE("stored and compressed frames are one stream to stock zstd") {
    test::TempDir dir;
    std::string a(300000, 'x'), b;
    for (int i = 0; i < 400000; ++i) b += static_cast<char>((i * 7919) ^ (i >> 3));
    {
        File out = File::create(dir / "s.zst");
        builder::FrameWriter frames(out, 3, 2);
        frames.begin(a.size(), true);
        frames.write(a.data(), a.size());
        frames.end();
        frames.begin(b.size(), false);  // stored: 128 KiB raw blocks
        frames.write(b.data(), 100);
        frames.write(b.data() + 100, b.size() - 100);
        frames.end();
        frames.begin(0, false);
        frames.end();
        frames.flush();
    }
    auto r = test::run("zstd -q -d -c '" + (dir / "s.zst").string() + "' > '" + (dir / "s").string() + "'");
    REQUIRE(r.exit_code == 0);
    CHECK(test::read_text(dir / "s") == a + b);
    CHECK(std::filesystem::file_size(dir / "s.zst") < b.size() + 2000);
}

TEST_CASE("a chart folder is packaged deterministically") {
    test::ReleaseFixture fx;
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    auto a = test::read_text(fx.build({}, "200000d", fx.dir / "a"));
    std::filesystem::last_write_time(fx.dir / "chart" / "values.yaml", std::filesystem::file_time_type::clock::now());
    auto b = test::read_text(fx.build({}, "200000d", fx.dir / "b"));
    unsetenv("SOURCE_DATE_EPOCH");
    CHECK(a == b);
}

TEST_CASE("a layout tagged with bare tags, as skopeo copy oci:dir:1.0.0 writes it, asks for repository:") {
    test::ReleaseFixture fx;
    Json index = Json::parse(test::read_text(fx.layout / "index.json"));
    for (auto& m : index["manifests"]) m["annotations"]["org.opencontainers.image.ref.name"] = "1.0.0";
    test::write_text(fx.layout / "index.json", index.dump());
    // Not "invalid image reference ':1.0.0': repository is missing": no repository: key is no repository.
    CHECK_THAT(build_error(fx), Catch::Contains("release.yaml:") &&
                                    Catch::Contains("ref.name '1.0.0' is a bare tag and no repository was given") &&
                                    Catch::Contains("add `repository: REGISTRY/PATH` to its image entry") &&
                                    !Catch::Contains("repository is missing"));
}

TEST_CASE("an image listed twice through a YAML alias names the alias and the anchor") {
    test::ReleaseFixture fx;
    fx.build();  // writes release.yaml
    std::string yaml = test::read_text(fx.release_yaml);
    const std::string entry = "  - layout: images\n";
    REQUIRE(yaml.find(entry) != std::string::npos);
    yaml.replace(yaml.find(entry), entry.size(), "  - &images\n    layout: images\n  - *images\n");
    test::write_text(fx.dir / "alias.yaml", yaml);
    std::size_t anchor_line = 1 + std::count(yaml.begin(), yaml.begin() + yaml.find("&images"), '\n');
    builder::BuildOptions o;
    o.release_file = fx.dir / "alias.yaml";
    o.key_files = {fx.release_key};
    o.out_dir = fx.dir / "alias-out";
    o.quiet = true;
    auto where = (fx.dir / "alias.yaml").string();
    const std::string alias = where + ":" + std::to_string(anchor_line + 2) + ":5";
    CHECK_THAT(test::error_of([&] { builder::build_bundle(o); }, "BUILT"),
               Catch::Contains(alias + ": image ") &&
                   Catch::Contains("is already provided by the image entry at " + where + ":") &&
                   !Catch::Contains("entry at " + alias));  // the anchor's position, not the alias's again
}
