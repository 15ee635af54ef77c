// Release values (nlohmann::json from chart_values.hpp) as the template values Helm's templates
// see: floats stay float64, integers (only --set makes them) become int64 as strvals makes them,
// and the top map is typed chartutil.Values (what typeOf .Values prints, and what dig refuses).
#pragma once

#include <nlohmann/json.hpp>

#include "charts/render/value.hpp"

namespace sealift::render {

// `top` types the outermost map chartutil.Values (for .Values); nested maps are
// map[string]interface {}.
Value value_from_values(const nlohmann::json& values, bool top = true);

}  // namespace sealift::render
