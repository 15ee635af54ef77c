// A delta bundle against its base: checks that the base is an earlier version of
// the same release, and splits the collected blobs into those the bundle
// carries and those it leaves to the base (layers the base already lists) or
// to the site (layers its signed inventory lists).
#pragma once

#include <vector>

#include "builder/builder.hpp"
#include "builder/image_collector.hpp"
#include "manifests/release.hpp"

namespace sealift::builder {

struct DeltaSplit {
    std::vector<const CollectedBlob*> carried;
    std::vector<manifests::ExternalBlob> external;  // sorted by digest
};

manifests::BundleBase check_base(const DeltaBase& base, const manifests::Release& release);
// Without a base or an inventory every blob is carried; give at most one.
DeltaSplit split_blobs(const CollectedImages& images, const DeltaBase* base, const InventoryBase* inventory = nullptr);

}  // namespace sealift::builder
