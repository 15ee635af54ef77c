// OCI and Docker manifests, indexes and descriptors, as read from image
// layouts and registries. The bytes of a manifest are never re-encoded: its
// digest is the digest of the bytes it arrived as, so the parsed view keeps
// them alongside the fields Sealift needs.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/digest.hpp"
#include "core/json.hpp"
#include "manifests/media_types.hpp"

namespace sealift::manifests {

// The empty descriptor's content "{}" (OCI 1.1), used as config of artifacts.
inline constexpr const char* empty_json_digest =
    "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

inline constexpr std::size_t max_manifest_size = 4u << 20;

namespace annotation {
inline constexpr const char* ref_name = "org.opencontainers.image.ref.name";
inline constexpr const char* containerd_image_name = "io.containerd.image.name";
}  // namespace annotation

struct Platform {
    std::string architecture, os, os_version, variant;
    std::vector<std::string> os_features, features;

    Json to_json() const;
    static Platform from_json(const Json& value, const std::string& what);
    std::string str() const;  // "linux/arm64/v8"
};

struct Descriptor {
    std::string media_type;
    Digest digest;
    std::uint64_t size = 0;
    std::map<std::string, std::string> annotations;
    std::optional<Platform> platform;
    std::string artifact_type;
    std::vector<std::string> urls;  // where nondistributable layers are fetched from

    // Writes only the fields that are set; the embedded "data" field is not kept.
    Json to_json() const;
    // Checks mediaType, digest (sha256 only), size, annotations, platform, urls.
    static Descriptor from_json(const Json& value, const std::string& what);
};

struct ImageManifest {
    std::string bytes;  // exactly as read: the digest is of these bytes
    Digest digest;
    Json raw;
    std::string media_type;  // the mediaType field, else the type it was declared as
    Descriptor config;
    std::vector<Descriptor> layers;
    std::optional<Descriptor> subject;
    std::string artifact_type;
    std::map<std::string, std::string> annotations;

    // Reads the fields of an already parsed manifest (bytes and digest left empty).
    static ImageManifest from_json(Json raw, std::string media_type, const std::string& what);
};

struct ImageIndex {
    std::string bytes;
    Digest digest;
    Json raw;
    std::string media_type;
    std::vector<Descriptor> manifests;
    std::optional<Descriptor> subject;
    std::string artifact_type;
    std::map<std::string, std::string> annotations;

    static ImageIndex from_json(Json raw, std::string media_type, const std::string& what);
};

using ManifestOrIndex = std::variant<ImageManifest, ImageIndex>;

// Parses manifest bytes of at most max_manifest_size. The kind comes from the
// document's mediaType field, else from `declared_media_type` (the descriptor
// or Content-Type it came with), else from its shape; a field contradicting the
// declared type, schema 1 and unknown types are refused naming `what`.
ManifestOrIndex parse_manifest_or_index(std::string_view bytes, std::string_view declared_media_type,
                                        const std::string& what);

// What a referrers index lists for a referrer (OCI distribution spec, "Listing
// Referrers"): its media type, digest and size, its artifactType (a manifest
// without one: its config's media type) and its annotations. A referrer is an
// image manifest or an image index; `what` names it in errors.
Descriptor referrer_descriptor(std::string_view bytes, const std::string& media_type, const std::string& what);

bool is_manifest_media_type(std::string_view media_type);  // OCI or Docker image manifest
bool is_index_media_type(std::string_view media_type);     // OCI index or Docker manifest list
bool is_known_media_type(std::string_view media_type);     // any constant above
bool is_compressed_layer(std::string_view media_type);     // gzip or zstd content: not worth compressing again

}  // namespace sealift::manifests
