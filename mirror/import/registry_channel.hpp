// The channel promise for imports into a registry: the registry's release
// records (mirror/site/release_records.hpp) stand for the store's state, and the
// decision is the store's own (mirror/store/channel_decision.hpp). A registry
// keeps no "current": the newest version recorded on the name and channel is
// current, as the registry inventory has it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "manifests/bundle_manifest.hpp"
#include "manifests/import_receipt.hpp"
#include "mirror/store/channel_decision.hpp"
#include "registry/registry_client.hpp"
#include "registry/target.hpp"

namespace sealift::mirror {

struct RegistryChannelCheck {
    store::ChannelVerdict verdict = store::ChannelVerdict::new_release;
    std::optional<manifests::AllowedDowngrade> downgrade;  // the admin's leave, used: record it
    // False when this very bundle is recorded already, behind the current version:
    // pushing it again would re-point tags backwards, so the import writes nothing.
    bool writes() const { return verdict != store::ChannelVerdict::behind_current || downgrade; }
};

// Reads the records of m's name and channel under `target` and decides. Throws
// Errc::policy naming the bundle, the release, the registry's current version and
// why, for an equivocating bundle (always) and a downgrade without
// `allow_downgrade` (the admin's reason); with it, a downgrade (or this very
// bundle again, behind current) is admitted and `downgrade` set.
RegistryChannelCheck check_registry_channel(registry::RegistryClient& client, const registry::Target& target,
                                            const std::filesystem::path& bundle, const manifests::BundleManifest& m,
                                            const Digest& manifest_digest,
                                            const std::optional<std::string>& allow_downgrade);

}  // namespace sealift::mirror
