#include "builder/cosign_check.hpp"

#include <optional>

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/text.hpp"
#include "manifests/bundle_manifest.hpp"
#include "manifests/oci.hpp"

namespace sealift::builder {
namespace {

// Why a payload is not a signature of `digest`, or nullopt when it is one.
// cosign's simple-signing payload:
//   {"critical":{"identity":{"docker-reference":..},"image":{"docker-manifest-digest":"sha256:.."},
//                "type":"cosign container image signature"},"optional":..}
std::optional<std::string> payload_mismatch(const std::string& payload, const Digest& digest, const std::string& what) {
    try {
        Json doc = parse_json_strict(payload, what);
        const Json& critical = json_field(doc, "critical", what);
        std::string type = json_string(critical, "type", what + " critical");
        if (type != cosign::signature_type)
            return what + " has type '" + type + "', not '" + cosign::signature_type + "'";
        std::string named = json_string(json_field(critical, "image", what + " critical"), "docker-manifest-digest",
                                        what + " critical.image");
        if (named != digest.str()) return what + " names " + named + ", another digest than the image's";
    } catch (const Error& e) {
        if (e.code() != Errc::format) throw;
        return std::string(e.what());  // one reason among the candidates': not fatal while another may verify
    }
    return std::nullopt;
}

// Checks one sha256-<hex>.sig manifest (`bytes`, read and checked): true when
// one of its simple-signing layers verifies; otherwise adds why to `reasons`.
bool signature_verifies(const ImageSource& source, const SourceAttachment& sig, const std::string& bytes,
                        const Digest& digest, const CosignKey& key, std::vector<std::string>& reasons) {
    const std::string what = "signature " + sig.manifest.digest.str() + (sig.tag.empty() ? "" : " (" + sig.tag + ")");
    auto parsed = manifests::parse_manifest_or_index(bytes, sig.manifest.media_type, source.describe() + ": " + what);
    const auto* manifest = std::get_if<manifests::ImageManifest>(&parsed);
    if (!manifest) {
        reasons.push_back(what + " is an index, not a signature manifest");
        return false;
    }
    bool any_payload = false;
    for (const auto& layer : manifest->layers) {
        if (layer.media_type != manifests::media_type::cosign_simple_signing) continue;
        any_payload = true;
        const std::string payload_what = what + " payload " + layer.digest.str();
        if (layer.size > cosign::max_payload_bytes) {
            reasons.push_back(payload_what + " is " + std::to_string(layer.size) + " bytes, more than the " +
                              std::to_string(cosign::max_payload_bytes) + " a payload may have");
            continue;
        }
        auto annotation = layer.annotations.find(cosign::signature_annotation);
        if (annotation == layer.annotations.end()) {
            reasons.push_back(payload_what + " has no " + std::string(cosign::signature_annotation) + " annotation");
            continue;
        }
        std::string payload =
            read_small_blob(source, {layer.digest, layer.size, layer.media_type}, cosign::max_payload_bytes);
        if (auto mismatch = payload_mismatch(payload, digest, payload_what)) {
            reasons.push_back(*mismatch);
            continue;
        }
        std::string signature;
        try {
            signature = base64_decode(annotation->second, payload_what + " annotation " + cosign::signature_annotation);
        } catch (const Error& e) {
            reasons.push_back(e.what());
            continue;
        }
        if (key.key.verify(payload, signature)) return true;
        reasons.push_back(payload_what + ": the signature does not verify with " + key.file.string());
    }
    if (!any_payload)
        reasons.push_back(what + " has no " + std::string(manifests::media_type::cosign_simple_signing) + " layer");
    return false;
}

}  // namespace

CosignKey CosignKey::load(const std::filesystem::path& file, const std::string& where) {
    try {
        auto key = trust::PublicKey::load_pem(file);
        if (key.type() != trust::KeyType::ecdsa_p256)
            fail(Errc::format, "cosign key " + file.string() + " is an " + trust::key_type_name(key.type()) +
                                   " key; cosign key pairs are ECDSA P-256");
        return {std::move(key), file};
    } catch (const Error& e) {
        rethrow_with_context(e, where);
    }
}

Digest cosign_signed_digest(const CollectedImage& image) {
    return image.registry_digest.value_or(image.manifest.digest);
}

void check_cosign_signature(const ImageSource& source, const CollectedImage& image,
                            const std::vector<SourceAttachment>& attachments, const CosignKey& key,
                            const std::map<Digest, CollectedBlob>& collected) {
    const Digest digest = cosign_signed_digest(image);
    auto signatures_of = [&](const std::vector<SourceAttachment>& from) {
        std::vector<SourceAttachment> out;
        for (const auto& a : from)
            if (a.subject == digest && a.kind == manifests::attachment_kind::signature) out.push_back(a);
        return out;
    };
    auto signatures = signatures_of(attachments);
    if (signatures.empty() && digest != image.manifest.digest) signatures = signatures_of(source.attachments(digest));

    std::vector<std::string> reasons;
    for (const auto& sig : signatures) {
        auto walked = collected.find(sig.manifest.digest);  // the attachments' manifests were read when collected
        bool have = walked != collected.end() && !walked->second.inline_bytes.empty();
        std::string read_now =
            have ? std::string() : read_small_blob(source, sig.manifest, manifests::max_manifest_size);
        if (signature_verifies(source, sig, have ? walked->second.inline_bytes : read_now, digest, key, reasons))
            return;
    }
    if (signatures.empty()) reasons.push_back("there is no " + manifests::cosign_tag(digest, "sig") + " tag");
    std::string why;
    for (const auto& reason : reasons) why += (why.empty() ? "" : "; ") + reason;
    fail(Errc::signature, "image " + image.ref + " (" + digest.str() + ") in " + source.describe() +
                              " has no cosign signature that verifies with " + key.file.string() + ": " + why);
}

}  // namespace sealift::builder
