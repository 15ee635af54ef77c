#include "builder/image_source.hpp"

#include <algorithm>

#include "builder/image_source_layout.hpp"
#include "core/error.hpp"

namespace sealift::builder {

void add_source_image(std::vector<SourceImage>& images, SourceImage image, const std::string& describe) {
    auto it = std::lower_bound(images.begin(), images.end(), image.ref,
                               [](const SourceImage& a, const std::string& ref) { return a.ref < ref; });
    if (it != images.end() && it->ref == image.ref) {
        if (it->manifest.digest != image.manifest.digest)
            fail(Errc::format, describe + ": '" + image.ref + "' names two manifests, " + it->manifest.digest.str() +
                                   " and " + image.manifest.digest.str());
        return;
    }
    images.insert(it, std::move(image));
}

void fail_missing_blob(const std::string& describe, const SourceBlob& blob) {
    fail(Errc::format, describe + ": blob " + blob.digest.str() + " (" + blob.media_type + ") is missing");
}

void check_blob_size(const std::string& describe, const SourceBlob& blob, std::uint64_t stored_size) {
    if (stored_size != blob.size)
        fail(Errc::integrity, describe + ": blob " + blob.digest.str() + " is " + std::to_string(stored_size) +
                                  " bytes, but its descriptor says " + std::to_string(blob.size));
}

std::string read_small_blob(const ImageSource& source, const SourceBlob& blob, std::size_t max) {
    if (blob.size > max)
        fail(Errc::format, source.describe() + ": blob " + blob.digest.str() + " is " + std::to_string(blob.size) +
                               " bytes, more than the " + std::to_string(max) + " allowed");
    auto in = source.open_blob(blob);
    std::string out(blob.size, '\0');
    std::size_t got = 0;
    while (got < out.size()) {
        std::size_t n = in->read(out.data() + got, out.size() - got);
        if (n == 0) fail(Errc::integrity, source.describe() + ": blob " + blob.digest.str() + " ended early");
        got += n;
    }
    Digest actual = Sha256::of(out);
    if (actual != blob.digest)
        fail(Errc::integrity, source.describe() + ": blob " + blob.digest.str() +
                                  " does not match its digest (content is " + actual.str() + ")");
    return out;
}

std::unique_ptr<ImageSource> open_image_source(const std::filesystem::path& path,
                                               const std::optional<std::string>& default_repository) {
    std::error_code ec;
    auto status = std::filesystem::status(path, ec);
    if (!std::filesystem::exists(status)) fail(Errc::io, path.string() + ": image source does not exist");
    if (std::filesystem::is_directory(status)) return open_oci_layout(path, default_repository);
    auto tar = std::make_shared<const TarIndex>(TarIndex::open(path));
    if (tar->find("manifest.json")) return make_docker_archive_source(std::move(tar), default_repository);
    return make_layout_source(tar_layout_files(std::move(tar), "OCI archive " + path.string()), default_repository);
}

}  // namespace sealift::builder
