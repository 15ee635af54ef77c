#include "builder/image_collector.hpp"

#include <algorithm>
#include <optional>

#include "builder/cosign_check.hpp"
#include "builder/image_source_registry.hpp"
#include "core/error.hpp"
#include "manifests/content_rules.hpp"
#include "manifests/oci.hpp"
#include "manifests/reference.hpp"

namespace sealift::builder {
namespace {

using manifests::ImageSourceKind;

std::unique_ptr<ImageSource> open_registry(const manifests::ImageEntry& entry, const RegistryPull& pull,
                                           RegistryConnections& connections) {
    auto ref = manifests::ImageReference::parse(entry.refs.at(0), "image reference");
    RegistryPullSpec spec{ref.str(), entry.platforms, std::nullopt};
    if (pull.lock) {
        const LockedImage* locked = pull.lock->find(spec.ref);
        if (!locked)
            fail(Errc::format,
                 "image " + spec.ref + " is not in " + pull.lock_origin + " (write a new one with --lock)");
        spec.locked = locked->digest;
    }
    return std::make_unique<RegistryImageSource>(connections.client(registry_api_host(ref.registry)), spec);
}

std::unique_ptr<ImageSource> open_source(const manifests::ImageEntry& entry, const RegistryPull& pull,
                                         RegistryConnections& connections) {
    // No `repository:` key is no repository: bare tags then get the message that says to add one.
    std::optional<std::string> repository;
    if (!entry.repository.empty()) repository = entry.repository;
    try {
        switch (entry.kind) {
        case ImageSourceKind::layout: return open_oci_layout(entry.path, repository);
        case ImageSourceKind::oci_archive: return open_oci_archive(entry.path, repository);
        case ImageSourceKind::docker_archive: return open_docker_archive(entry.path);
        case ImageSourceKind::registry: return open_registry(entry, pull, connections);
        }
    } catch (const Error& e) {
        rethrow_with_context(e, entry.where.str());
    }
    fail(Errc::internal, "unknown image source kind");
}

std::string normalise(const std::string& ref) { return manifests::ImageReference::parse(ref, "image reference").str(); }

class Walker {
public:
    explicit Walker(CollectedImages& out) : out_(out) {}

    void add(const ImageSource& source, const SourceBlob& blob, const std::string& ref, int depth,
             bool attached = false) {
        if (depth > manifests::kMaxIndexDepth)
            fail(Errc::format, source.describe() + ": image " + ref + ": indexes nested too deeply");
        const bool json =
            manifests::is_manifest_media_type(blob.media_type) || manifests::is_index_media_type(blob.media_type);
        if (!json)
            fail(Errc::format, source.describe() + ": image " + ref + ": " + blob.digest.str() + " has media type '" +
                                   blob.media_type + "', not an image manifest or index");
        if (!remember(source, blob, ref, true, attached)) return;  // already walked
        std::string what = source.describe() + ": image " + ref + " manifest " + blob.digest.str();
        std::string bytes = read_small_blob(source, blob, manifests::max_manifest_size);  // checks size and digest
        auto parsed = manifests::parse_manifest_or_index(bytes, blob.media_type, what);
        out_.blobs[blob.digest].inline_bytes = std::move(bytes);
        if (auto* m = std::get_if<manifests::ImageManifest>(&parsed)) {
            remember(source, {m->config.digest, m->config.size, m->config.media_type}, ref, false, attached);
            out_.blobs[m->config.digest].is_config = true;
            for (const auto& layer : m->layers)
                remember(source, {layer.digest, layer.size, layer.media_type}, ref, false, attached);
        } else {
            for (const auto& child : std::get<manifests::ImageIndex>(parsed).manifests)
                add(source, {child.digest, child.size, child.media_type}, ref, depth + 1, attached);
        }
    }

