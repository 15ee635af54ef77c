// The daemon's background scrub: its config keys, a pass that flags a blob
// whose bytes were damaged on disk, its rate limit, and a prompt stop.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <chrono>

#include "core/error.hpp"
#include "daemon_test_support.hpp"
#include "mirror/daemon/daemon.hpp"
#include "mirror/daemon/scrubber.hpp"
#include "mirror/store/corrupt_blobs.hpp"

using namespace sealift;
namespace md = sealift::mirror::daemon;
namespace st = sealift::mirror::store;
namespace fs = std::filesystem;

namespace {

std::uint64_t blob_bytes(const fs::path& store) {
    std::uint64_t n = 0;
    for (const auto& e : fs::directory_iterator(store / "blobs" / "sha256"))
        if (e.path().extension().empty()) n += e.file_size();  // blobs, not their .corrupt flags
    return n;
}

// A log written to a file, to read back what the scrubber said.
struct FileLog {
    test::TempDir dir;
    fs::path path = dir / "log";
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    md::JsonLog log{md::LogLevel::info, fd};
    ~FileLog() { ::close(fd); }
    std::string text() const { return test::read_text(path); }
};

}  // namespace

TEST_CASE("daemon scrub: config keys, defaults, refusals") {
    test::TempDir dir;
    auto file = dir / "mirror.yaml";
    auto defaults = md::load_daemon_config({}, {{"SEALIFT_MIRROR_STORE", "/srv/store"}});
    CHECK(defaults.scrub_interval == std::chrono::hours(24 * 7));
    CHECK(defaults.scrub_max_bytes_per_second == 20'000'000);
    test::write_text(file, "store: s\nscrub:\n  interval: 1d\n  max_bytes_per_second: 50MiB\n");
    auto c = md::load_daemon_config(file, {});
    CHECK(c.scrub_interval == std::chrono::hours(24));
    CHECK(c.scrub_max_bytes_per_second == 50u * 1024 * 1024);
    CHECK(
        md::load_daemon_config(file, {{"SEALIFT_MIRROR_SCRUB_MAX_BYTES_PER_SECOND", "0"}}).scrub_max_bytes_per_second ==
        0);
    test::write_text(file, "store: s\nscrub:\n  max_bytes_per_second: fast\n");
    CHECK(test::error_of([&] { md::load_daemon_config(file, {}); }) ==
          file.string() + ":3:25: key 'scrub.max_bytes_per_second': 'fast' is not a size (20MB, 50MiB, 0)");
    CHECK_THAT(md::daemon_config_help(),
               Catch::Contains("scrub.interval:") && Catch::Contains("SEALIFT_MIRROR_SCRUB_MAX_BYTES_PER_SECOND"));
}

TEST_CASE("daemon scrub: a pass flags a blob with a flipped byte, once; an import of the bundle replaces it") {
    test::StoreSite site;
    site.import(site.first_bundle);
    auto snapshot = site.snapshot();
    const auto* repo = snapshot->repository("registry.example.com/platform/api");
    REQUIRE(repo);
    Digest layer = repo->blobs.begin()->first;
    auto file = snapshot->blob_path(layer);
    std::string bytes = test::read_text(file);
    bytes[bytes.size() / 2] ^= 0x01;
    test::write_text(file, bytes);

    FileLog log;
    auto corrupt = std::make_shared<st::CorruptBlobs>(site.store);
    md::Scrubber scrubber(site.store, corrupt, {std::chrono::hours(1), 0, std::chrono::seconds(0)}, log.log);
    auto pass = scrubber.run_pass();
    CHECK(pass.completed);
    CHECK(pass.flagged == std::vector<Digest>{layer});
    CHECK(pass.bytes_checked == blob_bytes(site.store));
    CHECK(st::flagged_corrupt(file));
    CHECK(st::corrupt_flag_record(file)["foundBy"] == "scrub");
    CHECK(corrupt->found() == 1);
    CHECK_THAT(log.text(), Catch::Contains("\"event\":\"corrupt_blob\"") && Catch::Contains(layer.str()));
    CHECK_THAT(test::read_text(site.store / "audit.log"),
               Catch::Contains("\"action\":\"corrupt-blob\"") && Catch::Contains("\"foundBy\":\"scrub\""));
    // Known now: the next pass skips it and flags nothing new.
    auto next = scrubber.run_pass();
    CHECK(next.flagged.empty());
    CHECK(next.blobs_checked == pass.blobs_checked - 1);
    CHECK(scrubber.passes_completed() == 2);
    // An import of the bundle replaces the flagged copy; the pass after finds the store sound.
    CHECK(site.import(site.first_bundle).blobs_replaced == 1);
    CHECK_FALSE(st::flagged_corrupt(file));
    CHECK(scrubber.run_pass().flagged.empty());
}

TEST_CASE("daemon scrub: a pass reads no faster than max_bytes_per_second; stop() ends a slow pass at once") {
    test::StoreSite site;
    site.import(site.first_bundle);
    FileLog log;
    auto corrupt = std::make_shared<st::CorruptBlobs>(site.store);
    std::uint64_t total = blob_bytes(site.store);
    {
        // At twice the store's size per second, a pass takes half a second.
        md::Scrubber paced(site.store, corrupt, {std::chrono::hours(1), total * 2, std::chrono::seconds(0)}, log.log);
        auto t0 = std::chrono::steady_clock::now();
        CHECK(paced.run_pass().completed);
        CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(450));
    }
    md::Scrubber slow(site.store, corrupt, {std::chrono::hours(1), 1000, std::chrono::seconds(0)}, log.log);
    slow.start();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    auto t0 = std::chrono::steady_clock::now();
    slow.stop();
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2));
    CHECK(slow.passes_completed() == 0);
    CHECK(slow.bytes_checked() > 0);
}

TEST_CASE("daemon: a blob flagged corrupt is answered 404, counted in /metrics, and served again once re-imported") {
    test::DaemonSite site;
    site.import(site.first_bundle);
    site.start();
    auto snapshot = site.snapshot();
    Digest layer = snapshot->repository("registry.example.com/platform/api")->blobs.begin()->first;
    std::string url = site.registry_url() + "/v2/registry.example.com/platform/api/blobs/" + layer.str();
    REQUIRE(test::curl(url).status == 200);
    st::CorruptBlobs(site.store).flag(layer, "scrub", "test");
    auto refused = test::curl(url);
    CHECK(refused.status == 404);
    CHECK(test::error_code(refused) == "BLOB_UNKNOWN");
    auto metrics = test::curl(site.registry_url() + "/metrics").body;
    CHECK_THAT(metrics, Catch::Contains("sealift_corrupt_blob_refusals_total 1\n") &&
                            Catch::Contains("sealift_scrub_passes_total 0\n"));
    CHECK_THAT(test::read_text(site.store / "audit.log"), Catch::Contains("\"verdict\":\"refused\""));
    CHECK(site.import(site.first_bundle).blobs_replaced == 1);
    CHECK(test::curl(url).status == 200);
}
