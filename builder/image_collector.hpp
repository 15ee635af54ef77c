// Picks the release's images out of their sources and walks each image's
// manifest tree, so every blob the bundle must carry is known (digest, size,
// media type, where to stream it from) before any of it is read.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "builder/image_source.hpp"
#include "manifests/release.hpp"

namespace sealift::builder {

struct CollectedImage {
    std::string ref;     // normalised original reference
    SourceBlob manifest;
};

struct CollectedBlob {
    SourceBlob blob;
    const ImageSource* source = nullptr;
    std::string inline_bytes;  // manifests and indexes, already read and checked
    bool is_manifest = false;  // manifest or index: written before configs and layers
    bool is_config = false;    // some manifest's config
    bool is_layer() const { return !is_manifest && !is_config; }
};

struct CollectedImages {
    std::vector<std::unique_ptr<ImageSource>> sources;
    std::vector<CollectedImage> images;        // sorted by ref
    std::map<Digest, CollectedBlob> blobs;     // every blob once
};

CollectedImages collect_images(const manifests::Release& release);

}  // namespace sealift::builder
