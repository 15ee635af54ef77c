// Signatures travel: cosign signature and attestation tags and OCI referrers of
// an image in the source registry are packed with it, listed in the signed
// manifest, and pushed along by `mirror import`, where they are read back.
#include <catch2/catch.hpp>

#include "builder/builder.hpp"
#include "core/error.hpp"
#include "cosign_signing.hpp"
#include "manifests/oci.hpp"
#include "mirror/import/import.hpp"
#include "mirror/store/store.hpp"
#include "registry_release.hpp"
#include "verify/verify.hpp"

using namespace sealift;
namespace mt = sealift::manifests::media_type;
namespace kind = sealift::manifests::attachment_kind;

namespace {

struct SignedImage {
    test::ReleaseFixture fx;  // keys and trust root
    test::RegistryServer source{test::RegistryServer::Auth::none}, site{test::RegistryServer::Auth::basic};
    registry::RegistryClient client{test::options_for(source)};
    test::TestImage image = test::push_image(client, "platform/api", "1.0.0", 7);
    std::string hex = std::string(image.digest.hex());
    test::CosignKeyPair cosign{fx.dir / "cosign", "cosign"};
    std::string payload = test::simple_signing_payload(source.host() + "/platform/api", image.digest);
    std::string signature_b64 = cosign.sign(payload);
    std::string signature, attestation, referrer;

    SignedImage() {
        signature = test::push_artifact(client, "platform/api", "sha256-" + hex + ".sig", mt::oci_config,
                                        test::signature_config, test::simple_signing_type, payload,
                                        {{"layerAnnotations", {{test::cosign_signature_annotation, signature_b64}}}});
        attestation = test::push_artifact(
            client, "platform/api", "sha256-" + hex + ".att", mt::oci_config, "{\"os\":\"\"}",
            "application/vnd.dsse.envelope.v1+json", "{\"payloadType\":\"application/vnd.in-toto+json\"}",
            {{"layerAnnotations", {{"predicateType", "https://slsa.dev/provenance/v1"}}}});
        Json subject = test::descriptor_of(mt::oci_manifest, image.manifest);
        std::string sbom = "{\"bomFormat\":\"CycloneDX\"}";
        referrer =
            test::push_artifact(client, "platform/api", "", mt::oci_empty, "{}", "application/vnd.cyclonedx+json", sbom,
                                {{"artifactType", "application/vnd.example.sbom"}, {"subject", subject}});
        // distribution 2.8 has no referrers API: clients keep the fallback tag's index.
        Json index = {{"schemaVersion", 2},
                      {"mediaType", mt::oci_index},
                      {"manifests", Json::array({test::descriptor_of(mt::oci_manifest, referrer)})}};
        index["manifests"][0]["artifactType"] = "application/vnd.example.sbom";
        client.put_manifest("platform/api", "sha256-" + hex, mt::oci_index, index.dump());
    }

    // `entry_extra`: more keys of the image entry, e.g. "    verify: {cosignKey: cosign/cosign.pub}\n".
    builder::BuildResult build(const std::string& out, const std::string& entry_extra = "") const {
        test::write_registry_release(fx, "  - ref: " + source.host() + "/platform/api:1.0.0\n" + entry_extra);
        return builder::build_bundle(test::registry_build_options(fx, source, out));
    }
};

}  // namespace

TEST_CASE("cosign signatures, attestations and referrers travel with their image through build and import") {
    SignedImage s;
    // The signature is checked before packing (openssl signed it, as cosign would).
    auto result = s.build("out", "    verify: {cosignKey: cosign/cosign.pub}\n");
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
    o.target = registry::Target::parse(s.site.host() + "/site");
    o.registry = test::options_for(s.site);
    o.quiet = true;
    mirror::import_to_registry(o, s.fx.root());

    registry::RegistryClient site(test::options_for(s.site));
    std::string bytes;
    REQUIRE(site.get_manifest("site/platform/api", "sha256-" + s.hex + ".sig", bytes));
    CHECK(bytes == s.signature);
    auto signature = Json::parse(bytes);
    CHECK(signature["layers"][0]["annotations"][test::cosign_signature_annotation] == s.signature_b64);
    std::string payload =
        test::read_back(site, "site/platform/api", Digest::parse(signature["layers"][0]["digest"].get<std::string>()),
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

TEST_CASE(
    "imported into the embedded store, signatures keep their cosign tags and referrers are listed under their "
    "subject") {
    SignedImage s;
    auto result = s.build("out");
    mirror::StoreImportOptions o;
    o.bundle = result.bundle;
    o.store = s.fx.dir / "store";
    o.create = true;
    o.quiet = true;
    auto root = s.fx.root();
    mirror::import_to_store(o, &root);

    auto snapshot = mirror::store::Store::open(o.store)->snapshot();
    const std::string key = s.source.host() + "/platform/api";
    auto signature = snapshot->resolve(key, "sha256-" + s.hex + ".sig");
    REQUIRE(signature);
    CHECK(signature->digest == Sha256::of(s.signature));
    CHECK(signature->media_type == mt::oci_manifest);
    auto attestation = snapshot->resolve(key, "sha256-" + s.hex + ".att");
    REQUIRE(attestation);
    CHECK(attestation->digest == Sha256::of(s.attestation));
    // The signature's payload is served like any blob of the repository.
    auto payload = Digest::parse(Json::parse(s.signature)["layers"][0]["digest"].get<std::string>());
    CHECK(snapshot->resolve_digest(key, Sha256::of(s.signature)));
    CHECK(snapshot->repository(key)->blobs.count(payload));

    const auto& referrers = snapshot->repository(key)->referrers;
    REQUIRE(referrers.count(s.image.digest));
    const auto& listed = referrers.at(s.image.digest);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].digest == Sha256::of(s.referrer));
    CHECK(listed[0].artifact_type == "application/vnd.example.sbom");
}

