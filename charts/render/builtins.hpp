// Go's builtin template functions (private), in groups, added to the builtin table by exec.cpp.
#pragma once

#include "charts/render/function.hpp"

namespace sealift::render {

void add_comparison_builtins(FunctionTable& table);  // eq ne lt le gt ge
void add_escape_builtins(FunctionTable& table);      // html js urlquery
void add_core_builtins(FunctionTable& table);        // and or not len index slice print printf println call

}  // namespace sealift::render
