// OCI image layouts (image-spec image-layout.md): oci-layout names the
// version, index.json lists the tagged manifests, blobs/sha256/<hex> hold the
// content.
#include <sys/stat.h>

#include <algorithm>
#include <map>
#include <mutex>

#include "builder/image_source_layout.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "core/json.hpp"
#include "manifests/bundle_manifest.hpp"
#include "manifests/oci.hpp"
#include "manifests/reference.hpp"

namespace sealift::builder {
namespace {

namespace fs = std::filesystem;
using manifests::Descriptor;

constexpr std::size_t max_index_json = 64u << 20;

// An index.json entry tagged as cosign and the referrers fallback tag them:
// sha256-<hex>.sig, sha256-<hex>.att, or sha256-<hex> (an index listing referrers).
struct AttachmentTag {
    Digest subject;
    std::string tag, suffix;  // suffix: "sig", "att" or "" for the fallback index
    SourceBlob manifest;
    std::string entry;  // for messages
};

// The tag of an entry's ref.name, bare ("sha256-<hex>.sig") or in a full
// reference ("registry.example.com/platform/api:sha256-<hex>.sig"), if it is an attachment tag.
std::optional<AttachmentTag> attachment_tag(const std::string& name) {
    std::string tag = name;
    if (auto slash = name.rfind('/'), colon = name.rfind(':');
        colon != std::string::npos && (slash == std::string::npos || colon > slash))
        tag = name.substr(colon + 1);
    else if (name.find_first_of("/@") != std::string::npos)
        return std::nullopt;
    if (!tag.starts_with("sha256-")) return std::nullopt;
    std::string hex = tag.substr(7), suffix;
    for (const char* s : {".sig", ".att"})
        if (hex.ends_with(s)) suffix = std::string(s + 1), hex.resize(hex.size() - 4);
    if (!Digest::valid("sha256:" + hex)) return std::nullopt;
    return AttachmentTag{Digest::from_hex(hex), tag, suffix, {}, {}};
}

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

    // cosign's .sig and .att tags in index.json, then referrers: manifests
    // index.json lists whose subject is `subject`, and the children of the
    // sha256-<hex> fallback index.
    std::vector<SourceAttachment> attachments(const Digest& subject) const override {
        namespace kind = manifests::attachment_kind;
        std::vector<SourceAttachment> out;
        auto add_referrer = [&](const SourceBlob& blob) {
            for (const auto& a : out)
                if (a.manifest.digest == blob.digest) return;
            out.push_back({subject, kind::referrer, "", blob});
        };
        // Maps by subject, not scans: this runs once per image, over lists as long as the release.
        auto [tags_first, tags_last] = tags_by_subject_.equal_range(subject);
        for (auto it = tags_first; it != tags_last; ++it)
            if (const auto& t = tags_[it->second]; !t.suffix.empty())
                out.push_back({subject, t.suffix == "sig" ? kind::signature : kind::attestation, t.tag, t.manifest});
        auto [referrers_first, referrers_last] = referrers().equal_range(subject);
        for (auto it = referrers_first; it != referrers_last; ++it) add_referrer(manifest_entries_[it->second]);
        for (auto it = tags_first; it != tags_last; ++it) {
            const auto& t = tags_[it->second];
            if (!t.suffix.empty()) continue;
            std::string bytes = read_small_blob(*this, t.manifest, manifests::max_manifest_size);
            auto listing =
                manifests::ImageIndex::from_json(parse_json_strict(bytes, t.entry), t.manifest.media_type, t.entry);
            for (const auto& d : listing.manifests) {
                SourceBlob blob{d.digest, d.size, d.media_type};
                if (referred_subject(blob, t.entry) != subject)
                    fail(Errc::format,
                         t.entry + ": " + d.digest.str() + " does not name " + subject.str() + " as its subject");
                add_referrer(blob);
            }
        }
        return out;
    }

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
        auto index =
            manifests::ImageIndex::from_json(parse_json_strict(*text, what), manifests::media_type::oci_index, what);
        for (std::size_t i = 0; i < index.manifests.size(); ++i) {
            const Descriptor& d = index.manifests[i];
            std::string entry = what + " manifests[" + std::to_string(i) + "]";
            if (manifests::is_manifest_media_type(d.media_type) || manifests::is_index_media_type(d.media_type))
                manifest_entries_.push_back({d.digest, d.size, d.media_type});
            auto name = d.annotations.find(manifests::annotation::ref_name);
            if (auto tag = name == d.annotations.end() ? std::nullopt : attachment_tag(name->second)) {
                tag->manifest = {d.digest, d.size, d.media_type};
                tag->entry = entry + " ('" + name->second + "')";
                bool manifest = manifests::is_manifest_media_type(d.media_type);
                if (tag->suffix.empty() ? !manifests::is_index_media_type(d.media_type) : !manifest)
                    fail(Errc::format, tag->entry + ": media type '" + d.media_type + "' is not " +
                                           (tag->suffix.empty() ? "an index of referrers" : "an image manifest"));
                auto [seen, fresh] = tag_index_.try_emplace(tag->tag, tags_.size());
                if (!fresh && tags_[seen->second].manifest.digest != d.digest)
                    fail(Errc::format, tag->entry + ": '" + tag->tag + "' names a second manifest (" +
                                           tags_[seen->second].entry + " names " +
                                           tags_[seen->second].manifest.digest.str() + ")");
                if (fresh) {
                    tags_by_subject_.emplace(tag->subject, tags_.size());
                    tags_.push_back(std::move(*tag));
                }
                continue;  // a signature, attestation or referrers listing, not an image
            }
            auto ref = reference_of(d, default_repository, entry);
            if (!ref) continue;
            if (!manifests::is_manifest_media_type(d.media_type) && !manifests::is_index_media_type(d.media_type))
                fail(Errc::format,
                     entry + " ('" + *ref + "'): media type '" + d.media_type + "' is not an image manifest or index");
            auto parsed = manifests::ImageReference::parse(*ref, entry);
            if (parsed.digest && *parsed.digest != d.digest)
                fail(Errc::format,
                     entry + ": reference '" + *ref + "' does not match the entry's digest " + d.digest.str());
            add_source_image(images_, SourceImage{*ref, SourceBlob{d.digest, d.size, d.media_type}}, describe());
        }
    }

