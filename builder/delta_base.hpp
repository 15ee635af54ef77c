// A delta bundle against its base: checks that the base is an earlier version of
// the same release, and splits the collected blobs and chart archives into those
// the bundle carries and those it leaves to the base (layers and chart archives
// the base already lists) or to the site (those its signed inventory lists).
#pragma once

#include <set>
#include <vector>

#include "builder/builder.hpp"
#include "builder/image_collector.hpp"
#include "manifests/release.hpp"

namespace sealift::builder {

struct DeltaSplit {
    std::vector<const CollectedBlob*> carried;
    std::vector<manifests::ExternalBlob> external;  // sorted by digest: left-out layers and chart archives
    std::set<Digest> left_out_charts;               // archives of `charts` the site holds
};

manifests::BundleBase check_base(const DeltaBase& base, const manifests::Release& release);
// Without a base or an inventory every blob and chart is carried; give at most one.
// `charts`: the digest and size of each packaged chart archive of the release.
DeltaSplit split_blobs(const CollectedImages& images, const std::vector<manifests::ExternalBlob>& charts,
                       const DeltaBase* base, const InventoryBase* inventory = nullptr);

}  // namespace sealift::builder
