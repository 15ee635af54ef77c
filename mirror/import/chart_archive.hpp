// Where an importer finds a chart's archive: in the bundle (the verifier checked
// it), or, for a chart a delta leaves out, at the site, which holds those exact
// bytes: a registry in some repository of the release, a store in its blob store.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>

#include "mirror/import/import_plan.hpp"
#include "mirror/store/blob_store.hpp"
#include "registry/registry_client.hpp"

namespace sealift::mirror {

// A verified bundle document (PlanCollector::document).
using DocumentOf = std::function<const std::string&(const std::string& path)>;
// The bytes of a left-out chart's archive as the site holds them (chart.digest,
// chart.size), or nullopt when the site lacks them.
using SiteChartReader = std::function<std::optional<std::string>(const PlannedChart& chart)>;

// The chart's archive: the bundle's bytes, or a left-out chart's from the site,
// checked as the verifier checks a carried one (size within kMaxDocumentBytes,
// SHA-256, Chart.yaml's name and version). nullopt when the site lacks it.
std::optional<std::string> chart_archive(const PlannedChart& chart, const DocumentOf& document,
                                         const SiteChartReader& site);
std::optional<std::string> chart_archive(const PlannedChart& chart, const PlanCollector& collected,
                                         const SiteChartReader& site);

// "chart NAME:VERSION (archive DIGEST)", for messages about a left-out chart.
std::string left_out_chart_name(const PlannedChart& chart);

// Reads a left-out chart's archive from the chart's own repository, else from
// the first of `also_in` that holds it.
SiteChartReader registry_chart_reader(registry::RegistryClient& client, std::set<std::string> also_in = {});
// Reads a left-out chart's archive from the store's blob store, whichever release brought it.
SiteChartReader store_chart_reader(const store::BlobStore& blobs);

}  // namespace sealift::mirror
