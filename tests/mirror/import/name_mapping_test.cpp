#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "mirror/import/name_mapping.hpp"
#include "support/support.hpp"

using namespace sealift;
using namespace sealift::mirror;

TEST_CASE("targets parse as HOST[:PORT][/PREFIX]") {
    auto t = registry::Target::parse("registry.local:5000/mirror/site-a/");
    CHECK(t.host == "registry.local:5000");
    CHECK(t.prefix == "mirror/site-a");
    CHECK(registry::Target::parse("https://127.0.0.1:5000").prefix.empty());
    CHECK_THROWS_WITH(registry::Target::parse("/x"), Catch::Contains("want HOST[:PORT][/PREFIX]"));
    CHECK_THROWS_WITH(registry::Target::parse("host/Upper"), Catch::Contains("invalid target prefix"));
}

TEST_CASE("by default the registry host is dropped and the prefix put in front") {
    NameMapping names(registry::Target::parse("h:5000/mirror"));
    CHECK(names.repository("registry.example.com/platform/api") == "mirror/platform/api");
    CHECK(names.chart_repository("platform-core") == "mirror/charts/platform-core");
    NameMapping bare(registry::Target::parse("h:5000"));
    CHECK(bare.repository("docker.io/library/nginx") == "library/nginx");
}

TEST_CASE("rules map registries and paths, longest match first") {
    test::TempDir dir;
    test::write_text(
        dir / "rules.yaml",
        "rules:\n  - from: registry.example.com/platform\n    to: team-a\n"
        "  - from: registry.example.com\n    to: vendor\n  - from: quay.io/acme/tool\n    to: tools/acme\n");
    NameMapping names(registry::Target::parse("h/site"), dir / "rules.yaml");
    CHECK(names.repository("registry.example.com/platform/api") == "site/team-a/api");
    CHECK(names.repository("registry.example.com/other/x") == "site/vendor/other/x");
    CHECK(names.repository("quay.io/acme/tool") == "site/tools/acme");
    CHECK(names.repository("registry.example.com/platformer/x") ==
          "site/vendor/platformer/x");  // whole components only
    test::write_text(dir / "bad.yaml", "rules:\n  - from: a\n    to: Not/Valid\n");
    CHECK_THROWS_WITH(NameMapping(registry::Target::parse("h"), dir / "bad.yaml"),
                      Catch::Contains("bad.yaml:2") && Catch::Contains("not a valid repository"));
    test::write_text(dir / "list.yaml", "rules:\n  - from: a\n    to: b\n  - from: [x, y]\n    to: c\n");
    CHECK_THROWS_WITH(NameMapping(registry::Target::parse("h"), dir / "list.yaml"),
                      Catch::Equals((dir / "list.yaml").string() + ":4: `from` is not a string"));
}

TEST_CASE("two sources landing on one repository is an error naming both") {
    NameMapping names(registry::Target::parse("h"));
    CHECK_THROWS_WITH(names.check_collisions({"registry.example.com/platform/api", "quay.io/platform/api"}),
                      Catch::Contains("registry.example.com/platform/api") && Catch::Contains("quay.io/platform/api") &&
                          Catch::Contains("h/platform/api"));
    CHECK_NOTHROW(names.check_collisions({"registry.example.com/platform/api", "registry.example.com/platform/api"}));
}
