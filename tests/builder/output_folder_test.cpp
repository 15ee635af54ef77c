// What a build leaves in its output folder: never an expired or future-dated bundle,
// never another bundle's bytes under an existing name, no temporary file after a signal.
#include <sys/file.h>

#include <fcntl.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include "builder/builder.hpp"
#include "core/error.hpp"
#include "core/time.hpp"
#include "support/release_fixture.hpp"

using namespace sealift;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> names_in(const fs::path& dir) {
    std::vector<std::string> names;
    if (fs::exists(dir))
        for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

builder::BuildOptions options(const test::ReleaseFixture& fx) {
    builder::BuildOptions o;
    o.release_file = fx.release_yaml;
    o.key_files = {fx.release_key};
    o.out_dir = fx.dir / "out";
    o.quiet = true;
    return o;
}

// Pins the issue time for one scope, as a reproducible build does.
struct PinnedTime {
    explicit PinnedTime(const std::string& epoch) { setenv("SOURCE_DATE_EPOCH", epoch.c_str(), 1); }
    ~PinnedTime() { unsetenv("SOURCE_DATE_EPOCH"); }
};

std::string now_epoch(std::chrono::seconds offset = {}) {
    return std::to_string((now_seconds() + offset).time_since_epoch().count());
}

}  // namespace

TEST_CASE("a bundle that has expired, or would expire within --min-validity, is refused before anything is written") {
    test::ReleaseFixture fx;
    fx.build();  // writes release.yaml
    fs::remove_all(fx.dir / "out");
    auto o = options(fx);
    {
        PinnedTime pin("1700000000");  // 2023-11-14: + 180 days is long past
        CHECK_THROWS_WITH(builder::build_bundle(o),
                          Catch::Contains("would expire at 2024-05-12T22:13:20Z, which has passed") &&
                              Catch::Contains("from SOURCE_DATE_EPOCH") && Catch::Contains("--expires"));
    }
    o.expires = "20d";
    CHECK_THROWS_WITH(builder::build_bundle(o), Catch::Contains("less than --min-validity 30d from now") &&
                                                    Catch::Contains("from this machine's clock"));
    o.min_validity = "10d";
    CHECK_NOTHROW(builder::build_bundle(o));
    CHECK(names_in(fx.dir / "out") == std::vector<std::string>{"platform-1.0.0-stable.bundle"});
    fs::remove_all(fx.dir / "out");
    o.min_validity = "a month";
    CHECK_THROWS_WITH(builder::build_bundle(o),
                      Catch::StartsWith("sealift build: --min-validity: invalid duration 'a month'"));
    o.min_validity = "0s";
    o.expires = "soon";
    CHECK_THROWS_WITH(builder::build_bundle(o), Catch::StartsWith("sealift build: --expires: invalid duration 'soon'"));
    o.expires = "2020-01-01";
    CHECK_THROWS_WITH(builder::build_bundle(o), Catch::Contains("is not after the issue time"));
    CHECK(names_in(fx.dir / "out").empty());
}

TEST_CASE("an issue time ahead of the build clock is refused, naming where it came from") {
    test::ReleaseFixture fx;
    fx.build();
    fs::remove_all(fx.dir / "out");
    auto o = options(fx);
    {
        PinnedTime pin(now_epoch(std::chrono::hours(2)));
        CHECK_THROWS_WITH(builder::build_bundle(o), Catch::Contains("is ahead of this machine's clock") &&
                                                        Catch::Contains("correct SOURCE_DATE_EPOCH"));
    }
    {
        PinnedTime pin(now_epoch(std::chrono::minutes(1)));  // within the skew sites allow
        CHECK_NOTHROW(builder::build_bundle(o));
    }
    fs::remove_all(fx.dir / "out");
    test::write_text(fx.release_yaml, test::read_text(fx.release_yaml) + "");
    std::string yaml = test::read_text(fx.release_yaml);
    yaml.replace(yaml.find("  channel:"), 0, "  created: 2090-01-01T00:00:00Z\n");
    test::write_text(fx.release_yaml, yaml);
    CHECK_THROWS_WITH(builder::build_bundle(o), Catch::Contains("2090-01-01T00:00:00Z (from metadata.created in ") &&
                                                    Catch::Contains("release.yaml"));
    CHECK(names_in(fx.dir / "out").empty());
}

