// Template functions, as Go's template.FuncMap sees them, and the table they are registered in.
//
// A Go template function has a typed signature, and text/template converts and checks every
// argument against it before the call: a float64 from values given to an `int` parameter fails
// with "wrong type for value; expected int; got float64", a literal `3` given to a float64
// parameter becomes 3.0, nil given to a string parameter is "invalid value; expected string".
// Charts depend on these (a chart that works in Helm must not fail here, and the other way round),
// so a function declares its parameters with ParamType and the executor does Go's checks; the
// implementation then receives arguments already of the declared kinds.
//
// A function fails by throwing FunctionError with Go's error text; the executor reports it as Go
// does: `template: NAME:LINE:COL: executing "NAME" at <fn args>: error calling fn: TEXT`.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "charts/render/value.hpp"

namespace sealift::render {

// Go parameter types a function can declare. `any` is interface{}: anything, nil included.
enum class ParamType {
    any,          // interface{}
    string,       // string
    integer,      // int: integer values and integer literals only
    int64,        // int64
    float64,      // float64: float values, and number literals (3 becomes 3.0)
    boolean,      // bool
    list,         // []interface{}: a list typed []interface {} (nil gives a nil list)
    string_list,  // []string
    map,          // map[string]interface{} (chartutil.Values too; nil gives a nil map)
};

// Go's name of a parameter type, for error messages ("int", "[]interface {}", ...).
std::string_view param_type_name(ParamType t);

using Args = std::span<const Value>;

// What a running function sees of the template execution that called it: Helm's `include` and
// `tpl` render other templates of the same set with the same functions and options.
class Execution {
public:
    virtual ~Execution() = default;
    // Executes the named template of the set with `data` as dot; its output. Fails with Go's
    // `template: no template "name" associated with template "..."` for an unknown name.
    virtual std::string execute_template(std::string_view name, const Value& data) = 0;
    // Parses `text` as a template named `name` in (a copy of) the current set and executes it.
    virtual std::string execute_text(std::string_view name, std::string_view text, const Value& data) = 0;
    // The template being executed right now (its name for error messages).
    virtual std::string current_template() const = 0;
};

using FunctionImpl = std::function<Value(Execution&, Args)>;

struct Function {
    std::vector<ParamType> params;
    // Set for a variadic function (Go's `...T`): every argument past `params` has this type.
    std::optional<ParamType> variadic;
    FunctionImpl impl;
};

// A function's failure, with the text Go's error would have. The executor adds the location.
class FunctionError : public std::runtime_error {
public:
    explicit FunctionError(const std::string& message) : std::runtime_error(message) {}
};

// The functions a template set knows by name. The parser refuses a call of a name not in it, as
// Go does (`function "foo" not defined`), so the table is complete before parsing.
class FunctionTable {
public:
    // Adds or replaces `name` (Helm replaces Sprig's functions with its own the same way).
    void add(std::string name, Function f);
    const Function* find(std::string_view name) const;
    bool contains(std::string_view name) const { return find(name) != nullptr; }

private:
    std::map<std::string, Function, std::less<>> functions_;
};

}  // namespace sealift::render
