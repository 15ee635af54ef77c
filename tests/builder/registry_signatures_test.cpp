// Signatures travel: cosign signature and attestation tags and OCI referrers of
// an image in the source registry are packed with it, listed in the signed
// manifest, and pushed along by `mirror import`, where they are read back.
#include <catch2/catch.hpp>

#include "builder/builder.hpp"
#include "core/error.hpp"
#include "manifests/oci.hpp"
#include "mirror/mirror.hpp"
#include "registry_release.hpp"
#include "verify/verify.hpp"

using namespace sealift;
namespace mt = sealift::manifests::media_type;
namespace kind = sealift::manifests::attachment_kind;

namespace {

Json descriptor(const std::string& media_type, const std::string& bytes) {
    return {{"mediaType", media_type}, {"digest", Sha256::of(bytes).str()}, {"size", bytes.size()}};
}

// Pushes a manifest with one config and one layer, as cosign and oras do, under
// `reference` (empty: its own digest); returns its bytes.
std::string push_artifact(mirror::RegistryClient& client, const std::string& repo, const std::string& reference,
                          const std::string& config_type, const std::string& config, const std::string& layer_type,
                          const std::string& layer, const Json& extra) {
    test::push_bytes(client, repo, config);
    test::push_bytes(client, repo, layer);
    Json m = {{"schemaVersion", 2}, {"mediaType", mt::oci_manifest}, {"config", descriptor(config_type, config)}};
    m["layers"] = Json::array({descriptor(layer_type, layer)});
    m["layers"][0]["annotations"] = extra.value("layerAnnotations", Json::object());
    for (const auto& [key, value] : extra.items())
        if (key != "layerAnnotations") m[key] = value;
    std::string bytes = m.dump();
    client.put_manifest(repo, reference.empty() ? Sha256::of(bytes).str() : reference, mt::oci_manifest, bytes);
    return bytes;
}

struct SignedImage {
    test::ReleaseFixture fx;  // keys and trust root
    test::RegistryServer source{test::RegistryServer::Auth::none}, site{test::RegistryServer::Auth::basic};
    mirror::RegistryClient client{test::options_for(source)};
    test::TestImage image = test::push_image(client, "platform/api", "1.0.0", 7);
    std::string hex = std::string(image.digest.hex());
    std::string signature, attestation, referrer;

    SignedImage() {
        Json payload = {{"critical",
                         {{"identity", {{"docker-reference", source.host() + "/platform/api"}}},
                          {"image", {{"docker-manifest-digest", image.digest.str()}}},
                          {"type", "cosign container image signature"}}},
                        {"optional", nullptr}};
        signature = push_artifact(client, "platform/api", "sha256-" + hex + ".sig", mt::oci_config, "{\"architecture\":\"\"}",
                                  "application/vnd.dev.cosign.simplesigning.v1+json", payload.dump(),
                                  {{"layerAnnotations", {{"dev.cosignproject.cosign/signature", "MEUCIQDfakeSignatureBytes=="}}}});
        attestation = push_artifact(client, "platform/api", "sha256-" + hex + ".att", mt::oci_config, "{\"os\":\"\"}",
                                    "application/vnd.dsse.envelope.v1+json", "{\"payloadType\":\"application/vnd.in-toto+json\"}",
                                    {{"layerAnnotations", {{"predicateType", "https://slsa.dev/provenance/v1"}}}});
        Json subject = descriptor(mt::oci_manifest, image.manifest);
        std::string sbom = "{\"bomFormat\":\"CycloneDX\"}";
        referrer = push_artifact(client, "platform/api", "", mt::oci_empty, "{}", "application/vnd.cyclonedx+json", sbom,
                                 {{"artifactType", "application/vnd.example.sbom"}, {"subject", subject}});
        // distribution 2.8 has no referrers API: clients keep the fallback tag's index.
        Json index = {{"schemaVersion", 2}, {"mediaType", mt::oci_index}, {"manifests", Json::array({descriptor(mt::oci_manifest, referrer)})}};
        index["manifests"][0]["artifactType"] = "application/vnd.example.sbom";
        client.put_manifest("platform/api", "sha256-" + hex, mt::oci_index, index.dump());
    }

