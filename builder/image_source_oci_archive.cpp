// A tar of an OCI layout, as `skopeo copy ... oci-archive:` writes it. The tar
// is indexed once and blobs are byte ranges of it: nothing is extracted.
#include "builder/image_source_layout.hpp"
#include "core/error.hpp"

namespace sealift::builder {
namespace {

class TarFiles : public LayoutFiles {
public:
    TarFiles(std::shared_ptr<const TarIndex> tar, std::string describe)
        : tar_(std::move(tar)), describe_(std::move(describe)) {}
    std::string describe() const override { return describe_; }

    std::optional<std::string> read_small(const std::string& path, std::size_t max_bytes) const override {
        if (!tar_->find(path)) return std::nullopt;
        return tar_->read_small(tar_->regular(path), max_bytes);
    }

    std::unique_ptr<ByteSource> open(const std::string& path, std::uint64_t& size) const override {
        if (!tar_->find(path)) return nullptr;
        const TarEntry& entry = tar_->regular(path);  // symlinks and hard links refused
        size = entry.size;
        return tar_->open_entry(entry);
    }

private:
    std::shared_ptr<const TarIndex> tar_;
    std::string describe_;
};

}  // namespace

std::unique_ptr<LayoutFiles> tar_layout_files(std::shared_ptr<const TarIndex> tar, std::string describe) {
    return std::make_unique<TarFiles>(std::move(tar), std::move(describe));
}

std::unique_ptr<ImageSource> open_oci_archive(const std::filesystem::path& tar,
                                              const std::optional<std::string>& default_repository) {
    auto index = std::make_shared<const TarIndex>(TarIndex::open(tar));
    return make_layout_source(tar_layout_files(std::move(index), "OCI archive " + tar.string()), default_repository);
}

}  // namespace sealift::builder
