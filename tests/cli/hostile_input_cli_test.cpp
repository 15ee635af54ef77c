// What a user or an attacker can name on the command line that once hung or
// crashed sealift: a FIFO in place of any input file (it waited for a writer
// forever), a truncated chart archive (SIGSEGV), a hostile bundle (reported as
// "internal error"). Each is now one line naming the file, and a non-zero exit.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "core/json.hpp"
#include "support/hostile_bundles.hpp"
#include "support/release_fixture.hpp"

using namespace sealift;

namespace {

std::string q(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

// The command run with a time limit: a hang shows as exit 124 from timeout(1).
test::CommandResult run_bounded(const std::string& command) { return test::run("timeout 60 " + command); }

// `file` replaced by a FIFO nobody writes to.
void make_fifo(const std::filesystem::path& file) {
    std::filesystem::remove(file);
    REQUIRE(::mkfifo(file.c_str(), 0600) == 0);
}

void check_refused_naming(const test::CommandResult& r, const std::filesystem::path& fifo) {
    CHECK(r.exit_code != 0);
    CHECK(r.exit_code != 124);  // not killed by the time limit
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK_THAT(r.err, Catch::Contains(fifo.string() + ": is a FIFO (named pipe), not a regular file"));
}

}  // namespace

TEST_CASE("cli: a FIFO as the bundle of verify, inspect and mirror import is refused at once, naming it") {
    test::ReleaseFixture fx;
    const std::string sealift = test::sealift_binary();
    auto fifo = fx.dir / "pipe.bundle";
    make_fifo(fifo);
    check_refused_naming(run_bounded(sealift + " verify -q " + q(fifo) + " --trust " + q(fx.trust_file)), fifo);
    check_refused_naming(run_bounded(sealift + " inspect " + q(fifo)), fifo);
    check_refused_naming(run_bounded(sealift + " mirror import -q " + q(fifo) + " --trust " + q(fx.trust_file) +
                                     " --create --store " + q(fx.dir / "store")),
                         fifo);
    // --to reaches the registry first; with none listening it must still end, not wait on the FIFO.
    auto to =
        run_bounded(sealift + " mirror import -q " + q(fifo) + " --trust " + q(fx.trust_file) +
                    " --to 127.0.0.1:1 --site-key " + q(fx.release_key) + " --receipt " + q(fx.dir / "receipt.json"));
    CHECK(to.exit_code != 0);
    CHECK(to.exit_code != 124);
}

TEST_CASE("cli: a FIFO as the trust root is refused at once, naming it") {
    test::ReleaseFixture fx;
    auto bundle = fx.build();
    const std::string sealift = test::sealift_binary();
    auto fifo = fx.dir / "trust-pipe.json";
    make_fifo(fifo);
    check_refused_naming(run_bounded(sealift + " verify -q " + q(bundle) + " --trust " + q(fifo)), fifo);
    check_refused_naming(run_bounded(sealift + " mirror import -q " + q(bundle) + " --trust " + q(fifo) +
                                     " --create --store " + q(fx.dir / "store")),
                         fifo);
}

TEST_CASE("cli: a FIFO as the release file, an SBOM or the release notes of build is refused at once, naming it") {
    const std::string sealift = test::sealift_binary();
    for (std::string input : {"release.yaml", "sboms/api.cdx.json", "RELEASE_NOTES.md"}) {
        INFO(input);
        test::ReleaseFixture fx;
        fx.build();  // writes release.yaml
        make_fifo(fx.dir / input);
        auto r = run_bounded(sealift + " build -q -f " + q(fx.release_yaml) + " --key " + q(fx.release_key) + " -o " +
                             q(fx.dir / "cli-out"));
        CHECK(r.exit_code != 0);
        CHECK(r.exit_code != 124);  // not killed by the time limit
        // The release file is named by its path; inputs it names, by its line and their name there.
        CHECK_THAT(r.err, input == "release.yaml" ? Catch::Contains((fx.dir / input).string() +
                                                                    ": is a FIFO (named pipe), not a regular file")
                                                  : Catch::Contains("'" + input + "' is not a regular file"));
        CHECK_FALSE(std::filesystem::exists(fx.dir / "cli-out" / "platform-1.0.0-stable.bundle"));
    }
}

TEST_CASE("cli: build refuses a chart archive cut short in its gzip stream, naming it") {
    test::ReleaseFixture fx;
    fx.build();  // writes release.yaml
    std::filesystem::remove_all(fx.dir / "chart");
    test::write_text(fx.dir / "chart", test::truncated_chart());  // charts: - path: chart, now a packaged chart
    auto r = run_bounded(test::sealift_binary() + " build -q -f " + q(fx.release_yaml) + " --key " + q(fx.release_key) +
                         " -o " + q(fx.dir / "cli-out"));
    CHECK(r.exit_code == 1);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK_THAT(r.err, Catch::Contains((fx.dir / "chart").string() + ": not a "));
}

TEST_CASE("cli: verify refuses each hostile bundle with one line naming the entry, never 'internal error'") {
    test::ReleaseFixture fx;
    auto good = fx.build();
    for (const auto& h : test::hostile_bundles(good, fx.release_key, fx.dir.path())) {
        INFO(h.what);
        auto r = run_bounded(test::sealift_binary() + " verify -q " + q(h.bundle) + " --trust " + q(fx.trust_file));
        CHECK(r.exit_code == 1);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        CHECK_THAT(r.err, Catch::Contains(h.names) && !Catch::Contains("internal error"));
        auto js =
            run_bounded(test::sealift_binary() + " verify -q --json " + q(h.bundle) + " --trust " + q(fx.trust_file));
        CHECK(js.exit_code == 1);
        CHECK_NOTHROW(Json::parse(js.out));  // a report, whatever bytes the entry name had
    }
}
