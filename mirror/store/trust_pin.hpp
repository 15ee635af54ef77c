// The store's pinned trust root (STORE/trust/root.json): set from the admin's
// --trust on the first import, afterwards moved forward only through newer
// roots a verified bundle carries, each signed by its predecessor.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mirror/store/store_state.hpp"
#include "trust/trust.hpp"

namespace sealift::mirror::store {

// The root to verify with: the pinned one, else `given` (Errc::usage when neither).
// A given root newer than the pinned one, or a different root of the same
// version, is refused (Errc::policy): the pin moves only through bundles.
trust::TrustRoot root_to_use(const StorePaths& paths, const trust::TrustRoot* given);
bool has_pinned_root(const StorePaths& paths);

// The newest carried root beyond `pinned`, chained from it; nullopt when none is newer.
std::optional<trust::TrustRoot> newest_carried_root(const trust::TrustRoot& pinned,
                                                    const std::vector<std::string>& carried);

void pin_root(const StorePaths& paths, const trust::TrustRoot& root);

}  // namespace sealift::mirror::store
