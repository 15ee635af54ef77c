#include "builder/delta_base.hpp"

#include <map>

#include "core/error.hpp"

namespace sealift::builder {

manifests::BundleBase check_base(const DeltaBase& base, const manifests::Release& release) {
    const auto& m = base.manifest;
    if (m.name != release.name)
        fail(Errc::usage, base.origin + ": base release '" + m.name + "' is not release '" + release.name + "' of " +
                              release.file.string());
    if (!(m.version < release.version))
        fail(Errc::usage, base.origin + ": base version " + m.version.str() + " does not precede " +
                              release.version.str() + " of " + release.file.string() +
                              " (a delta builds on an earlier release)");
    return {m.name, m.version, m.channel, base.manifest_digest};
}

namespace {

// What the site holds once the base is imported: its blobs and chart archives,
// and those it left to its own base. An inventory lists digests only.
class SiteHolds {
public:
    SiteHolds(const DeltaBase* base, const InventoryBase* inventory) : base_(base), inventory_(inventory) {
        if (!base) return;
        const auto& m = base->manifest;
        for (const auto& e : m.entries)
            if (manifests::bundle_paths::is_blob(e.path)) sizes_.emplace(e.digest, e.size);
        for (const auto& c : m.charts)
            if (const auto* e = c.left_out ? nullptr : m.find(c.path)) sizes_.emplace(e->digest, e->size);
        for (const auto& b : m.external_blobs) sizes_.emplace(b.digest, b.size);
    }

    // `size`: what the release's own copy has; a base that lists other bytes under the digest is wrong.
    bool has(const Digest& digest, std::uint64_t size, const std::string& what) const {
        if (inventory_ && inventory_->inventory.has(digest)) return true;
        auto it = sizes_.find(digest);
        if (it == sizes_.end()) return false;
        if (it->second != size)
            fail(Errc::format, base_->origin + ": lists blob " + digest.str() + " with " + std::to_string(it->second) +
                                   " bytes, " + what + " with " + std::to_string(size));
        return true;
    }

private:
    const DeltaBase* base_;
    const InventoryBase* inventory_;
    std::map<Digest, std::uint64_t> sizes_;
};

}  // namespace

DeltaSplit split_blobs(const CollectedImages& images, const std::vector<manifests::ExternalBlob>& charts,
                       const DeltaBase* base, const InventoryBase* inventory) {
    SiteHolds site(base, inventory);
    DeltaSplit out;
    std::map<Digest, std::uint64_t> external;  // sorted, and a digest once should a layer and an archive share it
    for (const auto& [digest, blob] : images.blobs) {
        if (blob.is_layer() && site.has(digest, blob.blob.size, blob.source->describe()))
            external.emplace(digest, blob.blob.size);
        else
            out.carried.push_back(&blob);
    }
    for (const auto& c : charts)
        if (site.has(c.digest, c.size, "a chart archive of the release")) {
            external.emplace(c.digest, c.size);
            out.left_out_charts.insert(c.digest);
        }
    for (const auto& [digest, size] : external) out.external.push_back({digest, size});
    return out;
}

}  // namespace sealift::builder
