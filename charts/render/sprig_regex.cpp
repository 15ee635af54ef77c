// Sprig's regex functions (regex.go) on GoRegexp. The plain forms compile with MustCompile and so
// fail with its panic text ("regexp: Compile(`(`): ..."); the must forms with Compile's error;
// regexMatch swallows the error and answers false.
#include "charts/render/go_regexp.hpp"
#include "charts/render/sprig_families.hpp"
#include "charts/render/sprig_support.hpp"
#include "core/error.hpp"

namespace sealift::render {
namespace {

using P = ParamType;

GoRegexp compile(const std::string& pattern, bool must) {
    try {
        return GoRegexp(pattern);
    } catch (const Error& e) {
        throw FunctionError(must ? std::string(e.what()) : go_regexp_must_compile_message(pattern, e.what()));
    }
}

void add_both(FunctionTable& t, const std::string& name, std::vector<ParamType> params,
              std::function<Value(const GoRegexp&, Args)> impl) {
    for (bool must : {false, true}) {
        std::string fn = must ? "mustR" + name.substr(1) : name;
        add_function(t, fn, params, [impl, must](Args a) { return impl(compile(a[0].as_string(), must), a); });
    }
}

}  // namespace

void add_regex_functions(FunctionTable& t) {
    add_function(t, "regexMatch", {P::string, P::string}, [](Args a) {
        try {
            return Value(GoRegexp(a[0].as_string()).match(a[1].as_string()));
        } catch (const Error&) {
            return Value(false);
        }
    });
    add_function(t, "mustRegexMatch", {P::string, P::string},
                 [](Args a) { return Value(compile(a[0].as_string(), true).match(a[1].as_string())); });
    add_both(t, "regexFind", {P::string, P::string},
             [](const GoRegexp& re, Args a) { return Value(re.find(a[1].as_string())); });
    add_both(t, "regexFindAll", {P::string, P::string, P::integer}, [](const GoRegexp& re, Args a) {
        return string_list_value(re.find_all(a[1].as_string(), int(a[2].as_int())));
    });
    add_both(t, "regexReplaceAll", {P::string, P::string, P::string},
             [](const GoRegexp& re, Args a) { return Value(re.replace_all(a[1].as_string(), a[2].as_string())); });
    add_both(t, "regexReplaceAllLiteral", {P::string, P::string, P::string}, [](const GoRegexp& re, Args a) {
        return Value(re.replace_all_literal(a[1].as_string(), a[2].as_string()));
    });
    add_both(t, "regexSplit", {P::string, P::string, P::integer}, [](const GoRegexp& re, Args a) {
        return string_list_value(re.split(a[1].as_string(), int(a[2].as_int())));
    });
    add_function(t, "regexQuoteMeta", {P::string},
                 [](Args a) { return Value(go_regexp_quote_meta(a[0].as_string())); });
}

}  // namespace sealift::render
