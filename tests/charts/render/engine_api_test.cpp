// The engine through its API: objects with fields and methods, functions with typed parameters
// (Go's conversions and refusals), the nesting limits, missingkey options, and the set's rules.
#include <catch2/catch.hpp>

#include "charts/render/helm_engine.hpp"
#include "charts/render/template_set.hpp"
#include "core/error.hpp"
#include "render_harness.hpp"
#include "support/support.hpp"

using namespace sealift;
using namespace sealift::render;
using sealift::test::error_of;

namespace {

// Like Helm's .Capabilities.APIVersions (chartutil.VersionSet, a []string with a Has method).
class VersionSet final : public Object {
public:
    VersionSet() {
        has_.params = {ParamType::string};
        has_.impl = [](Execution&, Args a) { return Value(a[0].as_string() == "apps/v1"); };
    }
    std::string type_name() const override { return "chartutil.VersionSet"; }
    std::string kind_name() const override { return "slice"; }
    std::optional<Value> field(std::string_view) const override { return std::nullopt; }
    const Function* method(std::string_view name) const override { return name == "Has" ? &has_ : nullptr; }
    std::string format() const override { return "[apps/v1]"; }
    nlohmann::json to_json() const override { return nlohmann::json::array({"apps/v1"}); }
    std::optional<std::int64_t> length() const override { return 1; }

private:
    Function has_;
};

// Like *chart.Metadata: fields only.
class Metadata final : public Object {
public:
    std::string type_name() const override { return "*chart.Metadata"; }
    std::optional<Value> field(std::string_view name) const override {
        if (name == "Name") return Value("mychart");
        if (name == "Versions") return Value(ObjectRef(std::make_shared<VersionSet>()));
        return std::nullopt;
    }
    std::string format() const override { return "&{mychart}"; }
    nlohmann::json to_json() const override { return {{"name", "mychart"}}; }
};

std::shared_ptr<const FunctionTable> typed_functions() {
    auto t = std::make_shared<FunctionTable>();
    add_helm_template_functions(*t);
    t->add("repeat", Function{{ParamType::integer, ParamType::string}, std::nullopt, [](Execution&, Args a) {
                                  std::string out;
                                  for (std::int64_t i = 0; i < a[0].as_int(); ++i) out += a[1].as_string();
                                  return Value(out);
                              }});
    t->add("half",
           Function{{ParamType::float64}, std::nullopt, [](Execution&, Args a) { return Value(a[0].as_float() / 2); }});
    t->add("keys", Function{{ParamType::map}, std::nullopt, [](Execution&, Args a) {
                                std::vector<std::string> keys;
                                if (a[0].is_map())
                                    for (const auto& [k, _] : a[0].as_map()->entries) keys.push_back(k);
                                return Value(make_string_list(keys));
                            }});
    t->add("boom", Function{{}, std::nullopt, [](Execution&, Args) -> Value { throw FunctionError("it broke"); }});
    return t;
}

std::string render_text(const std::string& text, const Value& data, MissingKey missing = MissingKey::zero) {
    TemplateSet set(typed_functions(), missing);
    set.parse("t", text);
    return set.execute("t", data);
}

Value data() {
    auto top = make_map();
    top->entries["Chart"] = Value(ObjectRef(std::make_shared<Metadata>()));
    top->entries["n"] = Value(2.0);
    top->entries["m"] = Value(make_map());
    top->entries["m"].as_map()->entries["k"] = Value("v");
    return Value(top);
}

}  // namespace

TEST_CASE("objects: fields, chained fields and methods with arguments", "[render][objects]") {
    CHECK(render_text("{{ .Chart.Name }}", data()) == "mychart");
    // (.Chart is a map element, so Go names its static type interface {}: as Helm prints it)
    CHECK(error_of([] { render_text("{{ .Chart.Name.x }}", data()); }) ==
          R"(template: t:1:9: executing "t" at <.Chart.Name.x>: can't evaluate field x in type string)");
    CHECK(render_text(R"({{ .Chart.Versions.Has "apps/v1" }} {{ .Chart.Versions.Has "x" }})", data()) == "true false");
    CHECK(render_text(R"({{ if .Chart.Versions.Has "apps/v1" }}yes{{ end }})", data()) == "yes");
    CHECK(render_text("{{ .Chart }} {{ len .Chart.Versions }}", data()) == "&{mychart} 1");
    CHECK(error_of([] { render_text("{{ .Chart.Nope }}", data()); }) ==
          R"(template: t:1:9: executing "t" at <.Chart.Nope>: can't evaluate field Nope in type interface {})");
    CHECK(error_of([] { render_text(R"({{ .Chart.Name "x" }})", data()); }) ==
          R"(template: t:1:9: executing "t" at <.Chart.Name>: Name has arguments but cannot be invoked as function)");
    CHECK(error_of([] { render_text("{{ .Chart.Versions.Has 1 }}", data()); }) ==
          R"(template: t:1:23: executing "t" at <1>: expected string; found 1)");
}

