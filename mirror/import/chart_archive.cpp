#include "mirror/import/chart_archive.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "manifests/chart.hpp"

namespace sealift::mirror {

std::string left_out_chart_name(const PlannedChart& c) {
    return "chart " + c.chart.name + ":" + c.chart.version + " (archive " + c.digest.str() + ")";
}

std::optional<std::string> chart_archive(const PlannedChart& c, const DocumentOf& document,
                                         const SiteChartReader& site) {
    if (!c.chart.left_out) return document(c.chart.path);
    std::string what = left_out_chart_name(c) + " at the site";
    if (c.size > manifests::kMaxDocumentBytes)
        fail(Errc::format, what + ": " + std::to_string(c.size) + " bytes, more than the " +
                               std::to_string(manifests::kMaxDocumentBytes) + " allowed");
    auto bytes = site(c);
    if (!bytes) return std::nullopt;
    if (bytes->size() != c.size || Sha256::of(*bytes) != c.digest)
        fail(Errc::integrity, what + ": the site's copy does not match the digest and size the signed manifest lists");
    manifests::check_chart_archive(*bytes, c.chart.name, c.chart.version, what);
    return bytes;
}

std::optional<std::string> chart_archive(const PlannedChart& c, const PlanCollector& collected,
                                         const SiteChartReader& site) {
    return chart_archive(
        c, [&](const std::string& path) -> const std::string& { return collected.document(path); }, site);
}

SiteChartReader registry_chart_reader(registry::RegistryClient& client, std::set<std::string> also_in) {
    return [&client, also_in = std::move(also_in)](const PlannedChart& c) -> std::optional<std::string> {
        std::string from;
        if (client.blob_exists(c.repository, c.digest)) from = c.repository;
        for (auto it = also_in.begin(); from.empty() && it != also_in.end(); ++it)
            if (client.blob_exists(*it, c.digest)) from = *it;
        if (from.empty()) return std::nullopt;
        std::string bytes;
        // The client checks the size as the bytes arrive and the digest at the end.
        client.read_blob(from, c.digest, c.size, [&](const char* data, std::size_t n) { bytes.append(data, n); });
        return bytes;
    };
}

SiteChartReader store_chart_reader(const store::BlobStore& blobs) {
    return [&blobs](const PlannedChart& c) -> std::optional<std::string> {
        if (!blobs.contains(c.digest)) return std::nullopt;
        return read_small_file(blobs.path_of(c.digest), manifests::kMaxDocumentBytes);
    };
}

}  // namespace sealift::mirror
