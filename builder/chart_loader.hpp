// Charts enter a bundle as packaged .tgz files; a chart folder is packaged
// here the way `helm package` would, but deterministically.
#pragma once

#include <filesystem>
#include <string>

#include "manifests/chart.hpp"

namespace sealift::builder {

struct LoadedChart {
    manifests::ChartInfo info;
    std::string archive;  // the .tgz bytes
};

LoadedChart load_chart(const std::filesystem::path& path, const std::string& where, std::int64_t mtime);

}  // namespace sealift::builder
