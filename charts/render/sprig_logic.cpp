// Sprig's defaults and logic (defaults.go, reflect.go): default, empty, coalesce, all, any,
// ternary, typeOf/typeIs/typeIsLike, kindOf/kindIs, deepEqual.
#include "charts/render/sprig_families.hpp"
#include "charts/render/sprig_support.hpp"

namespace sealift::render {
namespace {
using P = ParamType;
}  // namespace

void add_logic_functions(FunctionTable& t) {
    add_function(
        t, "default", {P::any}, [](Args a) { return a.size() < 2 || sprig_empty(a[1]) ? a[0] : a[1]; }, P::any);
    add_function(t, "empty", {P::any}, [](Args a) { return Value(sprig_empty(a[0])); });
    add_function(
        t, "coalesce", {},
        [](Args a) {
            for (const Value& v : a)
                if (!sprig_empty(v)) return v;
            return Value();
        },
        P::any);
    add_function(
        t, "all", {},
        [](Args a) {
            for (const Value& v : a)
                if (sprig_empty(v)) return Value(false);
            return Value(true);
        },
        P::any);
    add_function(
        t, "any", {},
        [](Args a) {
            for (const Value& v : a)
                if (!sprig_empty(v)) return Value(true);
            return Value(false);
        },
        P::any);
    add_function(t, "ternary", {P::any, P::any, P::boolean}, [](Args a) { return a[2].as_bool() ? a[0] : a[1]; });
    add_function(t, "typeOf", {P::any}, [](Args a) { return Value(type_name(a[0])); });
    add_function(t, "typeIs", {P::string, P::any}, [](Args a) { return Value(a[0].as_string() == type_name(a[1])); });
    add_function(t, "typeIsLike", {P::string, P::any}, [](Args a) {
        std::string type = type_name(a[1]);
        return Value(a[0].as_string() == type || "*" + a[0].as_string() == type);
    });
    add_function(t, "kindOf", {P::any}, [](Args a) { return Value(kind_name(a[0])); });
    add_function(t, "kindIs", {P::string, P::any}, [](Args a) { return Value(a[0].as_string() == kind_name(a[1])); });
    add_function(t, "deepEqual", {P::any, P::any}, [](Args a) { return Value(go_deep_equal(a[0], a[1])); });
}

}  // namespace sealift::render
