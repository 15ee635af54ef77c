// The site inventory: what a disconnected site holds, small enough to carry out
// on paper-sized media (digests, never data), signed with the site's own key.
// A release engineer builds against it (`sealift build --site-inventory`) so a
// bundle leaves out what the site already has. docs/bundle-format.md describes
// the file; the envelope is {"signatures":[...],"signed":{...}} with the
// signatures over canonical_json(signed), as in TUF metadata. This type is the
// "signed" part; signing and checking live in mirror/site/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/digest.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "manifests/release.hpp"
#include "manifests/semver.hpp"

namespace sealift::manifests {

inline constexpr std::string_view kSiteInventoryType = "sealift-site-inventory";
inline constexpr int kSiteInventorySpecVersion = 1;

// One release the site holds, and whether it is its channel's current one.
struct InventoryRelease {
    std::string name;
    SemVer version;
    Channel channel = Channel::stable;
    bool current = false;
    Digest manifest_digest;  // SHA-256 of the bundle's sealift/manifest.json
};

// The order releases are listed in: name, channel, version precedence.
bool inventory_release_before(const InventoryRelease& a, const InventoryRelease& b);

struct SiteInventory {
    TimePoint created{};
    std::string site_keyid;                  // TUF key id (64 hex) of the site key that signs it
    std::string source;                      // "store" or "registry:HOST[/PREFIX]"
    std::vector<InventoryRelease> releases;  // sorted by inventory_release_before, no duplicates
    std::vector<Digest> blobs;               // sorted, unique: every blob present, manifests included

    // True when the site holds the blob (binary search).
    bool has(const Digest& digest) const;
    // The "signed" object. Sorts nothing: releases and blobs must already be in order
    // (sort_and_dedupe() puts them so), and the result parses back with parse_signed.
    Json signed_json() const;
    // Parses and checks the "signed" object strictly: unknown or missing keys,
    // a wrong _type or specVersion, bad digests and key ids, unsorted or repeated
    // releases and blobs are errors naming `what` (the file) and the field.
    static SiteInventory parse_signed(const Json& signed_object, const std::string& what);

    // Sorts releases and blobs and drops repeated blobs (for writers).
    void sort_and_dedupe();
};

}  // namespace sealift::manifests
