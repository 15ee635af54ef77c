#include "builder/chart_loader.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "core/error.hpp"
#include "core/file.hpp"
#include "manifests/archive_error.hpp"
#include "manifests/bundle_manifest.hpp"

namespace sealift::builder {
namespace {

constexpr std::size_t kMaxChartBytes = manifests::kMaxDocumentBytes;

std::string package_folder(const std::filesystem::path& dir, const std::string& name, std::int64_t mtime,
                           const std::string& where) {
    std::vector<std::filesystem::path> files;
    for (auto it = std::filesystem::recursive_directory_iterator(dir);
         it != std::filesystem::recursive_directory_iterator(); ++it) {
        if (it->is_symlink())
            fail(Errc::format, where + ": chart folder holds a symbolic link: " + it->path().string());
        if (it->is_regular_file()) files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());

    std::unique_ptr<archive, decltype(&archive_write_free)> a(archive_write_new(), archive_write_free);
    archive_write_set_format_pax_restricted(a.get());
    archive_write_add_filter_gzip(a.get());
    archive_write_set_filter_option(a.get(), "gzip", "timestamp", nullptr);  // no mtime in the gzip header
    std::vector<char> out(kMaxChartBytes);
    std::size_t used = 0;
    if (archive_write_open_memory(a.get(), out.data(), out.size(), &used) != ARCHIVE_OK)
        fail(Errc::internal, where + ": cannot package chart: " + manifests::archive_error_text(a.get()));
    std::size_t total = 0;
    for (const auto& f : files) {
        std::string data = read_small_file(f, kMaxChartBytes);
        total += data.size();
        if (total > kMaxChartBytes) fail(Errc::format, where + ": chart folder is larger than 16 MiB");
        std::unique_ptr<archive_entry, decltype(&archive_entry_free)> e(archive_entry_new(), archive_entry_free);
        std::string path = name + "/" + std::filesystem::relative(f, dir).generic_string();
        archive_entry_set_pathname(e.get(), path.c_str());
        archive_entry_set_filetype(e.get(), AE_IFREG);
        archive_entry_set_perm(e.get(), 0644);
        archive_entry_set_size(e.get(), static_cast<la_int64_t>(data.size()));
        archive_entry_set_mtime(e.get(), mtime, 0);
        if (archive_write_header(a.get(), e.get()) != ARCHIVE_OK ||
            archive_write_data(a.get(), data.data(), data.size()) != static_cast<la_ssize_t>(data.size()))
            fail(Errc::format, where + ": cannot package " + path + ": " + manifests::archive_error_text(a.get()));
    }
    if (archive_write_close(a.get()) != ARCHIVE_OK)
        fail(Errc::format, where + ": cannot package chart: " + manifests::archive_error_text(a.get()));
    out.resize(used);
    return std::string(out.begin(), out.end());
}

}  // namespace

LoadedChart load_chart(const std::filesystem::path& path, const std::string& where, std::int64_t mtime) {
    LoadedChart chart;
    if (std::filesystem::is_directory(path)) {
        auto info = manifests::parse_chart_yaml(read_small_file(path / "Chart.yaml", 1u << 20),
                                                where + " " + (path / "Chart.yaml").string());
        chart.archive = package_folder(path, info.name, mtime, where);
    } else {
        chart.archive = read_small_file(path, kMaxChartBytes);
    }
    chart.info = manifests::read_chart_archive(chart.archive, where + " " + path.string());
    return chart;
}

}  // namespace sealift::builder
