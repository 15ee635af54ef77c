// The release side: `sealift build` packs a release manifest into one sealed
// bundle file (docs/bundle-format.md).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/digest.hpp"

namespace sealift::builder {

inline constexpr const char* kDefaultExpiry = "180d";

struct BuildOptions {
    std::filesystem::path release_file;
    std::vector<std::filesystem::path> key_files;   // release keys that sign the manifest
    std::filesystem::path out_dir;
    std::string expires = kDefaultExpiry;           // duration from the issue time, or a date
    std::vector<std::filesystem::path> root_files;  // newer trust roots the bundle carries (rotation)
    int level = 3;                                  // zstd level for compressible data
    unsigned threads = 0;                           // zstd workers; 0 = one per core
    bool quiet = false;
};

struct BuildResult {
    std::filesystem::path bundle;
    Digest manifest_digest;                         // SHA-256 of sealift/manifest.json
    std::uint64_t bundle_bytes = 0;
    std::size_t images = 0, blobs = 0, charts = 0, sboms = 0;
};

// Throws sealift::Error naming the input at fault; never leaves a partial bundle.
BuildResult build_bundle(const BuildOptions& options);

}  // namespace sealift::builder
