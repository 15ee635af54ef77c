// Upstream signatures at build time: `verify: {cosignKey: FILE}` on an image
// entry, checked against real ECDSA P-256 signatures made with openssl; and
// signatures, attestations and referrers carried from OCI layouts and archives.
#include <catch2/catch.hpp>

#include <map>

#include "builder/builder.hpp"
#include "core/error.hpp"
#include "cosign_signing.hpp"
#include "manifests/bundle_manifest.hpp"
#include "manifests/release.hpp"
#include "support/release_fixture.hpp"
#include "support/release_yaml.hpp"
#include "verify/verify.hpp"

using namespace sealift;
namespace fs = std::filesystem;
namespace mt = sealift::manifests::media_type;
namespace kind = sealift::manifests::attachment_kind;

namespace {

// The release fixture's OCI layout ("images") with attachments of its api
// image added to index.json, as `skopeo copy` or `cosign save` leave them.
struct SignedLayout {
    test::ReleaseFixture fx;
    Digest api = Digest::parse(fx.api_digest);
    std::string hex = std::string(api.hex());
    std::string sig_tag = "sha256-" + hex + ".sig";
    test::CosignKeyPair cosign{fx.dir / "cosign", "cosign"};
    std::string payload = test::simple_signing_payload("registry.example.com/platform/api", api);

    void put(const std::string& bytes) const {
        test::write_text(fx.layout / "blobs/sha256" / std::string(Sha256::of(bytes).hex()), bytes);
    }

    // Lists the manifest in index.json, under ref.name `name` unless it is empty.
    void add_entry(const std::string& manifest, const std::string& name,
                   const std::string& media_type = mt::oci_manifest) const {
        put(manifest);
        Json index = Json::parse(test::read_text(fx.layout / "index.json"));
        Json entry = test::descriptor_of(media_type, manifest);
        if (!name.empty()) entry["annotations"] = {{"org.opencontainers.image.ref.name", name}};
        index["manifests"].push_back(entry);
        test::write_text(fx.layout / "index.json", index.dump(1));
    }

    // A cosign signature manifest of this payload and annotation under the .sig tag; returns it.
    std::string add_signature(const std::string& signed_payload, const std::string& annotation) const {
        put(test::signature_config);
        put(signed_payload);
        std::string manifest = test::signature_manifest(signed_payload, annotation);
        add_entry(manifest, sig_tag);
        return manifest;
    }

    // A release packing the api image from `source` ("layout: images" or "ociArchive: ...").
    builder::BuildResult build(const std::string& entry_extra, const std::string& source = "layout: images") const {
        test::write_text(fx.dir / "release.yaml", test::release_yaml_head() + "images:\n  - " + source +
                                                      "\n    refs: [" + fx.api_ref + "]\n" + entry_extra);
        builder::BuildOptions o;
        o.release_file = fx.dir / "release.yaml";
        o.key_files = {fx.release_key};
        o.out_dir = fx.dir / "out";
        o.quiet = true;
        return builder::build_bundle(o);
    }

    // The refusal of a build requiring `key`: checks it names the image, the source and the key.
    std::string refusal(const fs::path& key) const {
        try {
            build("    verify: {cosignKey: " + fs::relative(key, fx.dir.path()).string() + "}\n");
        } catch (const Error& e) {
            std::string what = e.what();
            CHECK(e.code() == Errc::signature);
            CHECK_THAT(what, Catch::Contains("release.yaml:8:5: image " + fx.api_ref + " (" + api.str() +
                                             ") in OCI layout " + fx.layout.string() +
                                             " has no cosign signature that verifies with " + key.string()));
            return what;
        }
        FAIL("built although the signature is not acceptable");
        return "";
    }
};

const std::string verify_cosign = "    verify: {cosignKey: cosign/cosign.pub}\n";

}  // namespace

TEST_CASE("a layout's cosign tags and referrers travel with the image, and its signature is verified") {
    SignedLayout s;
    std::string signature = s.add_signature(s.payload, s.cosign.sign(s.payload));
    std::string attestation =
        test::artifact_manifest(mt::oci_config, "{\"os\":\"\"}", "application/vnd.dsse.envelope.v1+json", "{}", {});
    s.put("{\"os\":\"\"}");
    s.put("{}");
    s.add_entry(attestation,
                "registry.example.com/platform/api:sha256-" + s.hex + ".att");  // a full reference works too
    std::string sbom = "{\"bomFormat\":\"CycloneDX\"}";
    s.put(sbom);
    std::string referrer = test::artifact_manifest(
        mt::oci_empty, "{}", "application/vnd.cyclonedx+json", sbom,
        {{"subject", test::descriptor_of(mt::oci_manifest, test::read_text(s.fx.layout / "blobs/sha256" / s.hex))}});
    s.add_entry(referrer, "");  // untagged: found by its subject

    auto report = verify::verify_bundle(s.build(verify_cosign).bundle, s.fx.root(), {});
    REQUIRE(report.manifest.images.size() == 1);  // the tags are attachments, not images
    CHECK(report.manifest.images[0].ref == s.fx.api_ref);
    std::map<std::string, const manifests::BundleAttachment*> by_kind;
    for (const auto& a : report.manifest.attachments) {
        CHECK(a.for_ref == s.fx.api_ref);
        CHECK(a.subject == s.api);
        by_kind[a.kind] = &a;
    }
    REQUIRE(report.manifest.attachments.size() == 3);
    REQUIRE(by_kind.size() == 3);
    CHECK(by_kind[kind::signature]->digest == Sha256::of(signature));
    CHECK(by_kind[kind::signature]->tag == s.sig_tag);
    CHECK(by_kind[kind::attestation]->digest == Sha256::of(attestation));
    CHECK(by_kind[kind::attestation]->tag == "sha256-" + s.hex + ".att");
    CHECK(by_kind[kind::referrer]->digest == Sha256::of(referrer));
    CHECK(report.manifest.find(manifests::bundle_paths::blob(Sha256::of(s.payload))));
}

