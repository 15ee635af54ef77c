// Shared by the signature tests: cosign-shaped signatures made with openssl
// (an independent signer), and artifacts pushed the way cosign and oras push them.
#pragma once

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "core/digest.hpp"
#include "core/json.hpp"
#include "manifests/oci.hpp"
#include "registry/registry_client.hpp"
#include "support/registry_test_support.hpp"
#include "support/support.hpp"

namespace sealift::test {

inline constexpr const char* simple_signing_type = "application/vnd.dev.cosign.simplesigning.v1+json";
inline constexpr const char* cosign_signature_annotation = "dev.cosignproject.cosign/signature";
inline constexpr const char* signature_config =
    "{\"architecture\":\"\"}";  // cosign's signature manifests have a near-empty config

inline Json descriptor_of(const std::string& media_type, const std::string& bytes) {
    return {{"mediaType", media_type}, {"digest", Sha256::of(bytes).str()}, {"size", bytes.size()}};
}

// An ECDSA P-256 key pair as `cosign generate-key-pair` makes: `pub` is the SPKI PEM cosign.pub.
struct CosignKeyPair {
    std::filesystem::path key, pub;

    CosignKeyPair(const std::filesystem::path& dir, const std::string& name)
        : key(dir / (name + ".key")), pub(dir / (name + ".pub")) {
        std::filesystem::create_directories(dir);
        REQUIRE(run("openssl ecparam -name prime256v1 -genkey -noout -out '" + key.string() + "'").exit_code == 0);
        REQUIRE(run("openssl pkey -in '" + key.string() + "' -pubout -out '" + pub.string() + "'").exit_code == 0);
    }

    // Base64 of the DER ECDSA signature over SHA-256 of `payload`, as in cosign's annotation.
    std::string sign(const std::string& payload) const {
        std::filesystem::path file = key.parent_path() / ("payload-" + std::string(Sha256::of(payload).hex()));
        write_text(file, payload);
        auto r = run("openssl dgst -sha256 -sign '" + key.string() + "' '" + file.string() + "' | openssl base64 -A");
        REQUIRE(r.exit_code == 0);
        REQUIRE(!r.out.empty());
        return r.out;
    }
};

// cosign's simple-signing payload for `digest`.
inline std::string simple_signing_payload(const std::string& docker_reference, const Digest& digest) {
    return Json{{"critical",
                 {{"identity", {{"docker-reference", docker_reference}}},
                  {"image", {{"docker-manifest-digest", digest.str()}}},
                  {"type", "cosign container image signature"}}},
                {"optional", nullptr}}
        .dump();
}

// A manifest with one config and one layer, as cosign and oras write them;
// `extra` may hold "layerAnnotations" and top-level fields (subject, artifactType).
inline std::string artifact_manifest(const std::string& config_type, const std::string& config,
                                     const std::string& layer_type, const std::string& layer, const Json& extra) {
    namespace mt = manifests::media_type;
    Json m = {{"schemaVersion", 2}, {"mediaType", mt::oci_manifest}, {"config", descriptor_of(config_type, config)}};
    m["layers"] = Json::array({descriptor_of(layer_type, layer)});
    if (extra.is_null()) return m.dump();
    m["layers"][0]["annotations"] = extra.value("layerAnnotations", Json::object());
    for (const auto& [key, value] : extra.items())
        if (key != "layerAnnotations") m[key] = value;
    return m.dump();
}

// cosign's signature manifest: the payload as its one layer, the signature in the layer's annotation.
inline std::string signature_manifest(const std::string& payload, const std::string& signature_b64) {
    return artifact_manifest(manifests::media_type::oci_config, signature_config, simple_signing_type, payload,
                             {{"layerAnnotations", {{cosign_signature_annotation, signature_b64}}}});
}

// Pushes the artifact's config and layer, then the manifest under `reference`
// (empty: its own digest); returns the manifest's bytes.
inline std::string push_artifact(registry::RegistryClient& client, const std::string& repo,
                                 const std::string& reference, const std::string& config_type,
                                 const std::string& config, const std::string& layer_type, const std::string& layer,
                                 const Json& extra) {
    push_bytes(client, repo, config);
    push_bytes(client, repo, layer);
    std::string bytes = artifact_manifest(config_type, config, layer_type, layer, extra);
    client.put_manifest(repo, reference.empty() ? Sha256::of(bytes).str() : reference,
                        manifests::media_type::oci_manifest, bytes);
    return bytes;
}

}  // namespace sealift::test