TEST_CASE("typed parameters convert and refuse as Go's reflection does", "[render][functions]") {
    CHECK(render_text(R"({{ repeat 3 "ab" }})", data()) == "ababab");
    CHECK(render_text("{{ half 3 }} {{ half .n }}", data()) == "1.5 1");
    CHECK(render_text("{{ keys .m }} {{ keys nil }} {{ printf \"%T\" (keys .m) }}", data()) == "[k] [] []string");
    CHECK(error_of([] { render_text(R"({{ repeat .n "ab" }})", data()); }) ==
          R"(template: t:1:10: executing "t" at <.n>: wrong type for value; expected int; got float64)");
    CHECK(error_of([] { render_text(R"({{ repeat 1.5 "ab" }})", data()); }) ==
          R"(template: t:1:10: executing "t" at <1.5>: expected integer; found 1.5)");
    CHECK(error_of([] { render_text("{{ repeat 1 }}", data()); }) ==
          R"(template: t:1:3: executing "t" at <repeat>: wrong number of args for repeat: want 2 got 1)");
    CHECK(error_of([] { render_text(R"({{ keys "x" }})", data()); }) ==
          R"(template: t:1:8: executing "t" at <"x">: can't handle "x" for arg of type map[string]interface {})");
    CHECK(
        error_of([] { render_text("{{ keys .missing }}", data()); }) ==
        R"(template: t:1:8: executing "t" at <.missing>: wrong type for value; expected map[string]interface {}; got interface {})");
    CHECK(error_of([] { render_text("{{ .n | repeat 2 }}", data()); }) ==
          R"(template: t:1:15: executing "t" at <2>: wrong type for value; expected string; got float64)");
    CHECK(error_of([] { render_text("{{ boom }}", data()); }) ==
          R"(template: t:1:3: executing "t" at <boom>: error calling boom: it broke)");
}

TEST_CASE("missingkey options", "[render][missingkey]") {
    CHECK(render_text("{{ .missing }}", data(), MissingKey::default_value) == "<no value>");
    CHECK(render_text("{{ .missing.deeper }}", data(), MissingKey::default_value) == "<no value>");
    CHECK(error_of([] { render_text("{{ .missing.deeper }}", data(), MissingKey::zero); }) ==
          R"(template: t:1:11: executing "t" at <.missing.deeper>: nil pointer evaluating interface {}.deeper)");
    CHECK(error_of([] { render_text("{{ .missing }}", data(), MissingKey::error); }) ==
          R"(template: t:1:3: executing "t" at <.missing>: map has no entry for key "missing")");
}

TEST_CASE("nesting limits: Helm's 1000 includes of a name, Go's 100000 templates", "[render][limits]") {
    std::string include_loop =
        error_of([] { render_text(R"({{ define "l" }}{{ include "l" . }}{{ end }}{{ include "l" . }})", data()); });
    CHECK(
        include_loop.ends_with("error calling include: rendering template has a nested reference name: l: "
                               "unable to execute template"));
    std::string template_loop =
        error_of([] { render_text(R"({{ define "x" }}{{ template "x" }}{{ end }}{{ template "x" }})", data()); });
    CHECK(template_loop ==
          R"(template: t:1:28: executing "x" at <{{template "x"}}>: exceeded maximum template depth (100000))");
    // Deep but within the limits: 900 nested includes render.
    auto top = make_map();
    std::vector<Value> items(900, Value("i"));
    top->entries["list"] = Value(make_list(items));
    std::string deep = render_text(
        R"({{ define "d" }}{{ if . }}x{{ include "d" (slice . 1) }}{{ end }}{{ end }}{{ include "d" .list }})",
        Value(top));
    CHECK(deep == std::string(900, 'x'));
}

TEST_CASE("a later define replaces an earlier one; an empty file does not", "[render][set]") {
    TemplateSet set(typed_functions(), MissingKey::zero);
    set.parse("a.tpl", R"({{ define "x" }}first{{ end }})");
    set.parse("b.tpl", R"({{ define "x" }}second{{ end }})");
    set.parse("x", "  ");
    CHECK(set.execute("x", Value()) == "second");
    CHECK(error_of([&] { set.execute("nope", Value()); }) ==
          R"(template: no template "nope" associated with template "gotpl")");
    CHECK(error_of([&] { set.parse("bad", "{{ if }}"); }) == "template: bad:1: missing value for if");
}

TEST_CASE("Helm's render: partials skipped, <no value> removed, .Template set", "[render][helm-engine]") {
    auto scope = make_map();
    scope->entries["Values"] = Value(make_map());
    std::vector<HelmTemplateFile> files = {
        {"c/templates/_h.tpl", R"({{ define "c.name" }}name-{{ .Template.Name }}{{ end }})", scope, "c/templates"},
        {"c/templates/a.yaml", R"(a: {{ include "c.name" . }} [{{ .Values.none }}])", scope, "c/templates"},
        {"c/charts/s/templates/_h.tpl", R"({{ define "c.name" }}from-subchart{{ end }})", scope,
         "c/charts/s/templates"},
    };
    auto out = render_helm_templates(files, typed_functions());
    REQUIRE(out.size() == 1);
    // The parent's define wins over the subchart's: Helm parses deeper files first.
    CHECK(out["c/templates/a.yaml"] == "a: name-c/templates/a.yaml []");
}
