// Helm charts as Sealift reads them: a packaged chart (.tgz) whose top folder
// holds Chart.yaml with at least name and a SemVer version.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sealift::manifests {

// What a chart archive may expand to, checked entry by entry before its data is
// read: Helm's own cap on a chart's decompressed size, and a count of entries no
// real chart comes near.
inline constexpr std::uint64_t kMaxChartExpandedBytes = 100u << 20;
inline constexpr std::size_t kMaxChartEntries = 10000;
inline constexpr std::size_t kMaxChartNameLength = 248;  // charts/<name> stays within a repository name's 255

// A chart name as Helm's lint requires it: lower case letters, digits and '-',
// starting and ending with a letter or digit ("[a-z0-9]([-a-z0-9]*[a-z0-9])?").
// It is also one component of a repository name, so charts/<name> is a valid
// repository and no name is '.', '..' or holds a '/'.
bool valid_chart_name(std::string_view name);

// Helm's OCI tag for a chart version: SemVer build metadata's '+' written '_'.
std::string chart_tag(std::string_view version);

struct ChartInfo {
    std::string name, version, app_version;
    std::string api_version;        // v1 or v2
    std::string description, type;  // optional, carried into Helm's OCI config
};

// Reads <top>/Chart.yaml out of a packaged chart held in memory, walking the whole
// archive to hold it to kMaxChartExpandedBytes and kMaxChartEntries. Errors name `what`.
ChartInfo read_chart_archive(std::string_view tgz, const std::string& what);

// Reads the archive as read_chart_archive does and checks that its Chart.yaml
// has the name and version a bundle manifest lists for it (what a verifier checks
// of a carried chart, and an importer of one a delta leaves to the site).
ChartInfo check_chart_archive(std::string_view tgz, const std::string& name, const std::string& version,
                              const std::string& what);

// Parses Chart.yaml text (apiVersion v1 or v2, name as valid_chart_name, version as SemVer, optional appVersion).
ChartInfo parse_chart_yaml(std::string_view text, const std::string& what);

}  // namespace sealift::manifests
