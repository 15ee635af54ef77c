// The drop folder: complete bundles are imported in arrival order and moved to
// imported/ or rejected/ (with a reason file); files still being written are left alone.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <fstream>

#include "daemon_test_support.hpp"
#include "support/tar_editor.hpp"

using namespace sealift;
namespace fs = std::filesystem;

namespace {

// Copies `from` to `to` by appending in two halves, `pause` apart (a writer that cannot rename).
void copy_slowly(const fs::path& from, const fs::path& to, std::chrono::milliseconds pause) {
    std::string bytes = test::read_text(from);
    {
        std::ofstream out(to, std::ios::binary);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size() / 2));
    }
    std::this_thread::sleep_for(pause);
    std::ofstream out(to, std::ios::binary | std::ios::app);
    out.write(bytes.data() + bytes.size() / 2, static_cast<std::streamsize>(bytes.size() - bytes.size() / 2));
}

}  // namespace

TEST_CASE("drop folder: a bundle written as *.part is left alone, imported once renamed, and its images resolve") {
    test::DaemonSite site;
    site.start();
    REQUIRE(fs::is_directory(site.drop / "imported"));
    REQUIRE(fs::is_directory(site.drop / "rejected"));

    auto part = site.drop / "platform-1.0.0.bundle.part";
    fs::copy_file(site.first_bundle, part);
    std::this_thread::sleep_for(std::chrono::milliseconds(800));  // well past the settle time
    CHECK(fs::exists(part));
    CHECK(site.snapshot()->releases().empty());

    fs::rename(part, site.drop / "platform-1.0.0.bundle");
    REQUIRE(test::eventually([&] { return fs::exists(site.drop / "imported/platform-1.0.0.bundle"); }));
    CHECK_FALSE(fs::exists(site.drop / "platform-1.0.0.bundle"));
    CHECK_FALSE(fs::exists(site.drop / "imported/platform-1.0.0.bundle.reason"));
    auto snap = site.snapshot();
    REQUIRE(snap->releases().size() == 1);
    CHECK(snap->releases()[0].version == "1.0.0");
    auto api = snap->resolve("registry.example.com/platform/api", "1.0.0");
    REQUIRE(api);
    CHECK(api->digest.str() == site.fx.api_digest);

    // Served at once by the daemon's registry listener.
    auto answer = test::curl(site.registry_url() + "/v2/platform/api/manifests/1.0.0",
                             "-I -H 'Accept: application/vnd.oci.image.manifest.v1+json'");
    CHECK(answer.status == 200);
    CHECK(answer.header("docker-content-digest") == site.fx.api_digest);

    // The import is counted by verdict in the metrics.
    auto metrics = test::curl(site.registry_url() + "/metrics").body;
    CHECK_THAT(metrics, Catch::Contains("sealift_imports_total{verdict=\"imported\"} 1"));
    CHECK_THAT(metrics, Catch::Contains("sealift_imports_total{verdict=\"rejected\"} 0"));
}

TEST_CASE("drop folder: a tampered bundle lands in rejected/ with a reason naming the entry") {
    test::DaemonSite site;
    auto tar = test::TarEditor::load(site.first_bundle);
    std::string layer;
    for (auto& e : tar.entries)
        if (e.name().rfind("images/blobs/", 0) == 0 && e.data.size() == 200000) layer = e.name();
    REQUIRE_FALSE(layer.empty());
    tar.at(layer).data[1000] ^= 1;
    auto staged = site.dir / "tampered.bundle";
    tar.save(staged);

    site.start();
    fs::rename(staged, site.drop / "tampered.bundle");
    REQUIRE(test::eventually([&] { return fs::exists(site.drop / "rejected/tampered.bundle"); }));
    auto reason = test::read_text(site.drop / "rejected/tampered.bundle.reason");
    CHECK_THAT(reason, Catch::Contains("entry '" + layer + "' does not match its SHA-256"));
    CHECK(std::count(reason.begin(), reason.end(), '\n') == 1);
    CHECK(reason.back() == '\n');
    CHECK(site.snapshot()->releases().empty());
    CHECK_THAT(test::curl(site.registry_url() + "/metrics").body,
               Catch::Contains("sealift_imports_total{verdict=\"rejected\"} 1"));
}

