// What the images and charts a bundle names must be for an importer to place
// them: references and chart names that are valid repositories and tags at any
// site, and image trees no deeper than importers walk. Importers need these
// rules, so BundleManifest::parse and the verifier apply them too: a bundle that
// verifies is one every importer accepts (docs/bundle-format.md sections 7.3 and 12).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/digest.hpp"
#include "manifests/bundle_manifest.hpp"
#include "manifests/reference.hpp"

namespace sealift::manifests {

// Indexes nest at most this deep below an image's top manifest (or index): the
// top is depth 0, its index's children depth 1, and so on.
inline constexpr int kMaxIndexDepth = 4;

// A bundle image's reference: valid, normalized (as sealift.images[].ref must be)
// and with a tag to import it under. Errc::format naming `what` otherwise.
ImageReference image_reference(const std::string& ref, const std::string& what);

// Where a chart is imported, below the site's prefix: "charts/<name>", for a
// valid_chart_name. Errc::format naming the chart otherwise.
std::string chart_repository(const std::string& chart_name);

// The signed manifest's names: every image reference (image_reference), SBOM
// and attachment naming one of its images, every chart's name, its Helm tag and
// its path charts/<name>-<version>.tgz, and no chart name and version twice.
// `what` names the manifest in errors.
void check_content_names(const BundleManifest& manifest, const std::string& what);

// An index's children, or nullptr for a manifest that is not an index (or not known).
using IndexChildren = std::function<const std::vector<Digest>*(const Digest&)>;
// Nothing below `top` lies deeper than kMaxIndexDepth. `what` names the image.
void check_index_depth(const Digest& top, const IndexChildren& children, const std::string& what);

}  // namespace sealift::manifests
