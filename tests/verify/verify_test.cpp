#include <catch2/catch.hpp>

#include <map>
#include <mutex>
#include <set>

#include "core/digest.hpp"
#include "core/error.hpp"
#include "support/release_fixture.hpp"
#include "verify/verify.hpp"

using namespace sealift;

namespace {

struct RecordingSink : verify::EntrySink {
    std::vector<std::string> order, types;
    std::uint64_t bytes = 0;
    bool manifest_first = false;
    void on_manifest(const manifests::BundleManifest&) override { manifest_first = order.empty(); }
    void on_entry_begin(const manifests::BundleEntry& e) override {
        order.push_back(e.path);
        types.push_back(e.media_type);
    }
    void on_entry_data(const manifests::BundleEntry&, const char*, std::size_t n) override { bytes += n; }
};

}  // namespace

TEST_CASE("a built bundle verifies and reports its release") {
    test::ReleaseFixture fx;
    auto bundle = fx.build();
    CHECK(bundle.filename() == "platform-1.0.0-stable.bundle");
    RecordingSink sink;
    auto report = verify::verify_bundle(bundle, fx.root(), {}, &sink);
    CHECK(report.manifest.name == "platform");
    CHECK(report.manifest.images.size() == 2);
    CHECK(report.manifest.charts.size() == 1);
    CHECK(report.manifest.sboms.size() == 1);
    CHECK(report.signer_keyids.size() == 1);
    CHECK(sink.manifest_first);
    // Every listed entry streamed through the sink, and the payload adds up.
    CHECK(sink.order.size() == report.manifest.entries.size());
    std::uint64_t listed = 0;
    for (const auto& e : report.manifest.entries) listed += e.size;
    CHECK(sink.bytes == listed);
    // Manifests come before layers so a streaming reader knows each image first.
    std::size_t last_manifest = 0, first_layer = sink.types.size();
    for (std::size_t i = 0; i < sink.types.size(); ++i) {
        if (sink.types[i] == "application/vnd.oci.image.manifest.v1+json") last_manifest = i;
        if (sink.types[i].find("layer") != std::string::npos) first_layer = std::min(first_layer, i);
    }
    CHECK(last_manifest < first_layer);
    CHECK(sink.order.front() == "SHA256SUMS");
}

TEST_CASE("inspect reads only the signed metadata") {
    test::ReleaseFixture fx;
    auto in = verify::inspect_bundle(fx.build());
    CHECK(in.manifest.version.str() == "1.0.0");
    CHECK(in.signatures.size() == 1);
    CHECK(in.manifest.find("SHA256SUMS"));
}

TEST_CASE("builds are reproducible whatever the thread count") {
    test::ReleaseFixture fx;
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    fx.threads = 1;
    auto a = fx.build({}, "200000d", fx.dir / "a");
    fx.threads = 7;
    auto b = fx.build({}, "200000d", fx.dir / "b");
    unsetenv("SOURCE_DATE_EPOCH");
    CHECK(test::read_text(a) == test::read_text(b));
    auto r = test::run("cmp '" + a.string() + "' '" + b.string() + "'");
    CHECK(r.exit_code == 0);
}

TEST_CASE("expiry: an expired bundle and an expired root are refused") {
    test::ReleaseFixture fx;
    auto bundle = fx.build({}, "40d");  // the shortest a build allows is --min-validity, 30d
    auto root = fx.root();
    verify::VerifyOptions later;
    later.now = now_seconds() + std::chrono::hours(24 * 50);
    CHECK_THROWS_WITH(verify::verify_bundle(bundle, root, later), Catch::Contains("bundle expired at"));
    auto long_lived = fx.build({}, "730d", fx.dir / "long");
    later.now = now_seconds() + std::chrono::hours(24 * 400);
    CHECK_THROWS_WITH(verify::verify_bundle(long_lived, root, later), Catch::Contains("expired"));
    try {
        verify::verify_bundle(long_lived, root, later);
    } catch (const Error& e) {
        CHECK(e.code() == Errc::policy);
        CHECK(std::string(e.what()).find("root") != std::string::npos);
    }
}

namespace {

// Large incompressible layers are stored raw, so the verifier hashes them on its worker threads.
std::string noise(std::size_t n, std::uint64_t x) {
    std::string data(n, '\0');
    for (auto& c : data) x ^= x << 13, x ^= x >> 7, x ^= x << 17, c = static_cast<char>(x);
    return data;
}

struct ParallelSink : verify::EntrySink {
    std::mutex mu;
    std::map<std::string, std::string> received;  // entry path -> bytes, from either path
    std::set<std::string> finished;
    std::string current;
    unsigned parallel_entries() const override { return 3; }
    void on_entry_begin(const manifests::BundleEntry& e) override { current = e.path; }
    void on_entry_data(const manifests::BundleEntry&, const char* d, std::size_t n) override {
        received[current].append(d, n);
    }
    void on_entry_end(const manifests::BundleEntry& e) override { finished.insert(e.path); }

    struct Stream : EntryStream {
        ParallelSink& sink;
        std::string path, bytes;
        Stream(ParallelSink& s, std::string p) : sink(s), path(std::move(p)) {}
        void write(const char* d, std::size_t n) override { bytes.append(d, n); }
        void finish() override {
            std::lock_guard lock(sink.mu);
            sink.received[path] = bytes;
            sink.finished.insert(path);
        }
    };
    unsigned taken = 0;
    std::unique_ptr<EntryStream> take_entry(const manifests::BundleEntry& e) override {
        ++taken;
        return std::make_unique<Stream>(*this, e.path);
    }
};

}  // namespace

TEST_CASE(
    "large stored layers are hashed on worker threads; a sink gets every byte either way, and a flipped byte is "
    "caught") {
    test::ReleaseFixture fx;
    const std::string big1 = noise(3u << 20, 1), big2 = noise(5u << 20, 2);
    test::write_layout(fx.layout, {{fx.api_ref, {{"application/vnd.oci.image.layer.v1.tar+gzip", big1}}},
                                   {fx.web_ref, {{"application/vnd.oci.image.layer.v1.tar+gzip", big2}}}});
    auto bundle = fx.build();

    ParallelSink sink;
    auto report = verify::verify_bundle(bundle, fx.root(), {}, &sink);
    CHECK(report.payload_bytes == report.manifest.payload_bytes());
    CHECK(sink.taken == 2);  // the two large layers went to the workers
    CHECK(sink.finished.size() == report.manifest.entries.size());
    for (const auto& e : report.manifest.entries) {
        INFO(e.path);
        CHECK(Sha256::of(sink.received[e.path]) == e.digest);
    }
    CHECK(sink.received[manifests::bundle_paths::blob(Sha256::of(big2))] == big2);

    // Flip one byte of the 5 MiB layer where it lies in the file (stored: the bytes are as-is).
    std::string file = test::read_text(bundle);
    auto at = file.find(big2.substr(1000000, 64));
    REQUIRE(at != std::string::npos);
    file[at] = static_cast<char>(file[at] ^ 1);
    test::write_text(fx.dir / "bad.bundle", file);
    for (bool with_sink : {false, true}) {
        ParallelSink again;
        CHECK_THROWS_WITH(verify::verify_bundle(fx.dir / "bad.bundle", fx.root(), {}, with_sink ? &again : nullptr),
                          Catch::Contains("entry '" + manifests::bundle_paths::blob(Sha256::of(big2)) +
                                          "' does not match its SHA-256"));
        CHECK_FALSE(again.finished.count(manifests::bundle_paths::blob(Sha256::of(big2))));
    }
}
