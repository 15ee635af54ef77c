// Helm's layer over the template language: `include` and `tpl` (they run templates of the set,
// so they live with the engine), and Helm's way of rendering a chart's files (pkg/engine/engine.go):
// one template set for every file of the chart and its subcharts, parsed deepest path first so a
// parent chart's {{define}} wins; partials (`_*.tpl`) parsed but not rendered; "<no value>" removed
// from the output; errors reported as Helm prints them.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "charts/render/function.hpp"
#include "charts/render/value.hpp"

namespace sealift::render {

// Adds Helm's `include` (nested 1000 deep at most per name, Helm's limit) and `tpl` (parses its text
// as the template "gotpl" in a copy of the running set, as Helm's clone does).
void add_helm_template_functions(FunctionTable& table);

// Helm's marker around the message of `required` and `fail`: the error of the file that failed then
// reads `execution error at (chart/templates/x.yaml:3:4): MESSAGE`, as Helm prints it.
std::string helm_warning(std::string_view message);

struct HelmTemplateFile {
    std::string name;  // "mychart/templates/deployment.yaml", "mychart/charts/sub/templates/_h.tpl"
    std::string text;
    MapRef scope;           // the top-level map the file sees: Values, Chart, Release, Capabilities, Files
    std::string base_path;  // "mychart/templates"; with `name`, set as .Template of the scope
};

// Renders as Helm's engine does; the rendered text of every file that is not a partial. Throws
// sealift::Error (Errc::format) with Helm's message: `parse error at (NAME:LINE): MESSAGE`,
// `execution error at (NAME:LINE:COL): MESSAGE` for required/fail, Go's text for other failures.
std::map<std::string, std::string> render_helm_templates(const std::vector<HelmTemplateFile>& files,
                                                         std::shared_ptr<const FunctionTable> functions);

}  // namespace sealift::render
