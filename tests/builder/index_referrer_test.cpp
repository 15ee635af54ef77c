// A referrer that is an image index (OCI 1.1: an index with a subject, e.g. one
// attestation manifest per platform grouped under one artifact) in a source
// layout is carried into the bundle with its children, verified, imported into
// the store and into a registry, and listed among its subject's referrers.
#include <catch2/catch.hpp>

#include "builder/builder.hpp"
#include "cosign_signing.hpp"
#include "manifests/oci.hpp"
#include "mirror/import/import.hpp"
#include "mirror/store/store.hpp"
#include "support/registry_test_support.hpp"
#include "support/release_fixture.hpp"
#include "verify/verify.hpp"

using namespace sealift;
namespace mt = sealift::manifests::media_type;
namespace kind = sealift::manifests::attachment_kind;

namespace {

constexpr const char* kGroupType = "application/vnd.example.attestations";
constexpr const char* kPayloadType = "application/vnd.example.attestation+json";

std::string put_blob(const std::filesystem::path& layout, const std::string& bytes) {
    test::write_text(layout / "blobs" / "sha256" / std::string(Sha256::of(bytes).hex()), bytes);
    return Sha256::of(bytes).str();
}

// The fixture's layout plus, untagged in index.json, an index whose subject is
// the api image and whose two children are attestation manifests.
struct IndexReferrer {
    test::ReleaseFixture fx;
    std::string api_manifest, index;
    std::vector<std::string> children;

    IndexReferrer() {
        Digest api = Digest::parse(fx.api_digest);
        api_manifest = test::read_text(fx.layout / "blobs" / "sha256" / std::string(api.hex()));
        put_blob(fx.layout, "{}");
        Json list = Json::array();
        for (const char* arch : {"amd64", "arm64"}) {
            std::string payload = std::string("{\"arch\":\"") + arch + "\"}";
            put_blob(fx.layout, payload);
            Json m = {{"schemaVersion", 2},
                      {"mediaType", mt::oci_manifest},
                      {"artifactType", kPayloadType},
                      {"config", test::descriptor_of(mt::oci_empty, "{}")},
                      {"layers", Json::array({test::descriptor_of(kPayloadType, payload)})}};
            children.push_back(m.dump());
            put_blob(fx.layout, children.back());
            list.push_back(test::descriptor_of(mt::oci_manifest, children.back()));
        }
        Json group = {{"schemaVersion", 2},
                      {"mediaType", mt::oci_index},
                      {"artifactType", kGroupType},
                      {"manifests", list},
                      {"subject", test::descriptor_of(mt::oci_manifest, api_manifest)},
                      {"annotations", {{"org.example.kind", "per-platform"}}}};
        index = group.dump();
        put_blob(fx.layout, index);
        Json layout_index = Json::parse(test::read_text(fx.layout / "index.json"));
        layout_index["manifests"].push_back(test::descriptor_of(mt::oci_index, index));
        test::write_text(fx.layout / "index.json", layout_index.dump(1));
    }
};

}  // namespace

TEST_CASE("an image index naming an image as its subject travels as a referrer, children included") {
    IndexReferrer s;
    auto bundle = s.fx.build();
    auto report = verify::verify_bundle(bundle, s.fx.root(), {});
    const manifests::BundleAttachment* found = nullptr;
    for (const auto& a : report.manifest.attachments)
        if (a.digest == Sha256::of(s.index)) found = &a;
    REQUIRE(found);
    CHECK(found->kind == kind::referrer);
    CHECK(found->media_type == mt::oci_index);
    CHECK(found->for_ref == s.fx.api_ref);
    CHECK(found->subject == Digest::parse(s.fx.api_digest));
    for (const auto& child : s.children) CHECK(report.manifest.find(manifests::bundle_paths::blob(Sha256::of(child))));

    SECTION("into the store: listed under its subject with the index's artifactType") {
        mirror::StoreImportOptions o;
        o.bundle = bundle;
        o.store = s.fx.dir / "store";
        o.create = true;
        o.quiet = true;
        auto root = s.fx.root();
        mirror::import_to_store(o, &root);
        auto snapshot = mirror::store::Store::open(o.store)->snapshot();
        const std::string key = "registry.example.com/platform/api";
        // The fixture's SBOM of the api image is a referrer too; the index is listed beside it.
        auto listed = snapshot->referrers(key, Digest::parse(s.fx.api_digest), kGroupType);
        REQUIRE(listed.size() == 1);
        CHECK(listed[0].digest == Sha256::of(s.index));
        CHECK(listed[0].media_type == mt::oci_index);
        CHECK(listed[0].artifact_type == kGroupType);
        CHECK(listed[0].annotations.at("org.example.kind") == "per-platform");
        CHECK(snapshot->referrers(key, Digest::parse(s.fx.api_digest)).size() == 2);
        CHECK(snapshot->referrers(key, Digest::parse(s.fx.api_digest), kPayloadType).empty());
        for (const auto& child : s.children) CHECK(snapshot->resolve_digest(key, Sha256::of(child)));
    }

    SECTION("into a registry without the referrers API: pushed after its children, listed in the fallback tag") {
        test::RegistryServer site{test::RegistryServer::Auth::none};
        mirror::RegistryImportOptions o;
        o.bundle = bundle;
        o.target = registry::Target::parse(site.host() + "/site");
        o.registry = test::options_for(site);
        o.quiet = true;
        mirror::import_to_registry(o, s.fx.root());
        registry::RegistryClient client(test::options_for(site));
        std::string bytes;
        REQUIRE(client.get_manifest("site/platform/api", Sha256::of(s.index).str(), bytes));
        CHECK(bytes == s.index);
        for (const auto& child : s.children) {
            REQUIRE(client.get_manifest("site/platform/api", Sha256::of(child).str(), bytes));
            CHECK(bytes == child);
        }
        REQUIRE(client.get_manifest("site/platform/api", "sha256-" + std::string(Digest::parse(s.fx.api_digest).hex()),
                                    bytes));
        Json index_entry, fallback = Json::parse(bytes);
        for (const auto& d : fallback["manifests"])  // beside the fixture's SBOM
            if (d["digest"] == Sha256::of(s.index).str()) index_entry = d;
        REQUIRE(index_entry.is_object());
        CHECK(index_entry["mediaType"] == mt::oci_index);
        CHECK(index_entry["artifactType"] == kGroupType);
        CHECK(index_entry["annotations"]["org.example.kind"] == "per-platform");
    }
}