TEST_CASE("a layout without refs packs its images, not its signature tags as images") {
    SignedLayout s;
    s.add_signature(s.payload, s.cosign.sign(s.payload));
    test::write_text(s.fx.dir / "release.yaml",
                     test::release_yaml_head() + "images:\n  - layout: images\n" + verify_cosign);
    builder::BuildOptions o;
    o.release_file = s.fx.dir / "release.yaml";
    o.key_files = {s.fx.release_key};
    o.out_dir = s.fx.dir / "out";
    o.quiet = true;
    // Every image of the entry must be signed: the web image is not.
    try {
        builder::build_bundle(o);
        FAIL("built with an unsigned image");
    } catch (const Error& e) {
        CHECK_THAT(e.what(), Catch::Contains("image " + s.fx.web_ref) && Catch::Contains("there is no sha256-"));
    }
    test::write_text(s.fx.dir / "release.yaml", test::release_yaml_head() + "images:\n  - layout: images\n");
    auto report = verify::verify_bundle(builder::build_bundle(o).bundle, s.fx.root(), {});
    REQUIRE(report.manifest.images.size() == 2);
    CHECK(report.manifest.images[0].ref == s.fx.api_ref);
    CHECK(report.manifest.images[1].ref == s.fx.web_ref);
    REQUIRE(report.manifest.attachments.size() == 1);
    CHECK(report.manifest.attachments[0].tag == s.sig_tag);
}

TEST_CASE("an OCI archive carries the signatures its layout holds") {
    SignedLayout s;
    std::string signature = s.add_signature(s.payload, s.cosign.sign(s.payload));
    REQUIRE(test::run("tar -C '" + s.fx.layout.string() + "' -cf '" + (s.fx.dir / "images.tar").string() + "' .")
                .exit_code == 0);
    auto report = verify::verify_bundle(s.build(verify_cosign, "ociArchive: images.tar").bundle, s.fx.root(), {});
    REQUIRE(report.manifest.attachments.size() == 1);
    CHECK(report.manifest.attachments[0].digest == Sha256::of(signature));
    CHECK(report.manifest.attachments[0].kind == kind::signature);
}

