// Go's text/template: a set of named templates parsed from text, executed against a Value.
//
// The set is what Go's *template.Template is after t.New(name).Parse(text) for every file:
// one namespace of templates (files and their {{define}}s), one function table, one missingkey
// option. Parse errors read as Go's (`template: NAME:LINE: unexpected "}" in operand`), execution
// errors too (`template: NAME:LINE:COL: executing "NAME" at <.Values.x>: ...`); both are thrown
// as sealift::Error with Errc::format and that text as the message.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "charts/render/function.hpp"
#include "charts/render/value.hpp"
#include "core/error.hpp"

namespace sealift::render {

namespace ast {
struct Tree;
}

// A template that does not parse; the message is Go's (`template: NAME:LINE: ...`). Execution
// errors are plain sealift::Error (Errc::format), so `tpl` can tell the two apart as Helm does.
class ParseError : public Error {
public:
    explicit ParseError(const std::string& message) : Error(Errc::format, message) {}
};

// Go's Option("missingkey=..."): what a missing map key gives. Go's default prints "<no value>"
// for it; Helm sets `zero`, which for map[string]interface{} is the same (a nil interface that
// prints as "<no value>"), and removes that text from the output afterwards.
enum class MissingKey { default_value, zero, error };

class TemplateSet {
public:
    // Go's builtins (and, or, not, len, index, slice, print, printf, println, eq, ne, lt, le, gt,
    // ge, html, js, urlquery, call) are always there; `functions` adds to them or replaces them.
    explicit TemplateSet(std::shared_ptr<const FunctionTable> functions = nullptr,
                         MissingKey missing_key = MissingKey::default_value);

    // Parses `text` as the template `name` and adds it and its {{define}}s to the set; a define
    // replaces an earlier template of the same name, as Go's AddParseTree does.
    void parse(const std::string& name, std::string_view text);

    bool contains(std::string_view name) const;

    // Executes the named template with `data` as dot (and $). Go's error for an unknown name:
    // `template: no template "x" associated with template "..."`.
    std::string execute(std::string_view name, const Value& data) const;

    const FunctionTable& functions() const { return *functions_; }
    MissingKey missing_key() const { return missing_key_; }
    const std::map<std::string, std::shared_ptr<const ast::Tree>, std::less<>>& templates() const { return templates_; }

private:
    std::shared_ptr<const FunctionTable> functions_;
    MissingKey missing_key_;
    std::map<std::string, std::shared_ptr<const ast::Tree>, std::less<>> templates_;
};

}  // namespace sealift::render