    // The image name of an index.json entry, or nullopt for an untagged one.
    static std::optional<std::string> reference_of(const Descriptor& d,
                                                   const std::optional<std::string>& default_repository,
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
        if (!default_repository || default_repository->empty())
            fail(Errc::format,
                 entry + ": ref.name '" + name +
                     "' is a bare tag and no repository was given for this image source (add "
                     "`repository: REGISTRY/PATH` to its image entry, e.g. registry.example.com/team/app)");
        return *default_repository + ":" + name;
    }

    // The subject a manifest or index names, if any.
    std::optional<Digest> referred_subject(const SourceBlob& blob, const std::string& where) const {
        std::string what = where + ": manifest " + blob.digest.str();
        std::string bytes = read_small_blob(*this, blob, manifests::max_manifest_size);
        auto parsed = manifests::parse_manifest_or_index(bytes, blob.media_type, what);
        const auto& subject = std::visit(
            [](const auto& doc) -> const auto& { return doc.subject; }, parsed);
        if (!subject) return std::nullopt;
        return subject->digest;
    }

    // Subject -> the manifests index.json lists that name it (positions in manifest_entries_),
    // read once when first asked.
    const std::multimap<Digest, std::size_t>& referrers() const {
        std::call_once(subjects_read_, [this] {
            for (std::size_t i = 0; i < manifest_entries_.size(); ++i)
                if (auto subject = referred_subject(manifest_entries_[i], describe() + " index.json"))
                    referrers_.emplace(*subject, i);
        });
        return referrers_;
    }

    std::unique_ptr<LayoutFiles> files_;
    std::vector<SourceImage> images_;
    std::vector<AttachmentTag> tags_;
    std::map<std::string, std::size_t> tag_index_;        // tag -> its position in tags_
    std::multimap<Digest, std::size_t> tags_by_subject_;  // subject -> positions in tags_, in order
    std::vector<SourceBlob> manifest_entries_;            // index.json's manifests and indexes, tagged or not
    mutable std::once_flag subjects_read_;
    mutable std::multimap<Digest, std::size_t> referrers_;
};

}  // namespace

std::unique_ptr<ImageSource> make_layout_source(std::unique_ptr<LayoutFiles> files,
                                                const std::optional<std::string>& default_repository) {
    return std::make_unique<LayoutSource>(std::move(files), default_repository);
}

std::unique_ptr<ImageSource> open_oci_layout(const fs::path& dir,
                                             const std::optional<std::string>& default_repository) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) fail(Errc::io, dir.string() + ": not a folder (expected an OCI image layout)");
    return make_layout_source(std::make_unique<FolderFiles>(dir), default_repository);
}

}  // namespace sealift::builder