TEST_CASE("building again: the same bytes are left in place, other bytes only with force") {
    test::ReleaseFixture fx;
    PinnedTime pin(now_epoch());
    fx.build();
    auto o = options(fx);
    fs::path bundle = fx.dir / "out" / "platform-1.0.0-stable.bundle";
    std::string first = test::read_text(bundle);
    auto again = builder::build_bundle(o);
    CHECK(again.unchanged);
    CHECK(test::read_text(bundle) == first);

    o.level = 9;  // the same release, other bytes
    CHECK_THROWS_WITH(builder::build_bundle(o),
                      Catch::Contains(bundle.string() + ": a bundle with other bytes is there already") &&
                          Catch::Contains("--force"));
    CHECK(test::read_text(bundle) == first);
    CHECK(names_in(fx.dir / "out") == std::vector<std::string>{"platform-1.0.0-stable.bundle"});
    o.force = true;
    auto forced = builder::build_bundle(o);
    CHECK_FALSE(forced.unchanged);
    CHECK(test::read_text(bundle) != first);

    SECTION("split parts are compared as one file") {
        std::string noise;
        for (std::uint32_t x = 1; noise.size() < (3u << 20); x = x * 1103515245u + 12345u)
            noise += static_cast<char>(x >> 24);
        test::write_layout(fx.dir / "big", {{fx.api_ref, {{"application/vnd.oci.image.layer.v1.tar+gzip", noise}}}});
        test::write_text(
            fx.dir / "big.yaml",
            "apiVersion: sealift.dev/v1\nkind: Release\nmetadata: {name: big, version: 1.0.0, channel: stable}\n"
            "images:\n  - layout: big\n");
        o.release_file = fx.dir / "big.yaml";
        o.force = false;
        o.level = 3;
        o.split_size = 1u << 20;
        auto parts = builder::build_bundle(o).parts;
        REQUIRE(parts.size() == 4);
        CHECK(builder::build_bundle(o).unchanged);
        o.expires = "181d";  // other signed bytes in the first part
        CHECK_THROWS_WITH(builder::build_bundle(o),
                          Catch::Contains(parts.front().string() + ": a bundle with other bytes"));
    }
}

TEST_CASE("a build removes what an interrupted build of the same bundle left, and only that") {
    test::ReleaseFixture fx;
    fs::create_directories(fx.dir / "out");
    for (const char* name : {"platform-1.0.0-stable.bundle.tmp-123", "platform-1.0.0-stable.bundle.002.tmp-9",
                             "platform-2.0.0-stable.bundle.tmp-5", "platform-1.0.0-stable.bundle.tmp-x", "notes.txt"})
        test::write_text(fx.dir / "out" / name, "x");
    fx.build();
    auto result = builder::build_bundle([&] {
        auto o = options(fx);
        o.force = true;
        return o;
    }());
    CHECK(result.removed_stale.empty());  // removed by the first build already
    CHECK(names_in(fx.dir / "out") == std::vector<std::string>{"notes.txt", "platform-1.0.0-stable.bundle",
                                                               "platform-1.0.0-stable.bundle.tmp-x",
                                                               "platform-2.0.0-stable.bundle.tmp-5"});
}

TEST_CASE("a second build of the same bundle into the same folder is refused while the first runs") {
    test::ReleaseFixture fx;
    fx.build();
    int fd = ::open((fx.dir / "out" / ".platform-1.0.0-stable.bundle.lock").c_str(), O_RDWR | O_CREAT, 0644);
    REQUIRE(fd >= 0);
    REQUIRE(::flock(fd, LOCK_EX) == 0);
    auto o = options(fx);
    o.force = true;
    CHECK_THROWS_WITH(builder::build_bundle(o),
                      Catch::Contains("another sealift build of this bundle is writing it now"));
    ::close(fd);
    CHECK_NOTHROW(builder::build_bundle(o));
}

TEST_CASE("images without an SBOM are named in one warning") {
    test::ReleaseFixture fx;
    fx.build();
    auto o = options(fx);
    o.force = true;
    auto result = builder::build_bundle(o);
    REQUIRE(result.warnings.size() == 1);
    CHECK(result.warnings[0] == "1 of 2 images have no SBOM: " + fx.web_ref + " (--require-sbom refuses this)");
    o.require_sbom = true;
    CHECK_THROWS_WITH(builder::build_bundle(o),
                      Catch::Contains("image " + fx.web_ref + " has no SBOM, and --require-sbom is set"));
}

TEST_CASE("a build stopped by SIGTERM or SIGHUP leaves no temporary file") {
    test::ReleaseFixture fx;
    // One big compressible layer at a slow level keeps the build busy long enough to be stopped.
    test::write_layout(
        fx.dir / "big",
        {{fx.api_ref, {{"application/vnd.oci.image.layer.v1.tar", std::string(96u << 20, 'a') + "end"}}}});
    test::write_text(
        fx.dir / "big.yaml",
        "apiVersion: sealift.dev/v1\nkind: Release\nmetadata: {name: platform, version: 1.0.0, channel: stable}\n"
        "images:\n  - layout: big\n");
    for (const char* sig : {"TERM", "HUP"}) {
        std::string out = (fx.dir / (std::string("out-") + sig)).string();
        auto r = test::run("cd '" + fx.dir.path().string() + "' && { '" + test::sealift_binary() +
                           "' build -q --level 19 --threads 1 -f big.yaml --key '" + fx.release_key.string() +
                           "' -o '" + out + "' & pid=$!; for i in $(seq 400); do ls '" + out +
                           "' 2>/dev/null | grep -q tmp- && break; sleep 0.05; done; kill -" + sig +
                           " $pid; wait $pid; echo \"status $?\"; }");
        CAPTURE(r.out, r.err);
        CHECK_THAT(r.out, Catch::Contains(std::string("status ") + (std::string(sig) == "TERM" ? "143" : "129")));
        CHECK(names_in(out).empty());  // neither the temporary bundle nor the build lock
    }
}
