// Imports into the embedded mirror's store: what a snapshot serves afterwards,
// dedup, tampered bundles, idempotence, rollback protection and the audit log.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <sstream>
#include <thread>
#include <vector>

#include "core/json.hpp"
#include "manifests/oci.hpp"
#include "support/store_test_support.hpp"
#include "support/tar_editor.hpp"

using namespace sealift;
namespace st = sealift::mirror::store;

namespace {

std::vector<Json> audit_lines(const std::filesystem::path& store) {
    std::vector<Json> out;
    std::istringstream in(test::read_text(store / "audit.log"));
    for (std::string line; std::getline(in, line);) out.push_back(Json::parse(line));
    return out;
}

// Delivers its bytes, then fails instead of ending, as a download whose digest did not match.
class FailingSource : public ByteSource {
public:
    explicit FailingSource(std::string data) : data_(std::move(data)) {}
    std::size_t read(void* buf, std::size_t size) override {
        if (pos_ == data_.size()) fail(Errc::integrity, "upstream: content hashes to something else");
        std::size_t n = std::min(size, data_.size() - pos_);
        std::memcpy(buf, data_.data() + pos_, n);
        pos_ += n;
        return n;
    }

private:
    std::string data_;
    std::size_t pos_ = 0;
};

std::size_t staged_files(const std::filesystem::path& store) {
    std::size_t n = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(store / "tmp"))
        if (e.is_regular_file() && e.path().extension() != ".lock") ++n;
    return n;
}

}  // namespace

TEST_CASE("store import: every image, chart and SBOM referrer resolves with its digest and media type") {
    test::StoreSite site;
    auto report = site.import(site.first_bundle);
    CHECK(report.name == "platform");
    CHECK(report.version == "1.0.0");
    CHECK(report.channel == "stable");
    CHECK_FALSE(report.already_imported);
    CHECK(report.artifacts.size() == 4);

    auto snap = site.snapshot();
    CHECK(snap->repositories() == std::vector<std::string>{"charts/platform-core", "registry.example.com/platform/api",
                                                           "registry.example.com/platform/web"});
    CHECK(snap->tags("registry.example.com/platform/api") == std::vector<std::string>{"1.0.0"});
    auto api = snap->resolve("registry.example.com/platform/api", "1.0.0");
    REQUIRE(api);
    CHECK(api->digest.str() == site.fx.api_digest);
    CHECK(api->media_type == manifests::media_type::oci_manifest);
    CHECK(snap->resolve("registry.example.com/platform/api", site.fx.api_digest)->size == api->size);
    CHECK_FALSE(snap->resolve("registry.example.com/platform/api", "2.0.0"));
    CHECK_FALSE(snap->resolve("registry.example.com/platform/nope", "1.0.0"));

    // The manifest file is the blob of its digest, and every layer of the image is served from its repository.
    CHECK(Sha256::of(test::read_text(snap->blob_path(api->digest))) == api->digest);
    auto manifest = Json::parse(test::read_text(snap->blob_path(api->digest)));
    for (const auto& layer : manifest["layers"]) {
        auto d = Digest::parse(layer["digest"].get<std::string>());
        CHECK(snap->blob_size("registry.example.com/platform/api", d) == layer["size"].get<std::uint64_t>());
        CHECK(Sha256::of(test::read_text(snap->blob_path(d))) == d);
        CHECK_FALSE(snap->blob_size("charts/platform-core", d));
    }

    auto chart = snap->resolve("charts/platform-core", "1.0.0");
    REQUIRE(chart);
    CHECK(chart->media_type == manifests::media_type::oci_manifest);
    auto chart_manifest = Json::parse(test::read_text(snap->blob_path(chart->digest)));
    CHECK(chart_manifest["config"]["mediaType"] == manifests::media_type::helm_config);
    CHECK(chart_manifest["layers"][0]["mediaType"] == manifests::media_type::helm_chart);

    auto refs = snap->referrers("registry.example.com/platform/api", api->digest);
    REQUIRE(refs.size() == 1);
    CHECK(refs[0].artifact_type == "application/vnd.cyclonedx+json");
    CHECK(snap->referrers("registry.example.com/platform/api", api->digest, "application/spdx+json").empty());
    auto sbom_manifest = Json::parse(test::read_text(snap->blob_path(refs[0].digest)));
    CHECK(sbom_manifest["subject"]["digest"] == site.fx.api_digest);
    CHECK(snap->resolve("registry.example.com/platform/api", refs[0].digest.str()));

    REQUIRE(snap->releases().size() == 1);
    CHECK(snap->releases()[0].current);
    CHECK(snap->releases()[0].manifest_digest == report.manifest_digest);
}

