#include "core/error.hpp"
#include "mirror/site/site.hpp"
#include "mirror/store/blob_store.hpp"
#include "mirror/store/corrupt_blobs.hpp"
#include "mirror/store/store.hpp"

namespace sealift::mirror::site {

namespace {

manifests::InventoryRelease inventory_release(const store::ReleaseRecord& r, const std::string& what) {
    auto channel = manifests::parse_channel(r.channel);
    if (!channel)
        fail(Errc::format, what + ": release " + r.name + " " + r.version + " has unknown channel '" + r.channel + "'");
    return {r.name, manifests::SemVer::parse(r.version), *channel, r.current, r.manifest_digest};
}

}  // namespace

manifests::SiteInventory store_inventory(const std::filesystem::path& store_dir) {
    auto store = store::Store::open(store_dir);
    auto snapshot = store->refresh();
    manifests::SiteInventory inventory;
    inventory.created = now_seconds();
    inventory.source = "store";
    for (const auto& r : snapshot->releases()) inventory.releases.push_back(inventory_release(r, store_dir.string()));

    // Every blob file, whether a release, a cached manifest or nothing (yet) holds
    // it: a build may leave out whatever is here. Names that are not digests are
    // not blobs (a stray file an admin put there). A blob flagged corrupt is not
    // offered: the next bundle must carry it, so its import replaces the bad copy.
    store::BlobStore blobs(store_dir);
    std::error_code ec;
    for (std::filesystem::directory_iterator it(blobs.dir(), ec), end; !ec && it != end; it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (it->is_regular_file() && Digest::valid("sha256:" + name) && !store::flagged_corrupt(it->path()))
            inventory.blobs.push_back(Digest::from_hex(name));
    }
    if (ec) fail(Errc::io, blobs.dir().string() + ": cannot list the store's blobs: " + ec.message());
    inventory.sort_and_dedupe();
    return inventory;
}

std::string signed_inventory_text(manifests::SiteInventory inventory, const trust::PrivateKey& key) {
    inventory.site_keyid = key.public_key().keyid();
    inventory.sort_and_dedupe();
    return canonical_json(trust::Envelope::sign(inventory.signed_json(), key).to_json()) + "\n";
}

}  // namespace sealift::mirror::site
