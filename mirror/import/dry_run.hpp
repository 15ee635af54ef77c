// What `mirror import --dry-run` reads of a bundle: the signed metadata, checked
// as the import checks it, then only the entries an import plan is made of.
#pragma once

#include <filesystem>

#include "mirror/import/import_plan.hpp"
#include "verify/verify.hpp"

namespace sealift::mirror {

// Verifies the signed metadata (signatures, expiry, channel rules), then feeds
// `collector` the image manifests, charts and SBOMs, read from the front of the
// bundle and checked against the sizes and digests the signed manifest lists:
// configs and layers are never read. The caller finishes the plan.
verify::VerifyReport collect_plan_from_metadata(const std::filesystem::path& bundle, const trust::TrustRoot& root,
                                                const verify::VerifyOptions& options, PlanCollector& collector);

}  // namespace sealift::mirror
