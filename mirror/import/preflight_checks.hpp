// The checks of `mirror preflight`, written once against SiteContent, for a
// registry and for the store alike: is everything a verified bundle's release
// needs at the site, and intact?
#pragma once

#include <vector>

#include "mirror/import/chart_archive.hpp"
#include "mirror/import/import.hpp"
#include "mirror/import/import_plan.hpp"
#include "mirror/import/site_content.hpp"

namespace sealift::mirror {

// After the collector saw the whole bundle and its plan finished; `site_charts`
// reads the archive of a chart a delta leaves out from the site.
//
// One row per image, chart and SBOM referrer, in the plan's order: "present" when
// its tag points to the manifest the release expects (an SBOM: when its image lists
// it among its referrers), else "missing" or "different". After a present one, a row
// for each of its manifests and blobs (each checked once per repository) that is
// missing or, with `read_blobs`, does not read back with its digest.
std::vector<PreflightRow> preflight_checks(PlanCollector& collected, const SiteChartReader& site_charts,
                                           SiteContent& site, bool read_blobs);

}  // namespace sealift::mirror
