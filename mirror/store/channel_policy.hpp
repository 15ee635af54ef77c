// Rollback protection: per release name and channel the store keeps the
// versions imported and the current one. A bundle is admitted only forward
// (or as the very bundle already imported, which changes nothing); a delta bundle only onto its
// imported base and with every blob it leaves out already in the store.
#pragma once

#include "manifests/bundle_manifest.hpp"
#include "mirror/store/blob_store.hpp"
#include "mirror/store/store_state.hpp"

namespace sealift::mirror::store {

enum class Admission {
    new_release,  // not imported before: becomes current
    unchanged,    // this very bundle is imported already (current or not, even newer after a rollback): nothing
                  // changes; only `mirror rollback --to VERSION` moves the channel between imported versions
};

// Throws Errc::policy naming name, channel, versions and the way out.
// `store_dir` is named in the rollback hint. `clock` is the store's own clock: a
// bundle issued more than manifests::kMaxIssuedAhead after it is refused, so the
// time floor (the newest accepted issue time) never moves past the clock by more.
// An external blob the store holds with another size than the bundle declares is
// refused (Errc::integrity).
Admission admit(const State& state, const manifests::BundleManifest& m, const Digest& manifest_digest,
                const BlobStore& blobs, const std::string& store_dir, TimePoint clock);

// Reads every layer a delta leaves out back from the store and checks its digest
// (Errc::integrity naming the file): the store's copy is what the bundle's
// manifests will point at, and its name only promises its content. (A left-out
// chart's archive is read and checked anyway, when its Helm artifact is made.)
void check_external_digests(const manifests::BundleManifest& m, const BlobStore& blobs);

}  // namespace sealift::mirror::store
