// Helm's table merges (private to values handling): coalesceTablesFullKey.
#pragma once

#include <nlohmann/json.hpp>

namespace sealift::render {

// CoalesceTables (merge = false) / MergeTables (merge = true): `src` fills in what `dst` lacks,
// maps merged key by key; without merging, a nil in dst deletes the key src has a value for.
void coalesce_tables(nlohmann::json& dst, nlohmann::json src, bool merge);

}  // namespace sealift::render
