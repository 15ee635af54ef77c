// What a release puts in the store, derived from the same ImportPlan a registry
// import pushes: images under their original names (host kept), charts as Helm
// OCI artifacts under charts/<name>, SBOMs as referrers of their image. Import
// records it; preflight expects it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "mirror/import/import_plan.hpp"
#include "mirror/store/blob_store.hpp"
#include "mirror/store/store_state.hpp"

namespace sealift::mirror {

struct PlannedContent {
    store::ReleaseContent content;
    // Blobs made from the bundle rather than streamed from it: artifact manifests
    // and configs, chart archives, SBOM documents. Each key is its bytes' digest
    // (checked by the verifier or computed from them), so they need no second hash.
    std::map<Digest, std::string> made_blobs;
    // Every blob the release needs, manifests included: digest -> size.
    std::map<Digest, std::uint64_t> needed_blobs;
    // Charts a delta leaves out whose archive the blob store lacks: their Helm
    // artifact cannot be made (an import refuses before; preflight and dry run report them).
    std::vector<PlannedChart> missing_charts;
};

// The store key of an original image reference: registry/repository, no tag or digest.
std::string image_repository_key(const std::string& original_reference);

// After the collector saw the whole bundle; runs plan.finish(). A chart the bundle
// leaves out is read from `blobs` and checked as the verifier checks a carried one.
PlannedContent plan_content(PlanCollector& collected, const store::BlobStore& blobs);

}  // namespace sealift::mirror
