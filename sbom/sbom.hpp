// Software bills of materials as a release carries them: the per-image SBOMs
// a vendor supplies (CycloneDX 1.4-1.6 or SPDX 2.3 JSON), checked against the
// schema's required fields and tied to the image they claim to describe, and
// the bundle's own SBOM, a deterministic CycloneDX 1.5 inventory of the bundle,
// which `sealift sbom` also exports as SPDX 2.3 with the images' packages nested.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/digest.hpp"
#include "core/time.hpp"

namespace sealift::sbom {

enum class Format { cyclonedx, spdx };

// "application/vnd.cyclonedx+json" or "application/spdx+json".
const char* media_type(Format format);
const char* format_name(Format format);  // "cyclonedx" or "spdx"

// A hash of a component. `algorithm` is spelled as SPDX does ("SHA256",
// "SHA1", "BLAKE2b-256"); cyclonedx_hash_algorithm gives CycloneDX's spelling.
struct Hash {
    std::string algorithm;
    std::string hex;  // lowercase
    auto operator<=>(const Hash&) const = default;
};
// CycloneDX's name for an SPDX checksum algorithm ("SHA256" -> "SHA-256"), or
// nullptr for those CycloneDX has no name for (SHA224, MD2, MD4, MD6, ADLER32).
const char* cyclonedx_hash_algorithm(std::string_view spdx_algorithm);

// A license as the document states it: a CycloneDX license id or SPDX license
// expression (either way a valid SPDX expression), or a free-text name.
struct License {
    enum class Kind { id, expression, name };
    Kind kind = Kind::id;
    std::string text;
    auto operator<=>(const License&) const = default;
};

struct Component {
    std::string name, version, purl;  // version and purl may be empty
    // CycloneDX's component type ("library", "container", ...), from SPDX's
    // primaryPackagePurpose when the document is SPDX; empty when not stated.
    std::string type;
    std::vector<License> licenses;  // SPDX: licenseDeclared, else licenseConcluded (NOASSERTION/NONE left out)
    std::vector<Hash> hashes;
    auto operator<=>(const Component&) const = default;  // field by field, in this order
};

// What identifies a package from one release to the next: its purl without the
// version ("pkg:deb/debian/openssl?arch=amd64": type, namespace, name, the arch
// qualifier, subpath), else its name.
std::string package_key(const Component& component);
// Its version, else the version its purl names (empty when neither does).
std::string package_version(const Component& component);

struct Document {
    Format format = Format::cyclonedx;
    std::string spec_version;  // "1.4", "1.5", "1.6" or "SPDX-2.3"

    // What the SBOM describes: CycloneDX metadata.component, SPDX the package the
    // document DESCRIBES. All empty when the document names no subject.
    std::string subject_name, subject_version, subject_purl;
    // The subject's digest, taken in this order from: a pkg:oci purl version, a
    // version that is itself a sha256 digest, a SHA-256 hash/checksum of the subject.
    std::optional<Digest> subject_digest;

    // Every other component or package, nested CycloneDX components included.
    std::vector<Component> components;
};

// Parses (duplicate JSON keys refused) and checks a CycloneDX 1.4/1.5/1.6 or
// SPDX 2.3 JSON document: the fields the schema requires, their types, enums
// and patterns, unique bom-refs / SPDXIDs. Errors are Errc::format and read
// "<what>: <JSON path>: <reason>", e.g. "api.cdx.json: $.components[3].name: missing required field".
Document parse(std::string_view text, const std::string& what);

// Checks that a parsed SBOM is the format it is declared as, so it is never pushed
// under the other format's media type: `declared_format` (a bundle's
// sboms[].format, "cyclonedx" or "spdx"), `media_type` (its entry's) and its file
// name (*.spdx.json says SPDX; *.cdx.json, *.bom.json and bom.json say CycloneDX;
// others say nothing) must all agree with the document. Errc::format naming `what`.
void check_declared_format(const Document& document, std::string_view file_name, std::string_view declared_format,
                           std::string_view media_type, const std::string& what);

// Checks that the SBOM describes the image `image_ref` (e.g.
// "registry.example.com/platform/api:1.0.0") whose manifest digest is
// `manifest_digest`. A subject digest must equal it. Without one, the subject
// name must be the repository (with or without registry host, or its last path
// segment) and a subject version, when set, must be the reference's tag.
// Throws Errc::format naming `what`, the subject found and the image expected.
void check_subject(const Document& document, std::string_view image_ref, const Digest& manifest_digest,
                   const std::string& what);

// The bundle's own SBOM, written from what the bundle holds: its images and
// charts as the SBOM takes them in (not manifests::BundleImage/BundleChart,
// which are the signed manifest's records).
struct ImageInput {
    std::string ref;  // as the release names it, e.g. registry.example.com/platform/api:1.0.0
    Digest manifest_digest;
    std::string media_type;  // of the manifest or index
    // What the image's own SBOMs list (the builder leaves this empty; `sealift sbom` fills it).
    std::vector<Component> packages;
};
struct ChartInput {
    std::string name, version, app_version, path;  // path: the .tgz entry in the bundle
    Digest digest;                                 // of the .tgz
};
struct BundleFile {
    std::string path;
    Digest digest;
    std::string kind;  // "sbom", "release-notes"
};
struct BundleContents {
    std::string name, version, channel;
    TimePoint timestamp{};
    std::vector<ImageInput> images;
    std::vector<ChartInput> charts;
    std::vector<BundleFile> files;
};

// CycloneDX 1.5 JSON describing the release (metadata.component) and every image
// (type container, pkg:oci purl), chart (type application, pkg:helm purl) and
// file (type file) in it, each with its SHA-256. Deterministic: the same contents
// in any order give the same bytes, serialNumber included (derived from the content).
// Each image's packages, when there are any, are nested components of the image
// (sorted, exact duplicates dropped), and make the serial number differ.
std::string write_bundle_cyclonedx(const BundleContents& contents);

// The same inventory as SPDX 2.3 JSON: one package for the release, which
// CONTAINS a package per image (purpose CONTAINER), chart (APPLICATION) and file
// (FILE), each image CONTAINS its packages; the document DESCRIBES the release.
// Deterministic: documentNamespace is derived from `bundle_digest` (the digest
// of the bundle's signed manifest), creationInfo.created is contents.timestamp.
// What maps from CycloneDX: name, version, purl, licenses (ids and expressions
// as they are, free-text names as LicenseRef- with their text), hashes, type
// (as primaryPackagePurpose). docs/sbom-export.md lists what does not.
std::string write_bundle_spdx(const BundleContents& contents, const Digest& bundle_digest);

}  // namespace sealift::sbom
