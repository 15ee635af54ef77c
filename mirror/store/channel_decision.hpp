// The channel promise, as one pure decision shared by every import: per release
// name and channel a site moves only forward, and one version is one bundle.
// The store asks it with its state (channel_policy.hpp), a registry import with
// the registry's release records (mirror/site/release_records.hpp); each phrases
// the refusal for its own target.
#pragma once

#include <optional>
#include <string>

#include "core/digest.hpp"
#include "manifests/semver.hpp"

namespace sealift::mirror::store {

// A release the site holds on the bundle's name and channel.
struct HeldRelease {
    std::string version;
    Digest manifest_digest;
};

enum class ChannelVerdict {
    new_release,       // never imported, and newer than current (or nothing is current)
    ahead_of_current,  // imported before, newer than current (after a rollback): changes nothing
    unchanged,         // this very bundle is current
    behind_current,    // this very bundle was imported before and is behind current
    equivocation,      // this version was imported from another bundle: always refused
    older,             // older than current: a downgrade
    not_newer,         // the same precedence as current (other build metadata): a downgrade too
};

// `same`: what the site holds with this exact version, `current`: the current
// release of the name and channel; either may be empty.
ChannelVerdict decide_channel(const manifests::SemVer& version, const Digest& manifest_digest,
                              const std::optional<HeldRelease>& same, const std::optional<HeldRelease>& current);

// Whether the verdict moves the channel backwards (refused unless an admin allows it).
inline bool is_downgrade(ChannelVerdict v) { return v == ChannelVerdict::older || v == ChannelVerdict::not_newer; }

// The refusal's middle, for equivocation and downgrades: "was imported from a
// different bundle (manifest A, this one B): one version is one bundle" or "is
// older than the current version V". Empty for the verdicts that admit.
std::string channel_refusal(ChannelVerdict v, const Digest& manifest_digest, const std::optional<HeldRelease>& same,
                            const std::optional<HeldRelease>& current);

}  // namespace sealift::mirror::store
