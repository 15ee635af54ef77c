// Images named by `ref:` in the release, pulled from their registry with the
// same client (auth, TLS, retries) `mirror import` pushes with.
#include "builder/image_source_registry.hpp"

#include <algorithm>

#include "builder/image_source_layout.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "manifests/bundle_manifest.hpp"
#include "manifests/oci.hpp"

namespace sealift::builder {
namespace {

// "linux/arm64" matches every variant of linux/arm64; "linux/arm/v7" only v7.
bool platform_matches(const manifests::Platform& p, const std::string& filter) {
    return filter == p.str() || filter == p.os + "/" + p.architecture;
}

}  // namespace

std::string registry_api_host(const std::string& registry) {
    return registry == "docker.io" ? "registry-1.docker.io" : registry;
}

std::shared_ptr<registry::RegistryClient> RegistryConnections::client(const std::string& host) {
    std::lock_guard lock(mu_);
    auto& client = clients_[host];
    if (!client) {
        registry::RegistryOptions options = options_;
        options.host = host;
        options.credentials = registry::resolve_credentials(host, credentials_);
        client = std::make_shared<registry::RegistryClient>(std::move(options));
    }
    return client;
}

RegistryImageSource::RegistryImageSource(std::shared_ptr<registry::RegistryClient> client, const RegistryPullSpec& spec)
    : client_(std::move(client)), ref_(manifests::ImageReference::parse(spec.ref, "image reference")) {
    resolve(spec);
}

std::optional<SourceBlob> RegistryImageSource::fetch_manifest(const std::string& reference) const {
    std::string bytes;
    auto info =
        client_->get_manifest(ref_.repository, reference, bytes);  // checks the bytes against a digest reference
    if (!info) return std::nullopt;
    std::string what = client_->host() + "/" + ref_.repository + " manifest " + info->digest.str();
    auto parsed = manifests::parse_manifest_or_index(bytes, info->media_type, what);
    std::string media_type = std::visit([](const auto& m) { return m.media_type; }, parsed);
    std::lock_guard lock(mu_);
    manifests_.emplace(info->digest, std::move(bytes));
    return SourceBlob{info->digest, info->size, media_type};
}

void RegistryImageSource::resolve(const RegistryPullSpec& spec) {
    const std::string where = describe();
    const std::string in = client_->host() + "/" + ref_.repository;
    std::string wanted = ref_.digest ? ref_.digest->str() : ref_.tag;
    if (spec.locked) {
        if (ref_.digest && *ref_.digest != *spec.locked)
            fail(Errc::format,
                 where + ": pinned to " + ref_.digest->str() + ", but the lock file records " + spec.locked->str());
        wanted = spec.locked->str();
    }
    auto top = fetch_manifest(wanted);
    if (!top && Digest::valid(wanted))
        fail(Errc::registry,
             where + ": manifest " + wanted + " is not in " + in + (spec.locked ? " (the lock file records it)" : ""));
    if (!top) fail(Errc::registry, where + ": tag '" + ref_.tag + "' is not in " + in);
    SourceImage image{ref_.str(), *top, top->digest};
    // A single manifest is taken as it is: the filter chooses among an index's children.
    if (!spec.platforms.empty() && manifests::is_index_media_type(top->media_type)) {
        std::string bytes;
        {
            std::lock_guard lock(mu_);
            bytes = manifests_.at(top->digest);
        }
        image.manifest = filter_platforms(bytes, *top, spec.platforms);
    }
    images_.push_back(std::move(image));
}

// Keeping the registry's index and only some of its children would leave a
// layout whose index names manifests it lacks, which registries refuse on push
// (distribution checks an index's children exist). So the bundle carries an
// index listing only the kept children: every other field and each kept entry
// unchanged, serialised deterministically (sorted keys), so the same source
// and filter always give the same digest. The registry's digest is recorded too.
SourceBlob RegistryImageSource::filter_platforms(const std::string& index_bytes, const SourceBlob& index,
                                                 const std::vector<std::string>& platforms) {
    std::string what = describe() + " index " + index.digest.str();
    Json raw = parse_json_strict(index_bytes, what);
    auto parsed = manifests::ImageIndex::from_json(raw, index.media_type, what);
    std::vector<bool> keep(parsed.manifests.size(), false);
    for (const auto& filter : platforms) {
        bool found = false;
        for (std::size_t i = 0; i < parsed.manifests.size(); ++i) {
            const auto& platform = parsed.manifests[i].platform;
            if (platform && platform_matches(*platform, filter)) keep[i] = found = true;
        }
        if (found) continue;
        std::string available;
        for (const auto& child : parsed.manifests)
            if (child.platform) available += (available.empty() ? "" : ", ") + child.platform->str();
        fail(Errc::format, what + ": has no manifest for platform " + filter + " (it has " +
                               (available.empty() ? "none" : available) + ")");
    }
    Json kept = Json::array();
    for (std::size_t i = 0; i < keep.size(); ++i)
        if (keep[i]) kept.push_back(raw["manifests"][i]);
    if (kept.size() == parsed.manifests.size()) return index;  // nothing left out: the registry's own bytes
    raw["manifests"] = std::move(kept);
    std::string bytes = dump_json_safe(raw);
    SourceBlob filtered{Sha256::of(bytes), bytes.size(), index.media_type};
    std::lock_guard lock(mu_);
    manifests_.emplace(filtered.digest, std::move(bytes));
    return filtered;
}

std::vector<SourceAttachment> RegistryImageSource::attachments(const Digest& subject) const {
    namespace kind = manifests::attachment_kind;
    std::vector<SourceAttachment> out;
    for (const auto& [name, suffix] : {std::pair{kind::signature, "sig"}, std::pair{kind::attestation, "att"}}) {
        std::string tag = manifests::cosign_tag(subject, suffix);
        if (auto found = fetch_manifest(tag)) out.push_back({subject, name, tag, *found});
    }
    std::string what = client_->host() + "/" + ref_.repository + " referrers of " + subject.str();
    auto listing = client_->referrer_index(ref_.repository, subject);
    if (!listing) return out;
    auto index =
        manifests::ImageIndex::from_json(parse_json_strict(*listing, what), manifests::media_type::oci_index, what);
    for (const auto& d : index.manifests) {
        if (!manifests::is_manifest_media_type(d.media_type) && !manifests::is_index_media_type(d.media_type))
            fail(Errc::format, what + ": " + d.digest.str() + " is a '" + d.media_type +
                                   "', only image manifests and indexes can be carried");
        if (std::any_of(out.begin(), out.end(),
                        [&](const SourceAttachment& a) { return a.manifest.digest == d.digest; }))
            continue;
        auto found = fetch_manifest(d.digest.str());
        if (!found) fail(Errc::registry, what + ": " + d.digest.str() + " is listed but not in the registry");
        std::string bytes;
        {
            std::lock_guard lock(mu_);
            bytes = manifests_.at(found->digest);
        }
        auto parsed = manifests::parse_manifest_or_index(bytes, found->media_type, what + " " + d.digest.str());
        const auto& named = std::visit(
            [](const auto& doc) -> const auto& { return doc.subject; }, parsed);
        if (!named || named->digest != subject)
            fail(Errc::format, what + ": " + d.digest.str() + " does not name " + subject.str() + " as its subject");
        out.push_back({subject, kind::referrer, "", *found});
    }
    return out;
}

std::unique_ptr<ByteSource> RegistryImageSource::open_blob(const SourceBlob& blob) const {
    if (!manifests::is_manifest_media_type(blob.media_type) && !manifests::is_index_media_type(blob.media_type))
        return registry::RegistryClient::open_blob(client_, ref_.repository, blob.digest, blob.size);
    // Manifests come from the manifests endpoint (registries need not serve them as blobs).
    {
        std::lock_guard lock(mu_);
        if (auto it = manifests_.find(blob.digest); it != manifests_.end()) {
            check_blob_size(describe(), blob, it->second.size());
            return std::make_unique<MemorySource>(it->second);
        }
    }
    if (!fetch_manifest(blob.digest.str())) fail_missing_blob(describe(), blob);
    return open_blob(blob);
}

}  // namespace sealift::builder
