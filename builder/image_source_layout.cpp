// OCI image layouts (image-spec image-layout.md): oci-layout names the
// version, index.json lists the tagged manifests, blobs/sha256/<hex> hold the
// content.
#include <sys/stat.h>

#include "builder/image_source_layout.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "core/json.hpp"
#include "manifests/oci.hpp"
#include "manifests/reference.hpp"

namespace sealift::builder {
namespace {

namespace fs = std::filesystem;
using manifests::Descriptor;

constexpr std::size_t max_index_json = 64u << 20;

class FolderFiles : public LayoutFiles {
public:
    explicit FolderFiles(fs::path dir) : dir_(std::move(dir)) {
        refuse_symlink("blobs");
        refuse_symlink("blobs/sha256");
    }
    std::string describe() const override { return "OCI layout " + dir_.string(); }

    std::optional<std::string> read_small(const std::string& path, std::size_t max_bytes) const override {
        if (!present(path)) return std::nullopt;
        return read_small_file(dir_ / path, max_bytes);
    }

    std::unique_ptr<ByteSource> open(const std::string& path, std::uint64_t& size) const override {
        if (!present(path)) return nullptr;
        auto file = std::make_shared<const File>(File::open_regular(dir_ / path));  // O_NOFOLLOW: no symlink swapped in
        size = file->size();
        return std::make_unique<FileRangeSource>(std::move(file), 0, size);
    }

private:
    // Whether `path` exists, refusing symlinks and anything but regular files.
    bool present(const std::string& path) const {
        struct stat st {};
        if (::lstat((dir_ / path).c_str(), &st) != 0) return false;
        if (S_ISLNK(st.st_mode)) fail(Errc::format, describe() + ": " + path + " is a symbolic link, refusing it");
        if (!S_ISREG(st.st_mode)) fail(Errc::format, describe() + ": " + path + " is not a regular file");
        return true;
    }

    void refuse_symlink(const std::string& sub) const {
        std::error_code ec;
        if (fs::is_symlink(fs::symlink_status(dir_ / sub, ec)))
            fail(Errc::format, describe() + ": " + sub + " is a symbolic link, refusing it");
    }

    fs::path dir_;
};

class LayoutSource : public ImageSource {
public:
    LayoutSource(std::unique_ptr<LayoutFiles> files, const std::optional<std::string>& default_repository)
        : files_(std::move(files)) {
        check_layout_version();
        read_index(default_repository);
    }

    const std::vector<SourceImage>& images() const override { return images_; }
    std::string describe() const override { return files_->describe(); }

    std::unique_ptr<ByteSource> open_blob(const SourceBlob& blob) const override {
        std::uint64_t size = 0;
        auto in = files_->open("blobs/sha256/" + std::string(blob.digest.hex()), size);
        if (!in) fail_missing_blob(describe(), blob);
        check_blob_size(describe(), blob, size);
        return in;
    }

private:
    void check_layout_version() {
        std::string what = describe() + " oci-layout";
        auto text = files_->read_small("oci-layout", 64u << 10);
        if (!text) fail(Errc::format, describe() + ": has no oci-layout file, so it is not an OCI image layout");
        std::string version = json_string(parse_json_strict(*text, what), "imageLayoutVersion", what);
        if (!version.starts_with("1."))
            fail(Errc::format, what + ": imageLayoutVersion '" + version + "' is not supported (only 1.x)");
    }

    void read_index(const std::optional<std::string>& default_repository) {
        std::string what = describe() + " index.json";
        auto text = files_->read_small("index.json", max_index_json);
        if (!text) fail(Errc::format, describe() + ": has no index.json");
        auto index = manifests::ImageIndex::from_json(parse_json_strict(*text, what), manifests::media_type::oci_index, what);
        for (std::size_t i = 0; i < index.manifests.size(); ++i) {
            const Descriptor& d = index.manifests[i];
            std::string entry = what + " manifests[" + std::to_string(i) + "]";
            auto ref = reference_of(d, default_repository, entry);
            if (!ref) continue;
            if (!manifests::is_manifest_media_type(d.media_type) && !manifests::is_index_media_type(d.media_type))
                fail(Errc::format, entry + " ('" + *ref + "'): media type '" + d.media_type +
                                       "' is not an image manifest or index");
            auto parsed = manifests::ImageReference::parse(*ref, entry);
            if (parsed.digest && *parsed.digest != d.digest)
                fail(Errc::format, entry + ": reference '" + *ref + "' does not match the entry's digest " + d.digest.str());
            add_source_image(images_, SourceImage{*ref, SourceBlob{d.digest, d.size, d.media_type}}, describe());
        }
    }

    // The image name of an index.json entry, or nullopt for an untagged one.
    static std::optional<std::string> reference_of(const Descriptor& d, const std::optional<std::string>& default_repository,
                                                   const std::string& entry) {
        auto annotation = [&](const char* key) {
            auto it = d.annotations.find(key);
            return it == d.annotations.end() ? std::string() : it->second;
        };
        std::string name = annotation(manifests::annotation::ref_name);
        if (name.find_first_of("/:@") != std::string::npos) return name;
        if (std::string full = annotation(manifests::annotation::containerd_image_name); !full.empty()) return full;
        if (name.empty()) return std::nullopt;
        if (!manifests::valid_tag(name))
            fail(Errc::format, entry + ": ref.name '" + name + "' is neither a tag nor a full image reference");
        if (!default_repository)
            fail(Errc::format, entry + ": ref.name '" + name +
                                   "' is a bare tag and no repository was given for this image source");
        return *default_repository + ":" + name;
    }

    std::unique_ptr<LayoutFiles> files_;
    std::vector<SourceImage> images_;
};

}  // namespace

std::unique_ptr<ImageSource> make_layout_source(std::unique_ptr<LayoutFiles> files,
                                                const std::optional<std::string>& default_repository) {
    return std::make_unique<LayoutSource>(std::move(files), default_repository);
}

std::unique_ptr<ImageSource> open_oci_layout(const fs::path& dir, const std::optional<std::string>& default_repository) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) fail(Errc::io, dir.string() + ": not a folder (expected an OCI image layout)");
    return make_layout_source(std::make_unique<FolderFiles>(dir), default_repository);
}

}  // namespace sealift::builder
