// Private to the builder: upstream image signatures checked before packing.
// An image entry with `verify: {cosignKey: FILE}` is packed only when the
// source holds a key-based cosign signature of the image that verifies with
// that key: a sha256-<hex>.sig manifest whose simple-signing layer is a
// payload naming the image's digest, signed (ECDSA P-256 over SHA-256, DER,
// base64 in the dev.cosignproject.cosign/signature annotation) by the key.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "builder/image_collector.hpp"
#include "builder/image_source.hpp"
#include "trust/trust.hpp"

namespace sealift::builder {

namespace cosign {
inline constexpr const char* signature_annotation = "dev.cosignproject.cosign/signature";
inline constexpr const char* signature_type = "cosign container image signature";
inline constexpr std::size_t max_payload_bytes = 64u << 10;  // real payloads are a few hundred bytes
}  // namespace cosign

// A cosign public key file (`cosign generate-key-pair`'s cosign.pub: an SPKI PEM
// ECDSA P-256 key). Errors name `where` (the release file position) and the file.
struct CosignKey {
    trust::PublicKey key;
    std::filesystem::path file;
    static CosignKey load(const std::filesystem::path& file, const std::string& where);
};

// The digest cosign signs for an image: what its reference names in the
// source (for a registry index with a platforms filter, the registry's own
// index, not the filtered copy the bundle carries). For an index that is the
// index digest, as `cosign sign` signs by default; children are not required
// to be signed.
Digest cosign_signed_digest(const CollectedImage& image);

// Passes when at least one signature among `attachments` (those the source
// holds for the image) verifies with `key`; signatures of the signed digest are
// asked from the source when `attachments` has none for it. Otherwise throws
// Errc::signature naming the image, the source, the key and why each candidate
// failed (no .sig tag, payload for another digest, signature does not verify...).
// A signature manifest among `collected` (read and checked already) is not read again.
void check_cosign_signature(const ImageSource& source, const CollectedImage& image,
                            const std::vector<SourceAttachment>& attachments, const CosignKey& key,
                            const std::map<Digest, CollectedBlob>& collected);

}  // namespace sealift::builder
