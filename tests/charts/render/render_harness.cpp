#include "render_harness.hpp"

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "language_cases.hpp"

namespace sealift::test::render_cases {

using namespace sealift::render;

std::shared_ptr<const FunctionTable> test_functions() {
    static const auto table = [] {
        auto t = std::make_shared<FunctionTable>();
        add_helm_template_functions(*t);
        t->add("required", Function{{ParamType::string, ParamType::any}, std::nullopt, [](Execution&, Args a) {
                                        if (a[1].is_nil() || (a[1].is_string() && a[1].as_string().empty()))
                                            throw FunctionError(helm_warning(a[0].as_string()));
                                        return a[1];
                                    }});
        return std::shared_ptr<const FunctionTable>(t);
    }();
    return table;
}

MapRef test_scope(const std::string& file) {
    auto scope = make_map();
    scope->type_name = "chartutil.Values";
    Value values = from_json(nlohmann::json::parse(values_json));
    values.as_map()->type_name = "chartutil.Values";
    scope->entries["Values"] = values;
    auto release = make_map();
    release->entries["Name"] = Value("rel");
    release->entries["Namespace"] = Value("default");
    release->entries["Service"] = Value("Helm");
    release->entries["IsInstall"] = Value(true);
    release->entries["IsUpgrade"] = Value(false);
    release->entries["Revision"] = Value(1);
    scope->entries["Release"] = Value(release);
    auto info = make_map();
    info->entries["Name"] = Value("chart/templates/" + file);
    info->entries["BasePath"] = Value("chart/templates");
    scope->entries["Template"] = Value(info);
    return scope;
}

std::string render_case(const std::string& text) {
    TemplateSet set(test_functions(), MissingKey::zero);
    set.parse("chart/templates/_helpers.tpl", helpers);
    set.parse("chart/templates/case.yaml", text);
    return set.execute("chart/templates/case.yaml", Value(test_scope("case.yaml")));
}

std::string render_error(const std::string& text) {
    std::vector<HelmTemplateFile> files = {
        {"chart/templates/_helpers.tpl", helpers, test_scope("_helpers.tpl"), "chart/templates"},
        {"chart/templates/err.yaml", text, test_scope("err.yaml"), "chart/templates"},
    };
    try {
        render_helm_templates(files, test_functions());
    } catch (const Error& e) {
        return e.what();
    }
    return "NO ERROR";
}

}  // namespace sealift::test::render_cases
