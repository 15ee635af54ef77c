// The functions Helm's templates have besides Go's builtins: Sprig's (as Helm registers them,
// without env and expandenv) and Helm's own (toYaml, fromYaml, fromYamlArray, toJson, fromJson,
// fromJsonArray, lookup). include, tpl, required and fail belong to the engine (helm_engine.hpp).
#pragma once

#include "charts/render/function.hpp"

namespace sealift::render {

void add_sprig_and_helm_functions(FunctionTable& table);

}  // namespace sealift::render