TEST_CASE("an image whose cosign signature is missing or wrong is refused naming it and why") {
    SignedLayout s;
    SECTION("no signature") {
        CHECK_THAT(s.refusal(s.cosign.pub), Catch::EndsWith(": there is no " + s.sig_tag + " tag"));
    }
    SECTION("signed by another key") {
        test::CosignKeyPair other(s.fx.dir / "cosign", "other");
        s.add_signature(s.payload, other.sign(s.payload));
        CHECK_THAT(s.refusal(s.cosign.pub),
                   Catch::Contains("the signature does not verify with " + s.cosign.pub.string()));
        // With the other key it verifies.
        CHECK_NOTHROW(s.build("    verify: {cosignKey: cosign/other.pub}\n"));
    }
    SECTION("a payload naming another digest") {
        // The web image's digest: the second entry of the fixture's layout.
        Digest web = Digest::parse(
            Json::parse(test::read_text(s.fx.layout / "index.json"))["manifests"][1]["digest"].get<std::string>());
        std::string other = test::simple_signing_payload("registry.example.com/platform/web", web);
        s.add_signature(other, s.cosign.sign(other));
        CHECK_THAT(s.refusal(s.cosign.pub),
                   Catch::Contains("names " + web.str() + ", another digest than the image's"));
    }
    SECTION("a tampered payload") {
        std::string tampered = test::simple_signing_payload("evil.example.com/platform/api", s.api);
        s.add_signature(tampered, s.cosign.sign(s.payload));
        CHECK_THAT(s.refusal(s.cosign.pub),
                   Catch::Contains("payload " + Sha256::of(tampered).str() + ": the signature does not verify"));
    }
    SECTION("a garbled annotation") {
        s.add_signature(s.payload, "MEUC!not*base64");
        CHECK_THAT(s.refusal(s.cosign.pub),
                   Catch::Contains("annotation dev.cosignproject.cosign/signature: invalid base64"));
    }
    SECTION("a payload of another type") {
        Json doc = Json::parse(s.payload);
        doc["critical"]["type"] = "something else";
        std::string other = doc.dump();
        s.add_signature(other, s.cosign.sign(other));
        CHECK_THAT(s.refusal(s.cosign.pub),
                   Catch::Contains("has type 'something else', not 'cosign container image signature'"));
    }
    SECTION("one good signature among several is enough") {
        // cosign adds each further signature as another layer of the one .sig manifest.
        std::string forged = test::simple_signing_payload("evil.example.com/platform/api", s.api);
        s.put(forged);
        s.put(s.payload);
        s.put(test::signature_config);
        Json manifest = Json::parse(test::signature_manifest(forged, "MEUCIQDfake"));
        Json good = test::descriptor_of(test::simple_signing_type, s.payload);
        good["annotations"] = {{test::cosign_signature_annotation, s.cosign.sign(s.payload)}};
        manifest["layers"].push_back(good);
        s.add_entry(manifest.dump(), s.sig_tag);
        auto report = verify::verify_bundle(s.build(verify_cosign).bundle, s.fx.root(), {});
        REQUIRE(report.manifest.attachments.size() == 1);
        CHECK(report.manifest.attachments[0].digest == Sha256::of(manifest.dump()));
    }
    SECTION("one tag naming two manifests") {
        s.add_signature(s.payload, s.cosign.sign(s.payload));
        s.add_signature(s.payload, "MEUCIQDfake");
        CHECK_THROWS_WITH(s.build(verify_cosign),
                          Catch::Contains("OCI layout " + s.fx.layout.string() + " index.json manifests[") &&
                              Catch::Contains("'" + s.sig_tag + "' names a second manifest"));
    }
}

TEST_CASE("verify: in a release is parsed strictly, naming the release file, the image and the key") {
    test::TempDir dir;
    test::write_layout(dir / "images", {{"registry.example.com/a:1", {{mt::oci_layer_tar, "x"}}}});
    test::write_text(dir / "cosign.pub", "not read while parsing");
    auto parse = [&](const std::string& entry) {
        return manifests::parse_release(test::release_yaml_head({.name = "r"}) + "images:\n" + entry,
                                        dir / "release.yaml");
    };
    auto release =
        parse("  - layout: images\n    refs: [registry.example.com/a:1]\n    verify: {cosignKey: cosign.pub}\n");
    REQUIRE(release.images[0].cosign_key);
    CHECK(*release.images[0].cosign_key == dir / "cosign.pub");
    CHECK(!parse("  - layout: images\n").images[0].cosign_key);
    CHECK(
        *parse("  - ref: registry.example.com/a:1\n    verify:\n      cosignKey: cosign.pub\n").images[0].cosign_key ==
        dir / "cosign.pub");

    std::string file = (dir / "release.yaml").string();
    CHECK_THROWS_WITH(
        parse("  - ref: registry.example.com/a:1\n    verify: {cosignKey: missing.pub}\n"),
        Catch::StartsWith(file +
                          ":9:25: verify of image registry.example.com/a:1: cosignKey 'missing.pub' does not exist"));
    CHECK_THROWS_WITH(parse("  - layout: images\n    verify: {keyless: true, cosignKey: cosign.pub}\n"),
                      Catch::StartsWith(file + ":9:14: unknown key 'keyless' in verify of the images of " +
                                        (dir / "images").string()));
    CHECK_THROWS_WITH(parse("  - layout: images\n    refs: [registry.example.com/a:1]\n    verify: {}\n"),
                      Catch::Contains("verify of image registry.example.com/a:1 is missing required key 'cosignKey'"));
    CHECK_THROWS_WITH(parse("  - layout: images\n    verify: cosign.pub\n"),
                      Catch::Contains(":9:13: verify of the images of") && Catch::Contains("must be a mapping"));
}

TEST_CASE("a cosign key that is not an ECDSA P-256 public key is refused naming it") {
    SignedLayout s;
    s.add_signature(s.payload, s.cosign.sign(s.payload));
    auto refused = [&](const std::string& key) {
        try {
            s.build("    verify: {cosignKey: " + key + "}\n");
        } catch (const Error& e) {
            return std::string(e.what());
        }
        FAIL("built");
        return std::string();
    };
    CHECK_THAT(refused("keys/release.pub"),
               Catch::StartsWith((s.fx.dir / "release.yaml").string() + ":10:25: cosign key ") &&
                   Catch::Contains("release.pub is an ed25519 key; cosign key pairs are ECDSA P-256"));
    test::write_text(s.fx.dir / "garbage.pub", "-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n");
    CHECK_THAT(refused("garbage.pub"),
               Catch::StartsWith((s.fx.dir / "release.yaml").string() + ":10:25: ") && Catch::Contains("garbage.pub"));
}
