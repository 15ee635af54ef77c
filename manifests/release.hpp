// The release manifest: the YAML a release engineer writes to describe one
// release. Parsed strictly: unknown keys, missing files, bad versions and bad
// references are errors naming file:line:column and what is wrong.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "manifests/semver.hpp"

namespace sealift::manifests {

enum class Channel { stable, lts, hotfix };
const char* channel_name(Channel channel);
std::optional<Channel> parse_channel(std::string_view text);

// "release.yaml:12:5", 1-based, for error messages.
struct SourceLocation {
    std::string file;
    int line = 0, column = 0;
    std::string str() const { return file + ":" + std::to_string(line) + ":" + std::to_string(column); }
};

enum class ImageSourceKind { layout, oci_archive, docker_archive, registry };

struct ImageEntry {
    ImageSourceKind kind;
    std::filesystem::path path;          // resolved against the manifest's folder (not for registry)
    std::vector<std::string> refs;       // only these references; empty = every tagged image.
                                         // registry: exactly one, the `ref:` to pull (tag and/or digest)
    std::string repository;              // for layouts that tag with a bare tag ("1.0.0")
    std::vector<std::string> platforms;  // registry: "os/arch[/variant]" kept from an index; empty = all
    // `verify: {cosignKey: FILE}`: every image of the entry must carry a cosign
    // signature that verifies with this public key (SPKI PEM), checked at build time.
    std::optional<std::filesystem::path> cosign_key;
    SourceLocation cosign_key_where;
    SourceLocation where;
};

struct ChartEntry {
    std::filesystem::path path;  // a packaged .tgz or a chart folder
    SourceLocation where;
};

struct SbomEntry {
    std::filesystem::path path;
    std::string for_ref;  // the image reference the SBOM describes
    SourceLocation where;
};

struct Release {
    std::filesystem::path file;
    std::string name;
    SemVer version;
    Channel channel = Channel::stable;
    std::optional<TimePoint> created;  // metadata.created: fixes timestamps for reproducible builds
    std::vector<ImageEntry> images;
    std::vector<ChartEntry> charts;
    std::vector<SbomEntry> sboms;
    std::optional<std::filesystem::path> release_notes;
    SourceLocation release_notes_where;
    std::optional<std::filesystem::path> lock_file;  // `lock:`: pull registry images at the digests it records
    SourceLocation lock_where;
};

Release load_release(const std::filesystem::path& file);
// For tests: parse text as if read from `file` (paths resolve against its folder).
Release parse_release(std::string_view yaml, const std::filesystem::path& file);

// Release names become file names and repository paths: [a-z0-9]([a-z0-9.-]*[a-z0-9])?, at most 63.
bool valid_release_name(std::string_view name);

// A platforms: filter item: "os/arch" or "os/arch/variant", lowercase [a-z0-9._-] components.
bool valid_platform_filter(std::string_view platform);

}  // namespace sealift::manifests
