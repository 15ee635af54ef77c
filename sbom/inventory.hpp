// What the bundle SBOM's two writers (CycloneDX and SPDX) share: the contents
// in one canonical order, and how an image is named, versioned and addressed.
#pragma once

#include <string>

#include "sbom/sbom.hpp"

namespace sealift::sbom::detail {

// Throws Errc::format "bundle SBOM: <why>".
[[noreturn]] void refuse(const std::string& why);

// Images by ref, charts and files by path, each image's packages sorted with
// exact duplicates dropped; refuses a release without name or version, and
// images, charts or files without a digest.
BundleContents sorted_contents(const BundleContents& contents);

struct ImageIdentity {
    std::string name;     // registry/repository
    std::string version;  // the tag, else the manifest digest
    std::string purl;     // pkg:oci with the manifest digest
};
// Refuses a reference that names a digest other than the manifest's.
ImageIdentity image_identity(const ImageInput& image);

// A license list as one SPDX license expression: ids and expressions as they
// are, a free-text name as LicenseRef-<name with other characters as '-'>,
// joined by AND (compound parts in parentheses). Empty for no licenses.
std::string license_expression(const std::vector<License>& licenses);
// LicenseRef-<name>: the reference a free-text license name gets.
std::string license_ref(const std::string& name);

// "sealift <version>", the generator both formats name.
const char* generator();

}  // namespace sealift::sbom::detail