TEST_CASE("store import: blobs shared by two releases are stored once; the same bundle again is a no-op") {
    test::StoreSite site;
    auto first = site.import(site.first_bundle);
    auto blobs_after_first = std::distance(std::filesystem::directory_iterator(site.store / "blobs" / "sha256"), {});
    auto again = site.import(site.first_bundle);
    CHECK(again.already_imported);
    CHECK(again.blobs_written == 0);
    auto next = site.import(site.bundle("1.1.0"));
    CHECK_FALSE(next.already_imported);
    CHECK(next.blobs_present >= 1);  // the base layer both versions share
    auto blobs_after_second = std::distance(std::filesystem::directory_iterator(site.store / "blobs" / "sha256"), {});
    CHECK(blobs_after_second < 2 * blobs_after_first);

    auto snap = site.snapshot();
    CHECK(snap->tags("registry.example.com/platform/api") == std::vector<std::string>{"1.0.0", "1.1.0"});
    REQUIRE(snap->releases().size() == 2);
    CHECK_FALSE(snap->releases()[0].current);
    CHECK(snap->releases()[1].version == "1.1.0");
    CHECK(snap->releases()[1].current);
    CHECK(std::filesystem::is_empty(site.store / "tmp"));
}

TEST_CASE("store import: a tampered bundle leaves the store's visible state byte-identical") {
    test::StoreSite site;
    site.import(site.first_bundle);
    auto before = site.visible_state();
    auto bundle = site.bundle("1.1.0");
    auto tar = test::TarEditor::load(bundle);
    std::string layer;
    for (auto& e : tar.entries)
        if (e.name().rfind("images/blobs/", 0) == 0 && e.data.size() == 200000) layer = e.name();
    REQUIRE_FALSE(layer.empty());
    tar.at(layer).data[1000] ^= 1;
    auto bad = site.dir / "bad.bundle";
    tar.save(bad);
    CHECK_THAT(site.refusal(bad), Catch::Contains("entry '" + layer + "' does not match its SHA-256"));
    CHECK(site.visible_state() == before);
    CHECK(std::filesystem::is_empty(site.store / "tmp"));
    auto audit = audit_lines(site.store);
    REQUIRE(audit.size() == 2);
    CHECK(audit[1]["verdict"] == "rejected");
    CHECK(audit[1]["version"] == "1.1.0");
    CHECK_THAT(audit[1]["reason"].get<std::string>(), Catch::Contains(layer));
}

TEST_CASE(
    "store import: an older version than current is refused with the way out; same version, other bundle refused") {
    test::StoreSite site;
    auto old_bundle = site.bundle("0.9.0");
    site.import(site.bundle("1.2.0"));
    auto before = site.visible_state();
    auto refusal = site.refusal(old_bundle);
    CHECK_THAT(refusal, Catch::Contains("release platform 0.9.0 (stable) is older than the current version 1.2.0") &&
                            Catch::Contains("sealift mirror rollback platform --channel stable --to VERSION --store " +
                                            site.store.string()));
    CHECK(refusal.find('\n') == std::string::npos);
    // A rebuild of 1.2.0 with other release notes is a different bundle under the same version.
    auto& other = *site.others.emplace_back(std::make_unique<test::ReleaseFixture>("1.2.0"));
    test::write_text(other.dir / "RELEASE_NOTES.md", "# Release 1.2.0, rebuilt\n");
    auto rebuilt = other.build({site.fx.release_key});
    CHECK_THAT(site.refusal(rebuilt),
               Catch::Contains("release platform 1.2.0 (stable) was imported from a different bundle"));
    CHECK(site.visible_state() == before);
    // Other channels keep their own versions.
    CHECK(site.refusal(site.bundle("1.0.0", "lts")) == "IMPORTED");
}

TEST_CASE("store import: the audit log records imports, no-ops and refusals with digest and signers") {
    test::StoreSite site;
    auto r = site.import(site.first_bundle);
    site.import(site.first_bundle);
    auto& short_lived = *site.others.emplace_back(std::make_unique<test::ReleaseFixture>("2.0.0"));
    short_lived.min_validity = "0s";
    auto expired = short_lived.build({site.fx.release_key}, "2s");
    std::this_thread::sleep_for(std::chrono::seconds(3));
    CHECK_THAT(site.refusal(expired), Catch::Contains("bundle expired at"));
    auto lines = audit_lines(site.store);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0]["action"] == "import");
    CHECK(lines[0]["verdict"] == "accepted");
    CHECK(lines[0]["bundleDigest"] == r.manifest_digest.str());
    CHECK(lines[0]["signers"] == r.signer_keyids);
    CHECK(lines[0]["name"] == "platform");
    CHECK(lines[0]["channel"] == "stable");
    CHECK_FALSE(lines[0]["time"].get<std::string>().empty());
    CHECK(lines[1]["verdict"] == "unchanged");
    CHECK(lines[2]["verdict"] == "rejected");
    CHECK_THAT(lines[2]["reason"].get<std::string>(), Catch::Contains("expired"));
}

