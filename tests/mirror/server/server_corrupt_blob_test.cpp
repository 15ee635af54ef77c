// The server never serves a blob it knows is corrupt: one flagged (fsck, the
// scrubber) and one it finds of another size, or a manifest whose bytes hash
// wrong, are answered 404 as the spec answers a blob the registry lacks; over
// a real store they are flagged, counted in /metrics and written to the audit log.
#include "mirror/store/corrupt_blobs.hpp"
#include "support/server_test_support.hpp"
#include "support/store_test_support.hpp"

using namespace sealift;
using namespace sealift::test;
namespace st = sealift::mirror::store;

namespace {

const std::string repo = "registry.example.com/platform/api";
const std::string oci_manifest = "application/vnd.oci.image.manifest.v1+json";

void flag(const std::filesystem::path& blob) { write_text(st::corrupt_flag_path(blob), "{}\n"); }

}  // namespace

TEST_CASE("server: a blob or manifest flagged corrupt is answered 404 BLOB_UNKNOWN / MANIFEST_UNKNOWN, GET and HEAD") {
    SnapshotBuilder store;
    Digest layer = store.blob(repo, "layer bytes");
    auto manifest = store.manifest(repo, "1.0.0", oci_manifest, "{\"schemaVersion\":2}");
    ServedSnapshot served(store.build());
    std::string blob_url = served.base() + "/v2/" + repo + "/blobs/" + layer.str();
    std::string manifest_url = served.base() + "/v2/" + repo + "/manifests/1.0.0";
    REQUIRE(curl(blob_url).status == 200);
    REQUIRE(curl(manifest_url).status == 200);

    flag(store.blob_path(layer));
    auto blob = curl(blob_url);
    CHECK(blob.status == 404);
    CHECK(error_code(blob) == "BLOB_UNKNOWN");
    CHECK_THAT(blob.body, Catch::Contains("is corrupt in this mirror's store"));
    CHECK(curl(blob_url, "-I").status == 404);
    CHECK(curl(blob_url, "-H 'Range: bytes=0-3'").status == 404);

    flag(store.blob_path(manifest.digest));
    auto m = curl(manifest_url);  // served from the in-memory cache before: the flag wins all the same
    CHECK(m.status == 404);
    CHECK(error_code(m) == "MANIFEST_UNKNOWN");
    CHECK(curl(served.base() + "/v2/" + repo + "/manifests/" + manifest.digest.str(), "-I").status == 404);
}

TEST_CASE("server: a blob of another size than recorded, or a manifest hashing wrong, is answered 404, never sent") {
    SnapshotBuilder store;
    Digest layer = store.blob(repo, "layer bytes");
    auto manifest = store.manifest(repo, "1.0.0", oci_manifest, "{\"schemaVersion\":2}");
    write_text(store.blob_path(layer), "layer bytes and more");
    write_text(store.blob_path(manifest.digest), "{\"schemaVersion\":3}");  // same size, other bytes
    ServedSnapshot served(store.build());
    auto blob = curl(served.base() + "/v2/" + repo + "/blobs/" + layer.str());
    CHECK(blob.status == 404);
    CHECK(error_code(blob) == "BLOB_UNKNOWN");
    auto m = curl(served.base() + "/v2/" + repo + "/manifests/1.0.0");
    CHECK(m.status == 404);
    CHECK(error_code(m) == "MANIFEST_UNKNOWN");
}

TEST_CASE("server over a store: what it finds corrupt is flagged, refusals are counted and on record") {
    StoreSite site;
    site.import(site.first_bundle);
    auto snapshot = site.snapshot();
    const auto* repository = snapshot->repository(repo);
    REQUIRE(repository);
    REQUIRE_FALSE(repository->blobs.empty());
    Digest layer = repository->blobs.begin()->first;
    auto file = snapshot->blob_path(layer);
    std::string bytes = read_text(file);
    write_text(file, bytes + "x");  // another size: the server sees it without hashing

    mirror::server::MirrorServer server({"127.0.0.1:0", site.store, "", {}});
    server.start();
    std::string base = "http://" + server.address();
    std::string url = base + "/v2/" + repo + "/blobs/" + layer.str();
    CHECK(curl(url).status == 404);
    CHECK(st::flagged_corrupt(file));
    CHECK(st::corrupt_flag_record(file)["foundBy"] == "serve");
    CHECK(curl(url).status == 404);
    CHECK(curl(url).status == 404);
    auto metrics = curl(base + "/metrics").body;
    CHECK_THAT(metrics, Catch::Contains("sealift_corrupt_blobs_found_total 1\n") &&
                            Catch::Contains("sealift_corrupt_blob_refusals_total 2\n"));
    std::string audit = read_text(site.store / "audit.log");
    CHECK_THAT(audit, Catch::Contains("\"action\":\"corrupt-blob\"") && Catch::Contains("\"foundBy\":\"serve\""));
    // One audit line for the refusals of a digest, not one per retry.
    std::size_t refused = 0;
    for (std::size_t at = 0; (at = audit.find("\"verdict\":\"refused\"", at)) != std::string::npos; ++at) ++refused;
    CHECK(refused == 1);

    // The bundle imported again brings a good copy: served again.
    site.import(site.first_bundle);
    CHECK(curl(url).status == 200);
    server.stop();
}
