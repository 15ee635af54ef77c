// The table of template cases both the engine's tests and the Helm conformance test run: the
// expected outputs were taken from `helm template` (v3.21) and the conformance test checks them
// against Helm again whenever ../shared/tools/helm is present.
#pragma once

#include <string>
#include <vector>

namespace sealift::test::render_cases {

struct Case {
    const char* name;
    const char* text;      // the template
    const char* expected;  // its output (Go's, before Helm removes "<no value>")
};

// The chart's values (values.yaml is this JSON, which YAML reads the same).
inline const char* values_json = R"({
  "str": "hello", "empty": "", "num": 3, "float": 1.5, "big": 1000000, "zero": 0, "t": true, "f": false,
  "list": ["a", "b", "c"], "nums": [1, 2, 3], "emptyList": [], "map": {"b": 2, "a": 1, "c": {"d": "deep"}},
  "emptyMap": {}, "nul": null, "mixed": ["x", 1, null, true, {"k": "v"}], "html": "<a href=\"x\">&'</a>",
  "port": 80
})";

// templates/_helpers.tpl of the chart, parsed with every case.
inline const char* helpers =
    R"({{ define "h.greet" }}hi {{ . }}{{ end }})"
    R"({{ define "h.vars" }}{{ $ }}{{ end }})"
    R"({{ define "h.rec" }}{{ if . }}{{ len . }}{{ template "h.rec" (slice . 1) }}{{ end }}{{ end }})"
    R"({{ define "h.bad" }}{{ index .Values.list 9 }}{{ end }})";

