#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "manifests/semver.hpp"

using sealift::manifests::SemVer;

TEST_CASE("SemVer 2.0 parsing") {
    auto v = SemVer::parse("1.20.3-rc.1+build.5");
    CHECK(v.major() == 1);
    CHECK(v.minor() == 20);
    CHECK(v.patch() == 3);
    CHECK(v.prerelease());
    for (const char* bad :
         {"1.0", "1.0.0.0", "01.0.0", "1.0.0-", "1.0.0-01", "1.0.0+", "v1.0.0", "1.0.0-a..b", "1.0.x", ""})
        CHECK_FALSE(SemVer::valid(bad));
    CHECK_THROWS_WITH(SemVer::parse("01.2.3"), Catch::Contains("'01' has a leading zero"));
}

TEST_CASE("SemVer precedence follows the spec's example order") {
    const char* ordered[] = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
                             "1.0.0-beta",  "1.0.0-beta.2",  "1.0.0-beta.11",
                             "1.0.0-rc.1",  "1.0.0",         "1.0.1",
                             "1.1.0",       "2.0.0",         "10.0.0"};
    for (std::size_t i = 0; i + 1 < std::size(ordered); ++i) {
        INFO(ordered[i] << " < " << ordered[i + 1]);
        CHECK(SemVer::parse(ordered[i]) < SemVer::parse(ordered[i + 1]));
        CHECK_FALSE(SemVer::parse(ordered[i + 1]) < SemVer::parse(ordered[i]));
    }
    CHECK(SemVer::parse("1.0.0+a") == SemVer::parse("1.0.0+b"));
}
