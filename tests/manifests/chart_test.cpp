#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "manifests/chart.hpp"
#include "support/support.hpp"

using namespace sealift;

TEST_CASE("Chart.yaml is read out of a packaged chart") {
    test::TempDir dir;
    test::write_text(dir / "src" / "demo" / "Chart.yaml",
                     "apiVersion: v2\nname: demo\nversion: 1.2.3\nappVersion: \"4.5\"\n");
    test::write_text(dir / "src" / "demo" / "charts" / "sub" / "Chart.yaml",
                     "apiVersion: v2\nname: sub\nversion: 0.1.0\n");
    REQUIRE(test::run("tar -czf '" + (dir / "demo.tgz").string() + "' -C '" + (dir / "src").string() + "' demo")
                .exit_code == 0);
    auto info = manifests::read_chart_archive(test::read_text(dir / "demo.tgz"), "demo.tgz");
    CHECK(info.name == "demo");
    CHECK(info.version == "1.2.3");
    CHECK(info.app_version == "4.5");
}

TEST_CASE("bad charts are refused with the reason") {
    CHECK_THROWS_WITH(manifests::parse_chart_yaml("apiVersion: v2\nname: x\n", "c"), Catch::Contains("no 'version'"));
    CHECK_THROWS_WITH(manifests::parse_chart_yaml("apiVersion: v2\nname: x\nversion: 1.0\n", "c"),
                      Catch::Contains("not SemVer"));
    CHECK_THROWS_WITH(manifests::parse_chart_yaml("apiVersion: v3\nname: x\nversion: 1.0.0\n", "c"),
                      Catch::Contains("not v1 or v2"));
    CHECK_THROWS_WITH(manifests::read_chart_archive("not a tarball", "junk.tgz"), Catch::Contains("junk.tgz"));
}

TEST_CASE("a chart name is one Helm's lint accepts, and so a repository path component") {
    for (const char* good : {"platform-core", "a", "web2", "0-9"}) {
        INFO(good);
        CHECK(manifests::valid_chart_name(good));
        CHECK_NOTHROW(
            manifests::parse_chart_yaml(std::string("apiVersion: v2\nname: ") + good + "\nversion: 1.0.0\n", "c"));
    }
    for (std::string bad :
         {"", "..", ".", "UPPER", "UPPER%2F..", "a/b", "under_score", "dot.ted", "-dash", "dash-", "sp ace"}) {
        INFO(bad);
        CHECK_FALSE(manifests::valid_chart_name(bad));
        CHECK_THROWS_WITH(
            manifests::parse_chart_yaml("apiVersion: v2\nname: \"" + bad + "\"\nversion: 1.0.0\n", "c"),
            bad.empty() ? Catch::Contains("non-empty") : Catch::Contains("is not a chart name Helm accepts"));
    }
    CHECK(manifests::valid_chart_name(std::string(248, 'a')));
    CHECK_FALSE(manifests::valid_chart_name(std::string(249, 'a')));
}

TEST_CASE("a chart archive may expand to at most 100 MiB and 10000 entries, however small it is") {
    test::TempDir dir;
    auto pack = [&](const std::string& name) {
        std::string tgz = (dir / (name + ".tgz")).string();
        REQUIRE(test::run("tar -czf '" + tgz + "' -C '" + (dir / name).string() + "' demo").exit_code == 0);
        return test::read_text(tgz);
    };
    // Chart.yaml first, then 101 MiB of zeros: a reader that stopped at Chart.yaml would take it.
    test::write_text(dir / "bomb" / "demo" / "Chart.yaml", "apiVersion: v2\nname: demo\nversion: 1.0.0\n");
    REQUIRE(test::run("truncate -s 101M '" + (dir / "bomb" / "demo" / "zeros").string() + "'").exit_code == 0);
    std::string bomb = pack("bomb");
    CHECK(bomb.size() < (1u << 20));
    CHECK_THROWS_WITH(manifests::read_chart_archive(bomb, "bomb.tgz"),
                      Catch::Contains("bomb.tgz: the chart archive expands to more than 104857600 bytes"));

    test::write_text(dir / "many" / "demo" / "Chart.yaml", "apiVersion: v2\nname: demo\nversion: 1.0.0\n");
    REQUIRE(test::run("cd '" + (dir / "many" / "demo").string() + "' && for i in $(seq 1 10000); do : > f$i; done")
                .exit_code == 0);
    CHECK_THROWS_WITH(manifests::read_chart_archive(pack("many"), "many.tgz"),
                      Catch::Contains("many.tgz: the chart archive has more than 10000 entries"));

    // Just under both limits, it is read.
    test::write_text(dir / "fits" / "demo" / "Chart.yaml", "apiVersion: v2\nname: demo\nversion: 1.0.0\n");
    REQUIRE(test::run("truncate -s 99M '" + (dir / "fits" / "demo" / "zeros").string() + "'").exit_code == 0);
    CHECK(manifests::read_chart_archive(pack("fits"), "fits.tgz").name == "demo");
}

TEST_CASE("a chart archive cut short in its gzip stream is refused, naming it (libarchive gives no error text there)") {
    test::TempDir dir;
    test::write_text(dir / "src" / "demo" / "Chart.yaml", "apiVersion: v2\nname: demo\nversion: 1.0.0\n");
    test::write_text(dir / "src" / "demo" / "values.yaml", std::string(50000, 'v'));
    REQUIRE(test::run("tar -czf '" + (dir / "demo.tgz").string() + "' -C '" + (dir / "src").string() + "' demo")
                .exit_code == 0);
    std::string tgz = test::read_text(dir / "demo.tgz");
    for (std::size_t keep :
         {std::size_t{1}, std::size_t{10}, std::size_t{20}, tgz.size() / 2, tgz.size() - 9, tgz.size() - 1}) {
        INFO(keep);
        try {
            manifests::read_chart_archive(tgz.substr(0, keep), "cut.tgz");
            FAIL("read");
        } catch (const Error& e) {
            CHECK(e.code() == Errc::format);
            CHECK_THAT(e.what(), Catch::StartsWith("cut.tgz: "));
        }
    }
}
