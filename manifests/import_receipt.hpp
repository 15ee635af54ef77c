// The import receipt: what one import (into a store or a registry) did, signed
// by the site key so the vendor can tell exactly what a disconnected site runs.
// The envelope is the site inventory's: {"signatures":[...],"signed":{...}}
// with the signatures over canonical_json(signed); docs/bundle-format.md
// describes the file. This type is the "signed" part; signing and checking
// live in mirror/site/.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/digest.hpp"
#include "core/json.hpp"
#include "core/time.hpp"

namespace sealift::manifests {

inline constexpr std::string_view kImportReceiptType = "sealift-import-receipt";
inline constexpr int kImportReceiptSpecVersion = 1;

namespace receipt_verdict {
inline constexpr std::string_view imported = "imported";
inline constexpr std::string_view already_imported = "already-imported";
inline constexpr std::string_view rejected = "rejected";
}  // namespace receipt_verdict

// The bundle as far as the import got to know it: a refusal before the signed
// manifest was read knows only the file name.
struct ReceiptBundle {
    std::string file;  // the bundle's file name, without folders
    struct Release {
        std::string name, version, channel;
        Digest manifest_digest;
    };
    std::optional<Release> release;
};

// An admin's leave to move a channel backwards (`mirror import --allow-downgrade
// REASON`): the version that was current, and the reason given. Recorded in the
// receipt and in the registry's release record.
struct AllowedDowngrade {
    std::string from_version, reason;
};

// A repository's reference (tag, or digest for referrers) and the manifest it names.
struct ReceiptItem {
    std::string repository, reference;
    Digest digest;
};

struct ImportReceipt {
    TimePoint time{};
    std::string site_keyid;
    std::string target;  // "store" or "registry:HOST[/PREFIX]"
    ReceiptBundle bundle;
    std::vector<std::string> signers;           // key ids whose signatures on the bundle verified
    std::string verdict;                        // receipt_verdict
    std::string reason;                         // why it was rejected; empty otherwise
    std::vector<ReceiptItem> present;           // what the release put at the target (empty when rejected)
    std::optional<AllowedDowngrade> downgrade;  // "imported" only: it replaced a newer current version

    Json signed_json() const;
    // Strict: unknown or missing keys, a wrong _type or specVersion, an unknown
    // verdict, a rejection without reason (or a reason without rejection), bad
    // digests and key ids are errors naming `what` and the field.
    static ImportReceipt parse_signed(const Json& signed_object, const std::string& what);
};

}  // namespace sealift::manifests
