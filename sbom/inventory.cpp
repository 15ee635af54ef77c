#include "sbom/inventory.hpp"

#include <algorithm>
#include <cctype>

#include "core/error.hpp"
#include "manifests/reference.hpp"
#include "sbom/purl.hpp"

#ifndef SEALIFT_VERSION
#define SEALIFT_VERSION "0.0.0"
#endif

namespace sealift::sbom::detail {
namespace {

void require_digest(const Digest& digest, const std::string& of) {
    if (digest.empty()) refuse(of + " has no digest");
}

}  // namespace

void refuse(const std::string& why) { fail(Errc::format, "bundle SBOM: " + why); }

BundleContents sorted_contents(const BundleContents& input) {
    if (input.name.empty() || input.version.empty()) refuse("the release has no name or version");
    BundleContents c = input;
    std::sort(c.images.begin(), c.images.end(), [](const ImageInput& a, const ImageInput& b) { return a.ref < b.ref; });
    std::sort(c.charts.begin(), c.charts.end(),
              [](const ChartInput& a, const ChartInput& b) { return a.path < b.path; });
    std::sort(c.files.begin(), c.files.end(), [](const BundleFile& a, const BundleFile& b) { return a.path < b.path; });
    for (ImageInput& image : c.images) {
        require_digest(image.manifest_digest, "image " + image.ref);
        std::sort(image.packages.begin(),
                  image.packages.end());  // every field, so the order never depends on the input's
        image.packages.erase(std::unique(image.packages.begin(), image.packages.end()), image.packages.end());
    }
    for (const ChartInput& chart : c.charts) {
        require_digest(chart.digest, "chart " + chart.path);
        if (chart.name.empty() || chart.version.empty()) refuse("chart " + chart.path + " has no name or version");
    }
    for (const BundleFile& file : c.files) require_digest(file.digest, "file " + file.path);
    return c;
}

ImageIdentity image_identity(const ImageInput& image) {
    manifests::ImageReference ref = manifests::ImageReference::parse(image.ref, "bundle SBOM");
    if (ref.digest && *ref.digest != image.manifest_digest)
        refuse("image " + image.ref + " names a digest other than its manifest digest " + image.manifest_digest.str());
    return {ref.name(), ref.tag.empty() ? image.manifest_digest.str() : ref.tag,
            oci_purl(ref.name(), ref.tag, image.manifest_digest)};
}

std::string license_ref(const std::string& name) {
    std::string out = "LicenseRef-";
    for (char c : name) out += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ? c : '-';
    return out;
}

std::string license_expression(const std::vector<License>& licenses) {
    std::string out;
    for (const License& l : licenses) {
        std::string part = l.kind == License::Kind::name ? license_ref(l.text) : l.text;
        if (licenses.size() > 1 && part.find(' ') != std::string::npos) part = "(" + part + ")";
        out += (out.empty() ? "" : " AND ") + part;
    }
    return out;
}

const char* generator() { return "sealift " SEALIFT_VERSION; }

}  // namespace sealift::sbom::detail
