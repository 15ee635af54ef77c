// Rendering a case of language_cases.hpp with the engine, as Helm would see it: the chart "chart"
// with the helpers file, release "rel", and a `required` like Helm's (the engine's tests need one
// function that fails with Helm's marker; the real one comes with the Helm function library).
#pragma once

#include <memory>
#include <string>

#include "charts/render/function.hpp"
#include "charts/render/helm_engine.hpp"
#include "charts/render/template_set.hpp"
#include "charts/render/value.hpp"

namespace sealift::test::render_cases {

std::shared_ptr<const render::FunctionTable> test_functions();

// The top-level scope of chart/templates/<file>: Values, Release, Template.
render::MapRef test_scope(const std::string& file);

// The output of `text` (before Helm removes "<no value>"), parsed with the helpers.
std::string render_case(const std::string& text);

// The error Helm's engine would report for templates/err.yaml with `text`, or "NO ERROR".
std::string render_error(const std::string& text);

}  // namespace sealift::test::render_cases
