// Where the images of a release come from: an OCI image layout folder, a tar
// of one (skopeo's oci-archive), or `docker save` output. Every kind answers
// the same questions: which tagged images it holds, and the bytes of a blob.
// Blobs stream straight from the files (tar entries are read in place), so a
// multi-gigabyte source is never copied or held in memory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/digest.hpp"
#include "core/stream.hpp"

namespace sealift::builder {

struct SourceBlob {
    Digest digest;
    std::uint64_t size = 0;
    std::string media_type;
};

struct SourceImage {
    std::string ref;      // as the source names it, e.g. "registry.example.com/platform/api:1.0.0" or "nginx:1.25"
    SourceBlob manifest;  // an image manifest, or an index for a multi-platform image
    // Registry sources: the digest the reference resolved to in the registry. It
    // differs from manifest.digest when a platforms filter wrote a smaller index.
    std::optional<Digest> registry_digest;
};

// A signature, attestation or referrer the source holds for a manifest.
struct SourceAttachment {
    Digest subject;
    std::string kind;  // manifests::attachment_kind
    std::string tag;   // cosign's sha256-<hex>.sig / .att; empty for referrers
    SourceBlob manifest;
};

class ImageSource {
public:
    virtual ~ImageSource() = default;
    // Every tagged image, sorted by ref; untagged entries and attachment tags
    // (sha256-<hex>.sig, .att and the referrers fallback sha256-<hex>) are left out.
    virtual const std::vector<SourceImage>& images() const = 0;
    // Streams exactly blob.size bytes. A missing blob is Errc::format and a
    // stored size other than blob.size Errc::integrity, both naming the source
    // and digest. The content is not hashed here: the reader hashes what it copies.
    virtual std::unique_ptr<ByteSource> open_blob(const SourceBlob& blob) const = 0;
    virtual std::string describe() const = 0;  // "OCI layout corpus/images"
    // What refers to `subject` (cosign tags, OCI referrers), for carrying along;
    // a source without such a notion has none.
    virtual std::vector<SourceAttachment> attachments(const Digest& subject) const {
        (void)subject;
        return {};
    }
};

// Image names: an index.json entry's org.opencontainers.image.ref.name may be a
// full reference ("registry.example.com/platform/api:1.0.0") or a bare tag
// ("1.0.0", as skopeo and umoci write). A bare tag takes its repository from
// io.containerd.image.name when present (docker save, ctr export), else from
// `default_repository` ("registry.example.com/platform/api"); without either
// it is an error naming the source and entry.

// A folder with oci-layout, index.json and blobs/sha256/. Symlinked blobs are refused.
std::unique_ptr<ImageSource> open_oci_layout(const std::filesystem::path& dir,
                                             const std::optional<std::string>& default_repository = {});

// An uncompressed tar of an OCI layout (skopeo oci-archive:). Compressed tars
// are refused with a message to decompress them first: blobs are served as
// byte ranges of the tar itself, which needs an uncompressed file.
std::unique_ptr<ImageSource> open_oci_archive(const std::filesystem::path& tar,
                                              const std::optional<std::string>& default_repository = {});

// `docker save` output (uncompressed). When the tar holds an OCI layout
// (Docker 25 and later) that layout is used; otherwise manifest.json's Config,
// RepoTags and Layers give one synthesised OCI manifest per image (config
// bytes unchanged, layer digests computed from the layer tars), served from memory.
std::unique_ptr<ImageSource> open_docker_archive(const std::filesystem::path& tar,
                                                 const std::optional<std::string>& default_repository = {});

// Picks the kind: a folder is an OCI layout, a tar with manifest.json a Docker
// archive, any other tar an OCI archive.
std::unique_ptr<ImageSource> open_image_source(const std::filesystem::path& path,
                                               const std::optional<std::string>& default_repository = {});

// The whole blob, checked against its size and digest (Errc::integrity), for
// manifests and configs; refuses blobs larger than `max`.
std::string read_small_blob(const ImageSource& source, const SourceBlob& blob, std::size_t max = 4u << 20);

}  // namespace sealift::builder
