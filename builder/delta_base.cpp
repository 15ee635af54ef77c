#include "builder/delta_base.hpp"

#include <map>

#include "core/error.hpp"

namespace sealift::builder {

manifests::BundleBase check_base(const DeltaBase& base, const manifests::Release& release) {
    const auto& m = base.manifest;
    if (m.name != release.name)
        fail(Errc::usage, base.origin + ": base release '" + m.name + "' is not release '" + release.name + "' of " + release.file.string());
    if (!(m.version < release.version))
        fail(Errc::usage, base.origin + ": base version " + m.version.str() + " does not precede " + release.version.str() + " of " +
                              release.file.string() + " (a delta builds on an earlier release)");
    return {m.name, m.version, m.channel, base.manifest_digest};
}

DeltaSplit split_blobs(const CollectedImages& images, const DeltaBase* base, const InventoryBase* inventory) {
    // What the site holds once the base is imported: its blobs, and those it left to its own base.
    std::map<Digest, std::uint64_t> available;
    if (base) {
        for (const auto& e : base->manifest.entries)
            if (manifests::bundle_paths::is_blob(e.path)) available.emplace(e.digest, e.size);
        for (const auto& b : base->manifest.external_blobs) available.emplace(b.digest, b.size);
    }
    DeltaSplit out;
    for (const auto& [digest, blob] : images.blobs) {
        // An inventory lists digests only: the size is the one the image declares.
        bool at_site = inventory && inventory->inventory.has(digest);
        auto it = available.find(digest);
        if (!blob.is_layer() || (!at_site && it == available.end())) {
            out.carried.push_back(&blob);
            continue;
        }
        if (!at_site && it->second != blob.blob.size)
            fail(Errc::format, base->origin + ": lists blob " + digest.str() + " with " + std::to_string(it->second) + " bytes, " +
                                   blob.source->describe() + " with " + std::to_string(blob.blob.size));
        out.external.push_back({digest, blob.blob.size});
    }
    return out;
}

}  // namespace sealift::builder
