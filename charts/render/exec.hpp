// The executor of parsed templates (private): Go's text/template exec.go, walk for walk.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "charts/render/ast.hpp"
#include "charts/render/template_set.hpp"

namespace sealift::render {

// What one top-level execution shares across include and tpl calls: Helm's count of nested
// includes per name (one map per render, as Helm's closure over includedNames).
struct RunContext {
    std::map<std::string, int, std::less<>> included_names;
};

// Executes `tree` of `set` with `data` as dot and $, appending to `out`. `depth` counts nested
// {{template}} calls.
void execute_tree(const TemplateSet& set, const ast::Tree& tree, const Value& data, std::string& out, RunContext& run,
                  int depth);

// Go's builtin functions (and, or, not, len, index, slice, print, printf, println, eq, ne, lt, le,
// gt, ge, html, js, urlquery, call).
const FunctionTable& builtin_functions();

// Go's texts for template errors are `template: LOCATION: MESSAGE`; thrown as sealift::Error.
[[noreturn]] void throw_template_error(const std::string& message);

}  // namespace sealift::render