TEST_CASE(
    "store ingest_blob (pull-through cache): wrong bytes leave nothing; a verifying source's failure neither; several "
    "at once") {
    test::TempDir dir;
    st::create_store(dir / "store");
    auto store = st::Store::open(dir / "store");
    std::string bytes(300000, 'x');
    Digest digest = Sha256::of(bytes);

    MemorySource wrong(bytes + "!");
    try {
        store->ingest_blob(wrong, digest);
        FAIL("a blob whose bytes do not match its digest was stored");
    } catch (const Error& e) {
        CHECK(e.code() == Errc::integrity);
        CHECK_THAT(e.what(),
                   Catch::Contains("blob " + digest.str() + ": content has digest " + Sha256::of(bytes + "!").str()));
    }
    FailingSource failing(bytes);
    CHECK_THROWS_WITH(store->ingest_blob(failing, digest, bytes.size(), true),
                      Catch::Contains("content hashes to something else"));
    CHECK_FALSE(std::filesystem::exists(dir / "store/blobs/sha256" / std::string(digest.hex())));
    CHECK(staged_files(dir / "store") == 0);

    MemorySource right(bytes);
    CHECK(store->ingest_blob(right, digest, bytes.size(), true) == bytes.size());
    CHECK(test::read_text(dir / "store/blobs/sha256" / std::string(digest.hex())) == bytes);

    // Concurrent requests share the store's staging folder.
    std::vector<std::thread> threads;
    std::vector<std::string> failures(4);
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            try {
                for (int i = 0; i < 50; ++i) {
                    std::string blob = "blob " + std::to_string(t) + "/" + std::to_string(i);
                    MemorySource source(blob);
                    store->ingest_blob(source, Sha256::of(blob), blob.size());
                }
            } catch (const Error& e) {
                failures[t] = e.what();
            }
        });
    for (auto& t : threads) t.join();
    CHECK(failures == std::vector<std::string>(4));
    for (int t = 0; t < 4; ++t)
        for (int i = 0; i < 50; ++i) {
            std::string blob = "blob " + std::to_string(t) + "/" + std::to_string(i);
            CHECK(test::read_text(dir / "store/blobs/sha256" / std::string(Sha256::of(blob).hex())) == blob);
        }
    CHECK(staged_files(dir / "store") == 0);
}

// The free-space verdict reads the filesystem the store would live on: a small
// tmpfs, mounted in a mount namespace of its own so it vanishes with the shell.
TEST_CASE("store dry run: a filesystem too small for the import is 'does NOT fit', exit 1, and nothing is written") {
    test::StoreSite site;
    std::filesystem::path mount = site.dir / "small";
    std::filesystem::create_directories(mount);
    auto dry_run_on = [&](const std::string& size) {
        return test::run("unshare -m sh -c \"mount -t tmpfs -o size=" + size + " tmpfs '" + mount.string() + "' && " +
                         test::sealift_binary() + " mirror import '" + site.first_bundle.string() + "' --trust '" +
                         site.fx.trust_file.string() + "' --store '" + (mount / "store").string() +
                         "' --create --dry-run --json; rc=\\$?; echo written: \\$(ls -A '" + mount.string() +
                         "'); exit \\$rc\"");
    };
    auto small = dry_run_on("1m");
    INFO(small.out << small.err);
    REQUIRE(small.out.find("written:") != std::string::npos);
    CHECK(small.exit_code == 1);
    CHECK_THAT(small.err, Catch::Contains("the import would fail: not enough free space for"));
    auto report = Json::parse(small.out.substr(0, small.out.find("written:")));
    CHECK(report["fits"] == false);
    CHECK(report["freeBytes"].get<std::uint64_t>() <= (1u << 20));
    CHECK(report["bytesToWrite"].get<std::uint64_t>() > 0);
    CHECK_THAT(small.out, Catch::EndsWith("written:\n"));  // not even the store folder

    auto roomy = dry_run_on("256m");  // tmpfs takes memory only for what is written
    INFO(roomy.out << roomy.err);
    CHECK(roomy.exit_code == 0);
    CHECK(Json::parse(roomy.out.substr(0, roomy.out.find("written:")))["fits"] == true);
    CHECK_THAT(roomy.out, Catch::EndsWith("written:\n"));
    CHECK_FALSE(std::filesystem::exists(mount / "store"));

    test::write_text(site.dir / "a-file", "not a store\n");
    auto on_file = test::run(test::sealift_binary() + " mirror import '" + site.first_bundle.string() + "' --trust '" +
                             site.fx.trust_file.string() + "' --store '" + (site.dir / "a-file").string() +
                             "' --create --dry-run");
    CHECK(on_file.exit_code == 2);
    CHECK_THAT(on_file.err, Catch::Contains((site.dir / "a-file").string() + ": the store is not a folder"));
}