    // Signatures and referrers of the image's top manifest (when it is the
    // source's own, not a filtered copy) and of its index's children; returns them.
    std::vector<SourceAttachment> add_attachments(const ImageSource& source, const CollectedImage& image) {
        std::vector<Digest> subjects;
        if (!image.registry_digest || *image.registry_digest == image.manifest.digest)
            subjects.push_back(image.manifest.digest);
        const std::string& top = out_.blobs.at(image.manifest.digest).inline_bytes;
        auto parsed = manifests::parse_manifest_or_index(top, image.manifest.media_type,
                                                         source.describe() + ": image " + image.ref);
        if (auto* index = std::get_if<manifests::ImageIndex>(&parsed))
            for (const auto& child : index->manifests) subjects.push_back(child.digest);
        std::vector<SourceAttachment> found;
        for (const auto& subject : subjects)
            for (auto& a : source.attachments(subject)) {
                add(source, a.manifest, image.ref + " (" + a.kind + " of " + subject.str() + ")", 0, true);
                out_.attachments.push_back({image.ref, a});
                found.push_back(std::move(a));
            }
        return found;
    }

private:
    // Returns false when the blob was already collected.
    bool remember(const ImageSource& source, const SourceBlob& blob, const std::string& ref, bool is_manifest,
                  bool attached) {
        auto [it, inserted] = out_.blobs.try_emplace(blob.digest);
        it->second.attached = it->second.attached || attached;
        if (!inserted) {
            if (it->second.blob.size != blob.size)
                fail(Errc::format, source.describe() + ": image " + ref + ": blob " + blob.digest.str() +
                                       " is declared with size " + std::to_string(blob.size) + " here and " +
                                       std::to_string(it->second.blob.size) + " elsewhere");
            if (is_manifest && !it->second.is_manifest)
                it->second.is_manifest = true, it->second.blob.media_type = blob.media_type;
            return false;
        }
        it->second.blob = blob;
        it->second.source = &source;
        it->second.is_manifest = is_manifest;
        return true;
    }

    CollectedImages& out_;
};

}  // namespace

CollectedImages collect_images(const manifests::Release& release, const RegistryPull& pull) {
    CollectedImages out;
    RegistryConnections connections(pull.options, pull.credentials);
    std::map<std::string, std::string> seen;  // ref -> where it came from
    Walker walker(out);
    for (const auto& entry : release.images) {
        out.sources.push_back(open_source(entry, pull, connections));
        const ImageSource& source = *out.sources.back();
        std::optional<CosignKey> cosign_key;
        if (entry.cosign_key) cosign_key = CosignKey::load(*entry.cosign_key, entry.cosign_key_where.str());
        std::map<std::string, const SourceImage*> available;
        for (const auto& img : source.images()) available[normalise(img.ref)] = &img;

        std::vector<std::string> wanted;
        for (const auto& r : entry.refs) wanted.push_back(normalise(r));
        if (entry.refs.empty())
            for (const auto& [ref, _] : available) wanted.push_back(ref);
        if (wanted.empty()) fail(Errc::format, entry.where.str() + ": " + source.describe() + " has no tagged images");
        for (const auto& ref : wanted) {
            auto it = available.find(ref);
            if (it == available.end())
                fail(Errc::format, entry.where.str() + ": image " + ref + " is not in " + source.describe());
            if (auto [prev, fresh] = seen.try_emplace(ref, entry.where.str()); !fresh)
                fail(Errc::format, entry.where.str() + ": image " + ref +
                                       " is already provided by the image entry at " + prev->second);
            out.images.push_back({ref, it->second->manifest, it->second->registry_digest});
            if (it->second->registry_digest) out.resolved.images.push_back({ref, *it->second->registry_digest});
            walker.add(source, it->second->manifest, ref, 0);
            auto attachments = walker.add_attachments(source, out.images.back());
            if (cosign_key) {
                try {
                    check_cosign_signature(source, out.images.back(), attachments, *cosign_key, out.blobs);
                } catch (const Error& e) {
                    rethrow_with_context(e, entry.where.str());
                }
            }
        }
    }
    std::sort(out.images.begin(), out.images.end(), [](const auto& a, const auto& b) { return a.ref < b.ref; });
    std::sort(out.resolved.images.begin(), out.resolved.images.end(),
              [](const auto& a, const auto& b) { return a.ref < b.ref; });
    return out;
}

}  // namespace sealift::builder
