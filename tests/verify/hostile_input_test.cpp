// Input that once crashed the verifier (SIGSEGV on a truncated chart, UB on an
// empty folder name), hung it (a FIFO) or escaped as a library's exception
// (1e999, bytes that are not UTF-8): each is now a format or io refusal naming it.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "core/error.hpp"
#include "support/hostile_bundles.hpp"
#include "support/release_fixture.hpp"
#include "verify/verify.hpp"

using namespace sealift;

TEST_CASE("hostile bundles: each is refused as a format error naming the entry, re-signed or not") {
    test::ReleaseFixture fx;
    auto good = fx.build();
    for (const auto& h : test::hostile_bundles(good, fx.release_key, fx.dir.path())) {
        INFO(h.what);
        try {
            verify::verify_bundle(h.bundle, fx.root(), {});
            FAIL("verified");
        } catch (const Error& e) {
            CHECK(e.code() == Errc::format);
            CHECK_THAT(e.what(), Catch::Contains(h.names));
        }
    }
}

TEST_CASE("hostile bundles: a FIFO as the bundle is refused at once, not waited on") {
    test::ReleaseFixture fx;
    auto fifo = fx.dir / "pipe.bundle";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK_THROWS_WITH(verify::verify_bundle(fifo, fx.root(), {}),
                      Catch::Contains(fifo.string() + ": is a FIFO (named pipe), not a regular file"));
    CHECK_THROWS_WITH(verify::inspect_bundle(fifo),
                      Catch::Contains(fifo.string() + ": is a FIFO (named pipe), not a regular file"));
}
