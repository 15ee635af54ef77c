#include <set>
#include <variant>

#include "core/error.hpp"
#include "manifests/oci.hpp"
#include "mirror/site/release_records.hpp"
#include "mirror/site/site.hpp"

namespace sealift::mirror::site {

namespace {

// Walks every manifest reachable from a repository's tags: index children,
// configs and layers. A manifest named by digest (an index child) is read once for the
// whole registry; one named by a tag is read to learn its digest, then walked once.
class BlobLister {
public:
    explicit BlobLister(registry::RegistryClient& client) : client_(client) {}

    void list_repository(const std::string& repo) {
        for (const auto& tag : client_.list_tags(repo)) visit(repo, tag);
    }

    std::vector<Digest> take() { return {blobs_.begin(), blobs_.end()}; }

private:
    void visit(const std::string& repo, const std::string& reference) {
        if (Digest::valid(reference) && blobs_.count(Digest::parse(reference))) return;
        std::string bytes;
        auto info = client_.get_manifest(repo, reference, bytes);
        if (!info) return;  // untagged since the listing
        if (!blobs_.insert(info->digest).second) return;
        std::string what = client_.host() + "/" + repo + "@" + info->digest.str();
        auto parsed = manifests::parse_manifest_or_index(bytes, info->media_type, what);
        if (auto* index = std::get_if<manifests::ImageIndex>(&parsed)) {
            for (const auto& child : index->manifests) visit(repo, child.digest.str());
            return;
        }
        const auto& m = std::get<manifests::ImageManifest>(parsed);
        blobs_.insert(m.config.digest);
        for (const auto& layer : m.layers)
            if (layer.urls.empty()) blobs_.insert(layer.digest);  // a foreign layer lives elsewhere
    }

    registry::RegistryClient& client_;
    std::set<Digest> blobs_;
};

bool under_prefix(const std::string& repo, const std::string& prefix) {
    return prefix.empty() ||
           (repo.size() > prefix.size() && repo.compare(0, prefix.size(), prefix) == 0 && repo[prefix.size()] == '/');
}

}  // namespace

manifests::SiteInventory registry_inventory(const registry::Target& target, const registry::RegistryOptions& registry) {
    registry::RegistryOptions ro = registry;
    ro.host = target.host;
    registry::RegistryClient client(ro);
    client.ping();
    manifests::SiteInventory inventory;
    inventory.created = now_seconds();
    inventory.source = "registry:" + target.host + (target.prefix.empty() ? "" : "/" + target.prefix);
    inventory.releases = read_release_records(client, target);
    // A registry keeps no "current": the newest version per name and channel is, as
    // the store's no-downgrade policy would have it.
    std::sort(inventory.releases.begin(), inventory.releases.end(), manifests::inventory_release_before);
    for (std::size_t i = 0; i < inventory.releases.size(); ++i) {
        const auto& r = inventory.releases[i];
        bool last = i + 1 == inventory.releases.size() || inventory.releases[i + 1].name != r.name ||
                    inventory.releases[i + 1].channel != r.channel;
        inventory.releases[i].current = last;
    }
    BlobLister lister(client);
    for (const auto& repo : client.catalog())
        if (under_prefix(repo, target.prefix)) lister.list_repository(repo);
    inventory.blobs = lister.take();
    inventory.sort_and_dedupe();
    return inventory;
}

}  // namespace sealift::mirror::site