TEST_CASE(
    "drop folder: bundles already there at start are imported oldest first; a growing file waits until it is stable") {
    test::DaemonSite site;
    fs::create_directories(site.drop);
    auto newer = site.bundle("1.1.0");
    fs::copy_file(site.first_bundle, site.drop / "a-first.bundle");
    fs::copy_file(newer, site.drop / "b-second.bundle");
    // Arrival order is by mtime, not by name: 1.0.0 must go first or 1.1.0 would make it a downgrade.
    fs::last_write_time(site.drop / "a-first.bundle", fs::file_time_type::clock::now() - std::chrono::hours(1));
    fs::rename(site.drop / "a-first.bundle", site.drop / "z-first.bundle");
    site.start();
    REQUIRE(test::eventually([&] {
        return fs::exists(site.drop / "imported/z-first.bundle") && fs::exists(site.drop / "imported/b-second.bundle");
    }));
    auto releases = site.snapshot()->releases();
    REQUIRE(releases.size() == 2);
    CHECK(releases[1].version == "1.1.0");
    CHECK(releases[1].current);

    // Written in place in two halves with a pause shorter than the settle time: taken only when whole.
    auto third = site.bundle("1.2.0");
    copy_slowly(third, site.drop / "c-third.bundle", std::chrono::milliseconds(150));
    REQUIRE(test::eventually([&] { return fs::exists(site.drop / "imported/c-third.bundle"); }));
    CHECK_FALSE(fs::exists(site.drop / "rejected/c-third.bundle"));
    CHECK(site.snapshot()->releases().size() == 3);
}

TEST_CASE("drop folder: a stop lets the running import finish and leaves queued bundles in place") {
    test::DaemonSite site;
    fs::create_directories(site.drop);
    fs::copy_file(site.first_bundle, site.drop / "one.bundle");
    site.start();
    REQUIRE(test::eventually([&] { return fs::exists(site.drop / "imported/one.bundle"); }));
    site.daemon->stop();
    fs::copy_file(site.bundle("1.1.0"), site.drop / "two.bundle");
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    CHECK(fs::exists(site.drop / "two.bundle"));
    // A new daemon takes what it finds.
    site.daemon.reset();
    site.start();
    REQUIRE(test::eventually([&] { return fs::exists(site.drop / "imported/two.bundle"); }));
}

TEST_CASE(
    "drop folder: a named pipe or a symbolic link moved in is rejected with a reason; the next bundle still imports") {
    test::DaemonSite site;
    site.start();
    auto pipe = site.dir / "pipe.bundle";
    REQUIRE(::mkfifo(pipe.c_str(), 0600) == 0);
    fs::rename(pipe, site.drop / "pipe.bundle");
    fs::create_symlink(site.first_bundle, site.dir / "link.bundle");
    fs::rename(site.dir / "link.bundle", site.drop / "link.bundle");
    REQUIRE(test::eventually([&] {
        return fs::exists(site.drop / "rejected/pipe.bundle.reason") &&
               fs::exists(site.drop / "rejected/link.bundle.reason");
    }));
    CHECK(test::read_text(site.drop / "rejected/pipe.bundle.reason") ==
          (site.drop / "pipe.bundle").string() +
              ": not a regular file (symbolic links, folders, pipes and devices are refused)\n");
    CHECK_THAT(test::read_text(site.drop / "rejected/link.bundle.reason"),
               Catch::Contains("link.bundle: not a regular file"));
    CHECK(fs::is_fifo(fs::symlink_status(site.drop / "rejected/pipe.bundle")));

    // The import thread was not left waiting on the pipe.
    fs::copy_file(site.first_bundle, site.dir / "ok.bundle");
    fs::rename(site.dir / "ok.bundle", site.drop / "ok.bundle");
    REQUIRE(test::eventually([&] { return fs::exists(site.drop / "imported/ok.bundle"); }));
    CHECK(site.snapshot()->releases().size() == 1);
}

