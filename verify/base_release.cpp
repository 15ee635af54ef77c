// What a delta bundle's build trusts about its base: the signed manifest only.
#include "core/error.hpp"
#include "verify/metadata_reader.hpp"
#include "verify/verify.hpp"

namespace sealift::verify {
namespace {

namespace paths = manifests::bundle_paths;

}  // namespace

std::string metadata_envelope(const Inspection& in) {
    Json signed_part = parse_json_strict(in.manifest_bytes, std::string(paths::manifest));
    // TUF signs the canonical form of "signed"; for it to be the stored bytes, they must be canonical.
    if (canonical_json(signed_part) != in.manifest_bytes)
        fail(Errc::format, std::string(paths::manifest) +
                               ": not stored in canonical JSON, so it cannot travel in a metadata envelope");
    return canonical_json(trust::Envelope{std::move(signed_part), in.signatures}.to_json());
}

SignedManifest read_base_bundle(const std::filesystem::path& bundle, const trust::TrustRoot& pinned, TimePoint now) {
    try {
        BundleInput input(bundle);
        MetadataReader meta(input);
        trust::TrustRoot root = meta.root_chain(pinned);
        root.check_not_expired(now, "trust root version " + std::to_string(root.version()));
        auto signers = meta.check_signatures(root);
        return {meta.manifest(), meta.manifest_digest(), std::move(signers)};
    } catch (const Error& e) {
        rethrow_with_context(e, "base bundle " + bundle.string());
    }
}

SignedManifest read_base_envelope(const std::filesystem::path& file, const trust::TrustRoot& pinned, TimePoint now) {
    const std::string what = "base manifest " + file.string();
    try {
        Json doc = parse_json_strict(
            read_small_file(file, manifests::kMaxManifestBytes + manifests::kMaxSignaturesBytes), file.string());
        trust::Envelope envelope;
        try {
            envelope = trust::Envelope::from_json(std::move(doc), "signatures");
        } catch (const Error& e) {
            rethrow_with_context(e, "not a metadata envelope (sealift inspect --metadata-out writes one)");
        }
        std::string manifest_bytes = envelope.signed_bytes();
        auto manifest = manifests::BundleManifest::parse(manifest_bytes, std::string(paths::manifest));
        const auto& signatures = envelope.signatures;
        pinned.check_not_expired(now, "trust root version " + std::to_string(pinned.version()));
        auto signers = pinned.verify_role("targets", manifest_bytes, signatures, std::string(paths::manifest));
        return {std::move(manifest), Sha256::of(manifest_bytes), std::move(signers)};
    } catch (const Error& e) {
        rethrow_with_context(e, what);
    }
}

}  // namespace sealift::verify
