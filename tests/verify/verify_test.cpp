#include <catch2/catch.hpp>

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
    auto bundle = fx.build({}, "10d");
    auto root = fx.root();
    verify::VerifyOptions later;
    later.now = now_seconds() + std::chrono::hours(24 * 20);
    CHECK_THROWS_WITH(verify::verify_bundle(bundle, root, later), Catch::Contains("bundle expired at"));
    auto long_lived = fx.build({}, "730d");
    later.now = now_seconds() + std::chrono::hours(24 * 400);
    CHECK_THROWS_WITH(verify::verify_bundle(long_lived, root, later), Catch::Contains("expired"));
    try {
        verify::verify_bundle(long_lived, root, later);
    } catch (const Error& e) {
        CHECK(e.code() == Errc::policy);
        CHECK(std::string(e.what()).find("root") != std::string::npos);
    }
}
