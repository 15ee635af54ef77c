#include "manifests/chart.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <memory>
#include <optional>

#include "core/error.hpp"
#include "manifests/archive_error.hpp"
#include "manifests/semver.hpp"

namespace sealift::manifests {

bool valid_chart_name(std::string_view name) {
    auto lower_alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    if (name.empty() || name.size() > kMaxChartNameLength || !lower_alnum(name.front()) || !lower_alnum(name.back()))
        return false;
    return std::all_of(name.begin(), name.end(), [&](char c) { return lower_alnum(c) || c == '-'; });
}

std::string chart_tag(std::string_view version) {
    std::string tag(version);
    std::replace(tag.begin(), tag.end(), '+', '_');
    return tag;
}

ChartInfo parse_chart_yaml(std::string_view text, const std::string& what) {
    YAML::Node doc;
    try {
        doc = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
        fail(Errc::format, what + ":" + std::to_string(e.mark.line + 1) + ": invalid YAML: " + e.msg);
    }
    if (!doc.IsMap()) fail(Errc::format, what + ": Chart.yaml is not a mapping");
    auto field = [&](const char* key, bool required) -> std::string {
        YAML::Node n = doc[key];
        if (!n) {
            if (required) fail(Errc::format, what + ": Chart.yaml has no '" + key + "'");
            return {};
        }
        if (!n.IsScalar() || n.Scalar().empty())
            fail(Errc::format, what + ": Chart.yaml '" + key + "' must be a non-empty string");
        return n.Scalar();
    };
    std::string api = field("apiVersion", true);
    if (api != "v1" && api != "v2") fail(Errc::format, what + ": Chart.yaml apiVersion '" + api + "' is not v1 or v2");
    ChartInfo info{field("name", true),         field("version", true), field("appVersion", false), api,
                   field("description", false), field("type", false)};
    if (!valid_chart_name(info.name))
        fail(Errc::format, what + ": Chart.yaml name '" + info.name.substr(0, 300) +
                               "' is not a chart name Helm accepts (lower case letters, digits and '-', starting and "
                               "ending with a letter or digit, at most " +
                               std::to_string(kMaxChartNameLength) + ")");
    if (!SemVer::valid(info.version))
        fail(Errc::format, what + ": Chart.yaml version '" + info.version + "' is not SemVer 2.0");
    return info;
}

ChartInfo read_chart_archive(std::string_view tgz, const std::string& what) {
    std::unique_ptr<archive, decltype(&archive_read_free)> a(archive_read_new(), archive_read_free);
    archive_read_support_filter_gzip(a.get());
    archive_read_support_format_tar(a.get());
    if (archive_read_open_memory(a.get(), tgz.data(), tgz.size()) != ARCHIVE_OK)
        fail(Errc::format, what + ": not a packaged chart: " + archive_error_text(a.get()));
    constexpr std::size_t kMaxChartYaml = 1u << 20;
    archive_entry* entry;
    std::optional<ChartInfo> found;
    for (std::size_t entries = 1;; ++entries) {
        int rc = archive_read_next_header(a.get(), &entry);
        if (rc == ARCHIVE_EOF) break;
        if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
            fail(Errc::format, what + ": not a valid chart archive: " + archive_error_text(a.get()));
        // Bounded before the entry's data is inflated, even to be skipped: a few KiB of gzip can stand for gigabytes.
        if (entries > kMaxChartEntries)
            fail(Errc::format,
                 what + ": the chart archive has more than " + std::to_string(kMaxChartEntries) + " entries");
        const la_int64_t size = std::max<la_int64_t>(archive_entry_size(entry), 0);
        if (static_cast<std::uint64_t>(archive_filter_bytes(a.get(), 0)) + static_cast<std::uint64_t>(size) >
            kMaxChartExpandedBytes)
            fail(Errc::format, what + ": the chart archive expands to more than " +
                                   std::to_string(kMaxChartExpandedBytes) + " bytes");
        if (found) continue;
        std::string path = archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "";
        auto slash = path.find('/');
        if (slash == std::string::npos || path.substr(slash + 1) != "Chart.yaml") continue;
        if (archive_entry_filetype(entry) != AE_IFREG)
            fail(Errc::format, what + ": " + path + " is not a regular file");
        if (size > static_cast<la_int64_t>(kMaxChartYaml)) fail(Errc::format, what + ": " + path + " is too large");
        std::string text(static_cast<std::size_t>(size), '\0');
        if (archive_read_data(a.get(), text.data(), text.size()) != static_cast<la_ssize_t>(text.size()))
            fail(Errc::format, what + ": cannot read " + path + ": " + archive_error_text(a.get()));
        ChartInfo info = parse_chart_yaml(text, what + " " + path);
        if (path.substr(0, slash) != info.name)
            fail(Errc::format,
                 what + ": chart folder '" + path.substr(0, slash) + "' does not match chart name '" + info.name + "'");
        found = std::move(info);
    }
    if (!found) fail(Errc::format, what + ": no <chart>/Chart.yaml in the archive");
    return *found;
}

ChartInfo check_chart_archive(std::string_view tgz, const std::string& name, const std::string& version,
                              const std::string& what) {
    ChartInfo info = read_chart_archive(tgz, what);
    if (info.name != name || info.version != version)
        fail(Errc::format, what + ": Chart.yaml says " + info.name + " " + info.version +
                               ", the signed manifest says " + name + " " + version);
    return info;
}

}  // namespace sealift::manifests
