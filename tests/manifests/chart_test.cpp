#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "manifests/chart.hpp"
#include "support/support.hpp"

using namespace sealift;

TEST_CASE("Chart.yaml is read out of a packaged chart") {
    test::TempDir dir;
    test::write_text(dir / "src" / "demo" / "Chart.yaml", "apiVersion: v2\nname: demo\nversion: 1.2.3\nappVersion: \"4.5\"\n");
    test::write_text(dir / "src" / "demo" / "charts" / "sub" / "Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n");
    REQUIRE(test::run("tar -czf '" + (dir / "demo.tgz").string() + "' -C '" + (dir / "src").string() + "' demo").exit_code == 0);
    auto info = manifests::read_chart_archive(test::read_text(dir / "demo.tgz"), "demo.tgz");
    CHECK(info.name == "demo");
    CHECK(info.version == "1.2.3");
    CHECK(info.app_version == "4.5");
}

TEST_CASE("bad charts are refused with the reason") {
    CHECK_THROWS_WITH(manifests::parse_chart_yaml("apiVersion: v2\nname: x\n", "c"), Catch::Contains("no 'version'"));
    CHECK_THROWS_WITH(manifests::parse_chart_yaml("apiVersion: v2\nname: x\nversion: 1.0\n", "c"), Catch::Contains("not SemVer"));
    CHECK_THROWS_WITH(manifests::parse_chart_yaml("apiVersion: v3\nname: x\nversion: 1.0.0\n", "c"), Catch::Contains("not v1 or v2"));
    CHECK_THROWS_WITH(manifests::read_chart_archive("not a tarball", "junk.tgz"), Catch::Contains("junk.tgz"));
}