TEST_CASE("a referrer whose subject is another image is refused naming it") {
    SignedImage s;
    auto other = test::push_image(s.client, "platform/api", "other", 8);
    Json index = {{"schemaVersion", 2},
                  {"mediaType", mt::oci_index},
                  {"manifests", Json::array({test::descriptor_of(mt::oci_manifest, other.manifest)})}};
    s.client.put_manifest("platform/api", "sha256-" + s.hex, mt::oci_index, index.dump());
    try {
        s.build("out");
        FAIL("built");
    } catch (const Error& e) {
        CHECK_THAT(e.what(), Catch::Contains(other.digest.str()) &&
                                 Catch::Contains("does not name " + s.image.digest.str() + " as its subject"));
    }
}

TEST_CASE("a registry image without a signature the required key verifies is refused naming it") {
    SignedImage s;
    test::CosignKeyPair other(s.fx.dir / "cosign", "other");
    const std::string image =
        "image " + s.source.host() + "/platform/api:1.0.0 (" + s.image.digest.str() + ") in registry image ";
    try {
        s.build("out", "    verify: {cosignKey: cosign/other.pub}\n");
        FAIL("built with a signature of another key");
    } catch (const Error& e) {
        CHECK(e.code() == Errc::signature);
        CHECK_THAT(e.what(), Catch::Contains(image) &&
                                 Catch::Contains("the signature does not verify with " + other.pub.string()));
    }
    auto unsigned_image = test::push_image(s.client, "platform/api", "unsigned", 9);
    test::write_registry_release(
        s.fx, "  - ref: " + s.source.host() + "/platform/api:unsigned\n    verify: {cosignKey: cosign/cosign.pub}\n");
    try {
        builder::build_bundle(test::registry_build_options(s.fx, s.source, "out"));
        FAIL("built an unsigned image");
    } catch (const Error& e) {
        CHECK_THAT(e.what(),
                   Catch::Contains("image " + s.source.host() + "/platform/api:unsigned") &&
                       Catch::EndsWith("there is no sha256-" + std::string(unsigned_image.digest.hex()) + ".sig tag"));
    }
}

TEST_CASE("inspect and verify show the signatures, attestations and referrers an image carries") {
    SignedImage s;
    auto result = s.build("out");
    const std::string ref = s.source.host() + "/platform/api:1.0.0", bundle = "'" + result.bundle.string() + "'";
    auto text = test::run(test::sealift_binary() + " inspect " + bundle);
    REQUIRE(text.exit_code == 0);
    Digest signature = Sha256::of(s.signature), attestation = Sha256::of(s.attestation);
    CHECK_THAT(text.out, Catch::Contains("    signature   " + signature.str() + " sha256-" + s.hex + ".sig\n") &&
                             Catch::Contains("    attestation " + attestation.str() + " sha256-" + s.hex + ".att\n") &&
                             Catch::Contains("    referrer    " + Sha256::of(s.referrer).str() + "\n"));

    auto inspected = test::run(test::sealift_binary() + " inspect --json " + bundle);
    REQUIRE(inspected.exit_code == 0);
    Json attachments = Json::parse(inspected.out)["attachments"];
    REQUIRE(attachments.size() == 3);
    for (const auto& a : attachments) {
        CHECK(a["for"] == ref);
        CHECK(a["subject"] == s.image.digest.str());
        CHECK(a["mediaType"] == mt::oci_manifest);
    }
    std::map<std::string, Json> by_kind;
    for (const auto& a : attachments) by_kind[a["kind"].get<std::string>()] = a;
    CHECK(by_kind[kind::signature]["digest"] == signature.str());
    CHECK(by_kind[kind::signature]["tag"] == "sha256-" + s.hex + ".sig");
    CHECK(by_kind[kind::signature]["size"] == s.signature.size());
    CHECK(by_kind[kind::attestation]["tag"] == "sha256-" + s.hex + ".att");
    CHECK_FALSE(by_kind[kind::referrer].contains("tag"));

    auto verified = test::run(test::sealift_binary() + " verify -q --json " + bundle + " --trust '" +
                              s.fx.trust_file.string() + "'");
    REQUIRE(verified.exit_code == 0);
    CHECK(Json::parse(verified.out)["attachments"] == attachments);  // one layout for both
}