    builder::BuildResult build(const std::string& out) const {
        test::write_registry_release(fx, "  - ref: " + source.host() + "/platform/api:1.0.0\n");
        return builder::build_bundle(test::registry_build_options(fx, source, out));
    }
};

}  // namespace

TEST_CASE("cosign signatures, attestations and referrers travel with their image through build and import") {
    SignedImage s;
    auto result = s.build("out");
    auto report = verify::verify_bundle(result.bundle, s.fx.root(), {});
    const auto& attachments = report.manifest.attachments;
    REQUIRE(attachments.size() == 3);
    std::map<std::string, const manifests::BundleAttachment*> by_kind;
    for (const auto& a : attachments) {
        CHECK(a.for_ref == s.source.host() + "/platform/api:1.0.0");
        CHECK(a.subject == s.image.digest);
        by_kind[a.kind] = &a;
    }
    REQUIRE(by_kind.size() == 3);
    CHECK(by_kind[kind::signature]->digest == Sha256::of(s.signature));
    CHECK(by_kind[kind::signature]->tag == "sha256-" + s.hex + ".sig");
    CHECK(by_kind[kind::attestation]->digest == Sha256::of(s.attestation));
    CHECK(by_kind[kind::attestation]->tag == "sha256-" + s.hex + ".att");
    CHECK(by_kind[kind::referrer]->digest == Sha256::of(s.referrer));
    CHECK(by_kind[kind::referrer]->tag.empty());

    mirror::RegistryImportOptions o;
    o.bundle = result.bundle;
    o.target = mirror::Target::parse(s.site.host() + "/site");
    o.registry = test::options_for(s.site);
    o.quiet = true;
    mirror::import_to_registry(o, s.fx.root());

    mirror::RegistryClient site(test::options_for(s.site));
    std::string bytes;
    REQUIRE(site.get_manifest("site/platform/api", "sha256-" + s.hex + ".sig", bytes));
    CHECK(bytes == s.signature);
    auto signature = Json::parse(bytes);
    CHECK(signature["layers"][0]["annotations"]["dev.cosignproject.cosign/signature"] == "MEUCIQDfakeSignatureBytes==");
    std::string payload = test::read_back(site, "site/platform/api", Digest::parse(signature["layers"][0]["digest"].get<std::string>()),
                                          signature["layers"][0]["size"].get<std::uint64_t>());
    CHECK(Json::parse(payload)["critical"]["image"]["docker-manifest-digest"] == s.image.digest.str());
    REQUIRE(site.get_manifest("site/platform/api", "sha256-" + s.hex + ".att", bytes));
    CHECK(bytes == s.attestation);
    // The referrer by digest, and listed in the subject's fallback index.
    REQUIRE(site.get_manifest("site/platform/api", Sha256::of(s.referrer).str(), bytes));
    CHECK(Json::parse(bytes)["subject"]["digest"] == s.image.digest.str());
    REQUIRE(site.get_manifest("site/platform/api", "sha256-" + s.hex, bytes));
    auto listed = Json::parse(bytes)["manifests"];
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["digest"] == Sha256::of(s.referrer).str());
    CHECK(listed[0]["artifactType"] == "application/vnd.example.sbom");
}

TEST_CASE("a referrer whose subject is another image is refused naming it") {
    SignedImage s;
    auto other = test::push_image(s.client, "platform/api", "other", 8);
    Json index = {{"schemaVersion", 2}, {"mediaType", mt::oci_index},
                  {"manifests", Json::array({descriptor(mt::oci_manifest, other.manifest)})}};
    s.client.put_manifest("platform/api", "sha256-" + s.hex, mt::oci_index, index.dump());
    try {
        s.build("out");
        FAIL("built");
    } catch (const Error& e) {
        CHECK_THAT(e.what(), Catch::Contains(other.digest.str()) && Catch::Contains("does not name " + s.image.digest.str() + " as its subject"));
    }
}
