// STORE/audit.log: one JSON object per line for every import, refusal,
// rollback and gc, appended with O_APPEND and fsynced before the caller reports.
#pragma once

#include <string>
#include <vector>

#include "core/digest.hpp"
#include "mirror/store/store_state.hpp"

namespace sealift::mirror::store {

struct AuditEvent {
    std::string action;    // "import", "rollback", "gc"
    std::string verdict;   // "accepted", "rejected", "unchanged", "done"
    std::string reason;    // why refused, or what was done
    Digest bundle_digest;  // signed manifest digest, when known
    std::string name, version, channel;
    std::vector<std::string> signer_keyids;
    Json details = Json::object();  // action-specific extras (gc counts, rollback from/to)
};

void append_audit(const StorePaths& paths, const AuditEvent& event);

}  // namespace sealift::mirror::store