inline const std::vector<Case>& cases() {
    static const std::vector<Case> all = {
        // values and how {{ }} prints them
        {"text", "text only", "text only"},
        {"string", "{{ .Values.str }}", "hello"},
        {"float from values", "{{ .Values.num }} {{ .Values.float }} {{ .Values.big }}", "3 1.5 1e+06"},
        {"list", "{{ .Values.list }} {{ .Values.nums }} {{ .Values.emptyList }}", "[a b c] [1 2 3] []"},
        {"map sorted", "{{ .Values.map }} {{ .Values.emptyMap }}", "map[a:1 b:2 c:map[d:deep]] map[]"},
        {"missing and null", "[{{ .Values.missing }}][{{ .Values.nul }}]", "[<no value>][<no value>]"},
        {"nil inside list", "{{ .Values.mixed }}", "[x 1 <nil> true map[k:v]]"},
        {"chained fields", "{{ .Values.map.c.d }}", "deep"},
        // whitespace trimming and comments
        {"trim both", "a  {{- .Values.str -}}  b", "ahellob"},
        {"trimmed comment", "a\n  {{- /* c */ -}}\n  b", "ab"},
        {"comment", "{{/* comment */}}x", "x"},
        {"trim is not minus", "a {{- 3 }} b", "a3 b"},
        {"negative number", "{{ -3 }}", "-3"},
        {"trim newline", "x\n{{- if true }}\ny{{ end }}", "x\ny"},
        // literals
        {"escapes", R"({{ "a\tb\u00e9\x41" }})", "a\tb\xc3\xa9\x41"},
        {"raw string", "{{ `raw\\n` }}", "raw\\n"},
        {"char constant", "{{ 'a' }}", "97"},
        {"integer bases", "{{ 0x1F }} {{ 0o17 }} {{ 017 }} {{ 0b101 }} {{ 1_000 }}", "31 15 15 5 1000"},
        {"floats", "{{ 1.5e3 }} {{ 1e6 }} {{ .5 }} {{ 0x1p-2 }} {{ 1.0 }} {{ -0.0 }}", "1500 1e+06 0.5 0.25 1 -0"},
        {"booleans", "{{ true }} {{ false }}", "true false"},
        {"literal types", R"({{ 1e3 | printf "%T" }} {{ 0x10 | printf "%T" }} {{ 'x' | printf "%T" }})",
         "float64 int int"},
        // print, println, printf
        {"print", R"({{ print "a" 1 2 "b" }})", "a1 2b"},
        {"println", R"({{ println "a" 1 }})", "a 1\n"},
        {"printf basics", R"({{ printf "%d %s %v %q" 42 "s" .Values.list "q" }})", R"(42 s [a b c] "q")"},
        {"printf numbers", R"({{ printf "%5.2f|%-4d|%04d|%x|%X|%o|%e|%g" 3.14159 7 42 255 255 8 1234.5678 0.000012 }})",
         " 3.14|7   |0042|ff|FF|10|1.234568e+03|1.2e-05"},
        {"printf %d of float64", R"({{ printf "%d" .Values.port }})", "%!d(float64=80)"},
        {"printf missing", R"({{ printf "%v %v" .Values.float }})", "1.5 %!v(MISSING)"},
        {"printf extra", R"({{ printf "%s" 1 2 }})", "%!s(int=1)%!(EXTRA int=2)"},
        {"printf t c U", R"({{ printf "%t %c %U %%" true 65 65 }})", "true A U+0041 %"},
        {"printf types", R"({{ printf "%T %T %T %T %T" .Values.num 1 .Values.list .Values.map .Values.missing }})",
         "float64 int []interface {} map[string]interface {} <nil>"},
        {"printf q list", R"({{ printf "%q" .Values.list }})", R"(["a" "b" "c"])"},
        {"printf widths", R"({{ printf "%10s|%-10s|%.3s" "r" "l" "abcdef" }})", "         r|l         |abc"},
        {"printf nil", R"({{ printf "%v" .Values.nul }})", "<nil>"},
        {"printf signs", R"({{ printf "%+d % d %+.1f" 5 5 2.55 }})", "+5  5 +2.5"},
        {"printf e", R"({{ printf "%6.2e|%e" 12345.678 0.0 }})", "1.23e+04|0.000000e+00"},
        {"printf x string", R"({{ printf "%x|%X" "hi" "hi" }})", "6869|6869"},
        {"printf v floats", R"({{ printf "%v %v %v %v" 100000.0 1e21 1e-5 123456789.0 }})",
         "100000 1e+21 1e-05 1.23456789e+08"},
        {"printf f rounding", R"({{ printf "%.0f %.1f %f" 2.5 0.05 1e20 }})", "2 0.1 100000000000000000000.000000"},
        {"printf g", R"({{ printf "%g %G %.3g %.10g" 123456789.0 1e-10 3.14159 1.0 }})", "1.23456789e+08 1E-10 3.14 1"},
        {"printf zero pad", R"({{ printf "%08.3f|%-8.2f|%+.2e" -3.14159 2.5 12345.0 }})",
         "-003.142|2.50    |+1.23e+04"},
        {"printf bool width", R"({{ printf "%5t|%-5t|" true false }})", " true|false|"},
        {"printf sharp", R"({{ printf "%#x %#o %b" 255 8 5 }})", "0xff 010 101"},
        {"printf c width", R"({{ printf "%3c|%-3c|" 65 66 }})", "  A|B  |"},
        {"printf q width", R"({{ printf "%5q" "a" }})", R"(  "a")"},
        {"printf d list", R"({{ printf "%d" .Values.list }})", "[%!d(string=a) %!d(string=b) %!d(string=c)]"},
        {"printf s map", R"({{ printf "%s" .Values.map }})", "map[a:%!s(float64=1) b:%!s(float64=2) c:map[d:deep]]"},
        {"printf s nil", R"({{ printf "%s" nil }})", "%!s(<nil>)"},
        {"printf bad verb", R"({{ printf "%z" 1 }})", "%!z(int=1)"},
        {"printf star", R"({{ printf "%*d|%-*d" 5 1 4 2 }})", "    1|2   "},
        {"printf runes", R"({{ printf "%.2s|%4s" "日本語" "é" }})", "日本|   é"},
        {"printf negative hex", R"({{ printf "%x" -255 }})", "-ff"},
        {"printf pipe", R"({{ .Values.float | printf "%.3f" }})", "1.500"},
        // if / else if / else, with
        {"if else", "{{ if .Values.t }}yes{{ else }}no{{ end }}", "yes"},
        {"else if chain",
         "{{ if .Values.f }}1{{ else if .Values.zero }}2{{ else if .Values.empty }}3{{ else }}4{{ end }}", "4"},
        {"false values",
         "{{ if .Values.emptyList }}a{{ else }}b{{ end }}{{ if .Values.emptyMap }}a{{ else }}b{{ end }}"
         "{{ if .Values.missing }}a{{ else }}b{{ end }}{{ if .Values.nul }}a{{ else }}b{{ end }}",
         "bbbb"},
        {"true values",
         "{{ if .Values.list }}a{{ end }}{{ if .Values.map }}b{{ end }}{{ if .Values.float }}c{{ end }}"
         "{{ if .Values.str }}d{{ end }}{{ if .Values.mixed }}e{{ end }}",
         "abcde"},
        {"with", "{{ with .Values.map }}{{ .a }}{{ end }}", "1"},
        {"with else", "{{ with .Values.missing }}x{{ else }}none{{ end }}", "none"},
        {"else with", "{{ with .Values.missing }}x{{ else with .Values.str }}{{ . }}{{ end }}", "hello"},
        {"with variable", "{{ with $x := .Values.str }}{{ $x }}{{ . }}{{ end }}", "hellohello"},
        // range
        {"range list", "{{ range .Values.list }}{{ . }},{{ end }}", "a,b,c,"},
        {"range index", "{{ range $i, $v := .Values.list }}{{ $i }}={{ $v }} {{ end }}", "0=a 1=b 2=c "},
        {"range map sorted", "{{ range $k, $v := .Values.map }}{{ $k }}:{{ $v }};{{ end }}", "a:1;b:2;c:map[d:deep];"},
        {"range map values", "{{ range .Values.map }}{{ . }};{{ end }}", "1;2;map[d:deep];"},
        {"range else", "{{ range .Values.emptyList }}x{{ else }}empty{{ end }}", "empty"},
        {"range nil", "{{ range .Values.missing }}x{{ else }}none{{ end }}", "none"},
        {"range int", "{{ range 3 }}{{ . }}{{ end }}", "012"},
        {"range int variable", "{{ range $i := 2 }}{{ $i }}{{ end }}", "01"},
        {"break", R"({{ range .Values.list }}{{ if eq . "b" }}{{ break }}{{ end }}{{ . }}{{ end }})", "a"},
        {"continue", R"({{ range .Values.list }}{{ if eq . "b" }}{{ continue }}{{ end }}{{ . }}{{ end }})", "ac"},
        {"range one variable", "{{ range $v := .Values.list }}{{ $v }}{{ end }}", "abc"},
        {"range assign", "{{ $i := 0 }}{{ $v := 0 }}{{ range $i, $v = .Values.list }}{{ end }}{{ $i }}{{ $v }}", "2c"},
        {"range nested dollar", "{{ range .Values.list }}{{ $.Values.str }}{{ end }}", "hellohellohello"},
        // variables and scoping
        {"assign", "{{ $x := 1 }}{{ $x }}{{ $x = 2 }}{{ $x }}", "12"},
        {"assign in if", "{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}", "2"},
        {"shadow in if", "{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}", "21"},
        {"assign in range", "{{ $x := 0 }}{{ range .Values.list }}{{ $x = . }}{{ end }}{{ $x }}", "c"},
        {"dollar is root", "{{ with .Values.map }}{{ $.Values.str }}{{ end }}", "hello"},
        {"variable fields", "{{ $m := .Values.map }}{{ $m.c.d }}", "deep"},
        {"declaration prints nothing", "{{ $x := .Values.str }}", ""},
        // pipelines and parentheses
        {"pipe", R"({{ .Values.str | printf "%s!" }})", "hello!"},
        {"pipe last argument", R"({{ "x" | printf "%s-%s" "y" }})", "y-x"},
        {"parenthesised chain", R"({{ (index .Values.map "c").d }})", "deep"},
        {"nested pipeline", R"({{ printf "%d" (len .Values.list) }})", "3"},
        // len, index, slice
        {"len", "{{ len .Values.str }} {{ len .Values.map }} {{ len .Values.emptyList }}", "5 3 0"},
        {"index list", "{{ index .Values.list 1 }}", "b"},
        {"index nested", R"({{ index .Values.map "c" "d" }})", "deep"},
        {"index missing key", R"({{ index .Values.map "zz" }})", "<no value>"},
        {"index mixed", R"({{ index .Values.mixed 4 "k" }})", "v"},
        {"index string", "{{ index .Values.str 0 }}", "104"},
        // (Helm replaces Go's slice with Sprig's, which refuses strings: only lists here)
        {"slice", "{{ slice .Values.list 1 }} {{ slice .Values.list 1 2 }}", "[b c] [b]"},
        // and, or, not
        {"and", "{{ and 1 0 2 }} {{ and 1 2 3 }}", "0 3"},
        {"or", R"({{ or 0 "" "x" }} {{ or 0 false }})", "x false"},
        {"not", "{{ not .Values.empty }} {{ not .Values.str }}", "true false"},
        {"and short-circuits", "{{ and false (index .Values.missing 1) }}", "false"},
        {"or returns the value", "{{ or .Values.missing .Values.str }}", "hello"},
        // comparisons
        {"eq", R"({{ eq .Values.str "hello" }} {{ eq 1 2 3 1 }} {{ ne 1 2 }})", "true true true"},
        {"eq float", "{{ eq .Values.num 3.0 }}", "true"},
        {"ordering", R"({{ lt 1 2 }} {{ le 2 2 }} {{ gt "b" "a" }} {{ ge 1.5 2.5 }})", "true true true false"},
        {"eq nil", R"({{ eq .Values.missing "x" }} {{ eq .Values.nul .Values.missing }})", "false true"},
        {"eq bool", "{{ eq .Values.t true }}", "true"},
        // html, js, urlquery
        {"html", "{{ html .Values.html }}", "&lt;a href=&#34;x&#34;&gt;&amp;&#39;&lt;/a&gt;"},
        {"js", "{{ js .Values.html }}", R"(\u003Ca href\u003D\"x\"\u003E\u0026\'\u003C/a\u003E)"},
        {"urlquery", R"({{ urlquery "a b&c=d/é" }})", "a+b%26c%3Dd%2F%C3%A9"},
        {"html of nil", "{{ html .Values.missing }}", "&lt;no value&gt;"},
        // define, template, block, include, tpl
        {"template", R"({{ template "h.greet" "bob" }})", "hi bob"},
        {"template without data", R"({{ template "h.greet" }})", "hi <no value>"},
        {"include", R"({{ include "h.greet" .Values.str }})", "hi hello"},
        {"template recursion", R"({{ template "h.rec" .Values.list }})", "321"},
        {"template dollar", R"({{ include "h.vars" 5 }})", "5"},
        {"block", R"({{ block "blk" .Values.str }}[{{ . }}]{{ end }})", "[hello]"},
        {"tpl", R"({{ tpl "{{ .Values.str }}-{{ .Release.Name }}" . }})", "hello-rel"},
        {"tpl define", R"({{ tpl "{{ define \"tpl.d\" }}D{{ end }}{{ include \"tpl.d\" . }}" . }})", "D"},
        {"tpl removes no value", R"([{{ tpl "{{ .missing }}" .Values }}])", "[]"},
        {"tpl plain text", R"({{ tpl "plain" . }})", "plain"},
    };
    return all;
}

struct ErrorCase {
    const char* name;
    const char* text;      // templates/err.yaml
    const char* expected;  // Helm's error message (after "Error: ")
};

inline const std::vector<ErrorCase>& error_cases() {
    static const std::vector<ErrorCase> all = {
        {"nil pointer", "{{ .Values.missing.sub }}",
         R"(template: chart/templates/err.yaml:1:10: executing "chart/templates/err.yaml" at <.Values.missing.sub>: nil pointer evaluating interface {}.sub)"},
        {"index out of range", "{{ index .Values.list 5 }}",
         R"(template: chart/templates/err.yaml:1:3: executing "chart/templates/err.yaml" at <index .Values.list 5>: error calling index: index out of range: 5)"},
        {"int against float", "{{ eq .Values.num 3 }}",
         R"(template: chart/templates/err.yaml:1:3: executing "chart/templates/err.yaml" at <eq .Values.num 3>: error calling eq: incompatible types for comparison: float64 and int)"},
        {"field of a string", "{{ .Values.str.foo }}",
         R"(template: chart/templates/err.yaml:1:10: executing "chart/templates/err.yaml" at <.Values.str.foo>: can't evaluate field foo in type interface {})"},
        {"undefined template", R"({{ template "nope" }})",
         R"(template: chart/templates/err.yaml:1:12: executing "chart/templates/err.yaml" at <{{template "nope"}}>: template "nope" not defined)"},
        {"if without value", "{{ if }}x{{ end }}", "parse error at (chart/templates/err.yaml:1): missing value for if"},
        {"unknown function", "{{ nofunc 1 }}",
         R"(parse error at (chart/templates/err.yaml:1): function "nofunc" not defined)"},
        {"undefined variable", "{{ $x }}", R"(parse error at (chart/templates/err.yaml:1): undefined variable "$x")"},
        {"stray end", "line1\n{{ end }}", "parse error at (chart/templates/err.yaml:2): unexpected {{end}}"},
        {"unclosed range", "{{ range .Values.list }}", "parse error at (chart/templates/err.yaml:1): unexpected EOF"},
        {"break outside range", "{{ break }}",
         "parse error at (chart/templates/err.yaml:1): {{break}} outside {{range}}"},
        {"unknown include", R"({{ include "nope" . }})",
         R"(template: chart/templates/err.yaml:1:3: executing "chart/templates/err.yaml" at <include "nope" .>: error calling include: template: no template "nope" associated with template "gotpl")"},
        {"range over float", "{{ range .Values.float }}{{ end }}",
         R"(template: chart/templates/err.yaml:1:16: executing "chart/templates/err.yaml" at <.Values.float>: range can't iterate over 1.5)"},
        {"unclosed action", "{{ .Values.str", "parse error at (chart/templates/err.yaml:1): unclosed action"},
        {"printf without format", "{{ printf }}",
         R"(template: chart/templates/err.yaml:1:3: executing "chart/templates/err.yaml" at <printf>: wrong number of args for printf: want at least 1 got 0)"},
        {"lt of int and string", R"({{ lt 1 "a" }})",
         R"(template: chart/templates/err.yaml:1:3: executing "chart/templates/err.yaml" at <lt 1 "a">: error calling lt: incompatible types for comparison: int and string)"},
        {"bad number", "{{ 1x }}", R"(parse error at (chart/templates/err.yaml:1): "1x")"},
        {"error in include", R"({{ include "h.bad" . }})",
         R"(template: chart/templates/err.yaml:1:3: executing "chart/templates/err.yaml" at <include "h.bad" .>: error calling include: template: chart/templates/_helpers.tpl:1:194: executing "h.bad" at <index .Values.list 9>: error calling index: index out of range: 9)"},
        {"error in tpl", R"({{ tpl "{{ .a.b }}" .Values }})",
         R"(template: chart/templates/err.yaml:1:3: executing "chart/templates/err.yaml" at <tpl "{{ .a.b }}" .Values>: error calling tpl: error during tpl function execution for "{{ .a.b }}": template: gotpl:1:5: executing "gotpl" at <.a.b>: nil pointer evaluating interface {}.b)"},
        {"len of int", "{{ len 3 }}",
         R"(template: chart/templates/err.yaml:1:3: executing "chart/templates/err.yaml" at <len 3>: error calling len: len of type int)"},
        {"field of a list", "{{ .Values.list.x }}",
         R"(template: chart/templates/err.yaml:1:10: executing "chart/templates/err.yaml" at <.Values.list.x>: can't evaluate field x in type interface {})"},
        {"index of nil", "{{ index .Values.missing 1 }}",
         R"(template: chart/templates/err.yaml:1:3: executing "chart/templates/err.yaml" at <index .Values.missing 1>: error calling index: index of untyped nil)"},
        {"and without arguments", "{{ and }}",
         R"(template: chart/templates/err.yaml:1:3: executing "chart/templates/err.yaml" at <and>: wrong number of args for and: want at least 1 got 0)"},
        {"nil command", "{{ nil }}",
         R"(template: chart/templates/err.yaml:1:3: executing "chart/templates/err.yaml" at <nil>: nil is not a command)"},
        {"unterminated string", R"({{ "abc }})",
         "parse error at (chart/templates/err.yaml:1): unterminated quoted string"},
        {"map key with arguments", "{{ .Values.str 1 }}",
         R"(template: chart/templates/err.yaml:1:10: executing "chart/templates/err.yaml" at <.Values.str>: str is not a method but has arguments)"},
        {"multiple definition", R"({{ define "a" }}1{{ end }}{{ define "a" }}2{{ end }})",
         R"(parse error at (chart/templates/err.yaml:1): multiple definition of template "a")"},
        {"string parameter of number", "{{ printf 1 }}",
         R"(template: chart/templates/err.yaml:1:10: executing "chart/templates/err.yaml" at <1>: expected string; found 1)"},
        {"string parameter of float64", "{{ printf .Values.num }}",
         R"(template: chart/templates/err.yaml:1:17: executing "chart/templates/err.yaml" at <.Values.num>: wrong type for value; expected string; got float64)"},
        {"string parameter of missing", "{{ printf .Values.missing }}",
         R"(template: chart/templates/err.yaml:1:17: executing "chart/templates/err.yaml" at <.Values.missing>: wrong type for value; expected string; got interface {})"},
        {"string parameter of piped missing", "{{ .Values.missing | printf }}",
         R"(template: chart/templates/err.yaml:1:21: executing "chart/templates/err.yaml" at <printf>: invalid value; expected string)"},
        {"required", R"({{ required "need x" .Values.missing }})",
         "execution error at (chart/templates/err.yaml:1:3): need x"},
        {"required in include", R"({{ include "h.greet" (required "inner" .Values.missing) }})",
         "execution error at (chart/templates/err.yaml:1:22): inner"},
    };
    return all;
}

}  // namespace sealift::test::render_cases
