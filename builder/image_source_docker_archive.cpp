// `docker save` output. Docker 25 and later write an OCI layout inside the
// tar, which is read as such. Older Docker (and skopeo's docker-archive:)
// write only manifest.json: [{"Config": "<path>", "RepoTags": [...], "Layers":
// ["<path>", ...]}], with uncompressed layer tars. For those, an OCI manifest
// is synthesised per image: config and layers keep their bytes and are served
// from the tar, and only the manifest (deterministic JSON) lives in memory.
#include <map>
#include <vector>

#include "builder/image_source_layout.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "manifests/oci.hpp"
#include "manifests/reference.hpp"

namespace sealift::builder {
namespace {

namespace media_type = manifests::media_type;
constexpr std::size_t max_manifest_json = 16u << 20;

// Layers are normally plain tars, but `docker load` accepts compressed ones too.
std::string layer_media_type(const unsigned char* head, std::size_t n) {
    if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b) return media_type::oci_layer_tar_gzip;
    if (n >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd)
        return media_type::oci_layer_tar_zstd;
    return media_type::oci_layer_tar;
}

class DockerArchiveSource : public ImageSource {
public:
    explicit DockerArchiveSource(std::shared_ptr<const TarIndex> tar) : tar_(std::move(tar)) { read_manifest_json(); }

    const std::vector<SourceImage>& images() const override { return images_; }
    std::string describe() const override { return "Docker archive " + tar_->describe(); }

    std::unique_ptr<ByteSource> open_blob(const SourceBlob& blob) const override {
        auto it = blobs_.find(blob.digest);
        if (it == blobs_.end()) fail_missing_blob(describe(), blob);
        const StoredBlob& stored = it->second;
        check_blob_size(describe(), blob, stored.entry ? stored.entry->size : stored.memory.size());
        if (stored.entry) return tar_->open_entry(*stored.entry);
        return std::make_unique<MemorySource>(stored.memory);
    }

private:
    struct StoredBlob {
        const TarEntry* entry = nullptr;  // else the bytes are in `memory`
        std::string memory;
    };

    void read_manifest_json() {
        std::string what = describe() + " manifest.json";
        Json items = parse_json_strict(tar_->read_small(tar_->regular("manifest.json"), max_manifest_json), what);
        if (!items.is_array()) fail(Errc::format, what + ": must be a JSON array of images");
        for (std::size_t i = 0; i < items.size(); ++i) {
            std::string item_what = what + "[" + std::to_string(i) + "]";
            const Json& item = items[i];
            SourceBlob config = entry_blob(json_string(item, "Config", item_what), "config", item_what);
            config.media_type = media_type::oci_config;
            const Json& layer_paths = json_field(item, "Layers", item_what);
            if (!layer_paths.is_array()) fail(Errc::format, item_what + ": field 'Layers' must be an array of paths");
            std::vector<SourceBlob> layers;
            for (const Json& path : layer_paths) {
                if (!path.is_string()) fail(Errc::format, item_what + ": field 'Layers' must be an array of paths");
                layers.push_back(entry_blob(path.get<std::string>(), "layer", item_what));
            }
            SourceBlob manifest = synthesise_manifest(config, layers);
            const Json* tags = item.contains("RepoTags") ? &item.at("RepoTags") : nullptr;
            if (!tags || tags->is_null()) continue;  // an untagged image
            if (!tags->is_array()) fail(Errc::format, item_what + ": field 'RepoTags' must be an array of references");
            for (const Json& tag : *tags) {
                if (!tag.is_string())
                    fail(Errc::format, item_what + ": field 'RepoTags' must be an array of references");
                manifests::ImageReference::parse(tag.get<std::string>(), item_what + " RepoTags");
                add_source_image(images_, SourceImage{tag.get<std::string>(), manifest}, describe());
            }
        }
    }

    // The blob of a config or layer entry: hashed once per entry, even when
    // several images (or symlinks written by docker save) share it.
    SourceBlob entry_blob(const std::string& path, const char* role, const std::string& item_what) {
        if (!tar_->find(path))
            fail(Errc::format, item_what + ": " + role + " '" + path + "' is missing from the archive");
        const TarEntry& entry = tar_->regular(path, /*follow_symlinks=*/true);
        if (auto it = hashed_.find(entry.path); it != hashed_.end()) return it->second;

        auto in = tar_->open_entry(entry);
        std::vector<unsigned char> buffer(1u << 20);
        Sha256 hasher;
        std::string type;
        for (std::size_t n; (n = in->read(buffer.data(), buffer.size())) > 0;) {
            if (type.empty()) type = layer_media_type(buffer.data(), n);
            hasher.update(buffer.data(), n);
        }
        SourceBlob blob{hasher.finish(), entry.size, type.empty() ? std::string(media_type::oci_layer_tar) : type};
        blobs_.try_emplace(blob.digest, StoredBlob{&entry, {}});
        hashed_.emplace(entry.path, blob);
        return blob;
    }

    SourceBlob synthesise_manifest(const SourceBlob& config, const std::vector<SourceBlob>& layers) {
        auto descriptor = [](const SourceBlob& b) {
            return nlohmann::ordered_json{{"mediaType", b.media_type}, {"digest", b.digest.str()}, {"size", b.size}};
        };
        nlohmann::ordered_json manifest{{"schemaVersion", 2}, {"mediaType", media_type::oci_manifest}};
        manifest["config"] = descriptor(config);
        manifest["layers"] = nlohmann::ordered_json::array();
        for (const SourceBlob& layer : layers) manifest["layers"].push_back(descriptor(layer));
        std::string bytes = dump_json_safe(manifest);
        SourceBlob blob{Sha256::of(bytes), bytes.size(), media_type::oci_manifest};
        blobs_.try_emplace(blob.digest, StoredBlob{nullptr, std::move(bytes)});
        return blob;
    }

    std::shared_ptr<const TarIndex> tar_;
    std::vector<SourceImage> images_;
    std::map<Digest, StoredBlob> blobs_;
    std::map<std::string, SourceBlob> hashed_;  // by resolved entry path
};

}  // namespace

std::unique_ptr<ImageSource> make_docker_archive_source(std::shared_ptr<const TarIndex> tar,
                                                        const std::optional<std::string>& default_repository) {
    if (tar->find("oci-layout") && tar->find("index.json"))
        return make_layout_source(tar_layout_files(tar, "Docker archive " + tar->describe()), default_repository);
    if (!tar->find("manifest.json"))
        fail(Errc::format,
             tar->describe() + ": has neither manifest.json nor an OCI layout, so it is not docker save output");
    return std::make_unique<DockerArchiveSource>(std::move(tar));
}

std::unique_ptr<ImageSource> open_docker_archive(const std::filesystem::path& tar,
                                                 const std::optional<std::string>& default_repository) {
    return make_docker_archive_source(std::make_shared<const TarIndex>(TarIndex::open(tar)), default_repository);
}

}  // namespace sealift::builder
