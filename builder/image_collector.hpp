// Picks the release's images out of their sources and walks each image's
// manifest tree, so every blob the bundle must carry is known (digest, size,
// media type, where to stream it from) before any of it is read.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "builder/image_source.hpp"
#include "builder/lock_file.hpp"
#include "manifests/release.hpp"
#include "registry/registry_client.hpp"

namespace sealift::builder {

struct CollectedImage {
    std::string ref;  // normalised original reference
    SourceBlob manifest;
    std::optional<Digest> registry_digest;  // registry images: what the reference resolved to
};

struct CollectedBlob {
    SourceBlob blob;
    const ImageSource* source = nullptr;
    std::string inline_bytes;  // manifests and indexes, already read and checked
    bool is_manifest = false;  // manifest or index: written before configs and layers
    bool is_config = false;    // some manifest's config
    bool attached = false;     // part of a signature or referrer: always carried (delta bundles too)
    bool is_layer() const { return !is_manifest && !is_config && !attached; }
};

struct CollectedAttachment {
    std::string ref;  // the image it belongs to
    SourceAttachment attachment;
};

struct CollectedImages {
    std::vector<std::unique_ptr<ImageSource>> sources;
    std::vector<CollectedImage> images;            // sorted by ref
    std::map<Digest, CollectedBlob> blobs;         // every blob once
    LockFile resolved;                             // every registry image's resolved digest
    std::vector<CollectedAttachment> attachments;  // signatures and referrers of the images, and their subjects'
};

// How `ref:` images are pulled: one transport for every registry, the
// explicit credentials (else each host's from the environment or Docker
// config), and an optional lock file whose digests win over tags.
struct RegistryPull {
    registry::RegistryOptions options;
    std::optional<registry::Credentials> credentials;
    std::optional<LockFile> lock;
    std::string lock_origin;  // "--from-lock FILE", for messages
};

CollectedImages collect_images(const manifests::Release& release, const RegistryPull& pull = {});

}  // namespace sealift::builder