TEST_CASE("drop folder: a second rejection of the same file name keeps the first one and its reason") {
    test::DaemonSite site;
    auto tar = test::TarEditor::load(site.first_bundle);
    tar.entries.pop_back();  // the last entry missing: refused, the same way each time
    auto broken = site.dir / "broken.bundle";
    tar.save(broken);
    site.start();
    for (int round = 1; round <= 3; ++round) {
        test::write_text(site.dir / "staged", round == 2 ? "not a bundle at all\n" : test::read_text(broken));
        fs::rename(site.dir / "staged", site.drop / "same.bundle");
        std::string kept = round == 1 ? "rejected/same.bundle" : "rejected/same.bundle." + std::to_string(round);
        REQUIRE(test::eventually([&] { return fs::exists(site.drop / (kept + ".reason")); }));
        REQUIRE(test::eventually([&] { return fs::exists(site.drop / kept); }));
    }
    // Each file and its reason beside it: the second (a text file) has a reason of its own.
    CHECK(test::read_text(site.drop / "rejected/same.bundle") == test::read_text(broken));
    CHECK(test::read_text(site.drop / "rejected/same.bundle.2") == "not a bundle at all\n");
    CHECK(test::read_text(site.drop / "rejected/same.bundle.3") == test::read_text(broken));
    CHECK(test::read_text(site.drop / "rejected/same.bundle.reason") ==
          test::read_text(site.drop / "rejected/same.bundle.3.reason"));
    CHECK(test::read_text(site.drop / "rejected/same.bundle.2.reason") !=
          test::read_text(site.drop / "rejected/same.bundle.reason"));
    CHECK_THAT(test::curl(site.registry_url() + "/metrics").body,
               Catch::Contains("sealift_imports_total{verdict=\"rejected\"} 3"));
}

TEST_CASE("daemon: a store folder that is not a store is refused at start, unless create_store makes it") {
    test::DaemonSite site;
    auto config = site.config();
    config.create_store = false;
    auto refusal = test::error_of([&] { site.start(config); }, "STARTED");
    CHECK(refusal == site.store.string() + ": not a Sealift store (create one with `sealift mirror init --store " +
                         site.store.string() + "`)");
    CHECK_FALSE(fs::exists(site.store));
    fs::create_directories(site.store);  // empty, as `install -d` makes it: still not a store
    CHECK(test::error_of([&] { site.start(config); }, "STARTED") == refusal);
    CHECK(fs::is_empty(site.store));

    // The first start creates it when asked to; a folder holding other files is never taken over.
    test::write_text(site.dir / "other" / "notes.txt", "mine\n");
    config.create_store = true;
    config.store = site.dir / "other";
    CHECK_THAT(test::error_of([&] { site.start(config); }, "STARTED"),
               Catch::Contains((site.dir / "other").string() + ": holds files but is not a Sealift store"));
    config.store = site.store;
    site.start(config);
    CHECK(mirror::store::is_store_folder(site.store));
}

TEST_CASE("drop folder: a stop during an import keeps the registry serving until the import has finished") {
    test::DaemonSite site;
    site.start();
    // Hold the store's writer lock: the import stages its blobs, then waits to commit.
    int lock_fd = ::open((site.store / "lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    REQUIRE(lock_fd >= 0);
    REQUIRE(::flock(lock_fd, LOCK_EX) == 0);
    fs::copy_file(site.first_bundle, site.dir / "one.bundle");
    fs::rename(site.dir / "one.bundle", site.drop / "one.bundle");
    auto staged = [&] {
        std::error_code ec;
        for (const auto& e : fs::recursive_directory_iterator(site.store / "tmp", ec))
            if (e.is_regular_file(ec) && e.path().extension() != ".lock") return true;
        return false;
    };
    REQUIRE(test::eventually(staged));

    std::atomic<bool> stopped{false};
    std::thread stopper([&] {
        site.daemon->stop();
        stopped = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    CHECK_FALSE(stopped);
    // New connections are still answered while the import runs.
    for (int i = 0; i < 3; ++i) CHECK(test::curl(site.registry_url() + "/v2/", "-m 5").status == 200);
    CHECK_FALSE(stopped);
    ::flock(lock_fd, LOCK_UN);
    ::close(lock_fd);
    stopper.join();
    CHECK(fs::exists(site.drop / "imported/one.bundle"));
    CHECK(site.snapshot()->releases().size() == 1);
}

TEST_CASE("daemon: a drop folder inside the store is refused at start, naming both, and nothing is moved") {
    test::DaemonSite site;
    site.import(site.first_bundle);
    auto state = test::read_text(site.store / "state.json");
    auto config = site.config();
    config.drop_folder = site.store;
    CHECK_THAT(test::error_of([&] { site.start(config); }, "STARTED"),
               Catch::Contains("drop_folder " + site.store.string() + " is the store " + site.store.string()));
    config.drop_folder = site.store / "receipts";
    CHECK_THAT(test::error_of([&] { site.start(config); }, "STARTED"),
               Catch::Contains("drop_folder " + (site.store / "receipts").string() + " is the store"));
    CHECK(test::read_text(site.store / "state.json") == state);
    CHECK_FALSE(fs::exists(site.store / "rejected"));
}
