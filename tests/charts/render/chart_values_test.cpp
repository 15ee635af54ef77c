// Helm's values handling: --set syntax, coalescing, globals, subchart scoping, tags, conditions,
// import-values. The expected values are what Helm v3.21 printed with {{ toJson .Values }} for
// the same charts and flags (the fixture below is the chart it rendered).
#include <catch2/catch.hpp>

#include "charts/render/chart_values.hpp"
#include "charts/render/go_json.hpp"
#include "charts/render/go_yaml_read.hpp"
#include "charts/render/strvals.hpp"
#include "support/support.hpp"

using namespace sealift::render;
using sealift::test::error_of;
using Json = nlohmann::json;

namespace {

const char* const chart_values_yaml = "a:\n  b: 1\n  c: keep\nlist: [1, 2]\nn: null\n";

// The values templates of a chart without dependencies see after `--set ARGS`.
std::string values_with_set(const std::vector<std::string>& set, SetKind kind = SetKind::typed) {
    ValuesChart chart;
    chart.name = "p3";
    chart.values = go_yaml_unmarshal_map(chart_values_yaml);
    UserValueSources sources;
    for (const std::string& s : set) {
        if (kind == SetKind::typed) sources.set.push_back(s);
        if (kind == SetKind::string) sources.set_string.push_back(s);
        if (kind == SetKind::json) sources.set_json.push_back(s);
        if (kind == SetKind::literal) sources.set_literal.push_back(s);
    }
    return go_json_marshal(coalesce_values(chart, merge_user_values(sources)));
}

}  // namespace

TEST_CASE("--set values are typed, nested and indexed as Helm's strvals does", "[render][values]") {
    CHECK(
        values_with_set({"a.b=2,z=true,q=NULL,i=007,j=-12,k=1e3,m=0,s=abc"}) ==
        R"({"a":{"b":2,"c":"keep"},"false":null,"i":"007","j":-12,"k":"1e3","list":[1,2],"m":0,"q":null,"s":"abc","z":true})");
    CHECK(values_with_set({"a.b=null"}) == R"({"a":{"c":"keep"},"false":null,"list":[1,2]})");
    CHECK(values_with_set({"a=null"}) == R"({"false":null,"list":[1,2]})");
    CHECK(values_with_set({"list[3]=x"}) == R"({"a":{"b":1,"c":"keep"},"false":null,"list":[null,null,null,"x"]})");
    CHECK(values_with_set({"l={a,b,c}"}) == R"({"a":{"b":1,"c":"keep"},"false":null,"l":["a","b","c"],"list":[1,2]})");
    CHECK(values_with_set({"e\\.x=1,f=a\\,b"}) ==
          R"({"a":{"b":1,"c":"keep"},"e.x":1,"f":"a,b","false":null,"list":[1,2]})");
    CHECK(values_with_set({"a.c[0]=x"}) == R"({"a":{"b":1,"c":["x"]},"false":null,"list":[1,2]})");
    CHECK(values_with_set({"a.b.c=1"}) == R"({"a":{"b":{"c":1},"c":"keep"},"false":null,"list":[1,2]})");
    CHECK(values_with_set({"a="}) == R"({"a":"","false":null,"list":[1,2]})");
    CHECK(values_with_set({"new[0].name=x,new[0].v=1"}) ==
          R"({"a":{"b":1,"c":"keep"},"false":null,"list":[1,2],"new":[{"name":"x","v":1}]})");
    CHECK(values_with_set({"nested[1][2]=x"}) ==
          R"({"a":{"b":1,"c":"keep"},"false":null,"list":[1,2],"nested":[null,[null,null,"x"]]})");
    CHECK(values_with_set({"big=99999999999999999999"}) ==
          R"({"a":{"b":1,"c":"keep"},"big":"99999999999999999999","false":null,"list":[1,2]})");
    CHECK(values_with_set({"a.b=1", "a.b=2"}) == R"({"a":{"b":2,"c":"keep"},"false":null,"list":[1,2]})");
    CHECK(values_with_set({"a.b=true,c=1"}, SetKind::string) ==
          R"({"a":{"b":"true","c":"keep"},"c":"1","false":null,"list":[1,2]})");
    CHECK(values_with_set({R"(a.b={"x":[1,2]},c=3)"}, SetKind::json) ==
          R"({"a":{"b":{"x":[1,2]},"c":"keep"},"c":3,"false":null,"list":[1,2]})");
    CHECK(values_with_set({"a.b=x,y=z"}, SetKind::literal) ==
          R"({"a":{"b":"x,y=z","c":"keep"},"false":null,"list":[1,2]})");
}

TEST_CASE("bad --set values fail with Helm's messages", "[render][values]") {
    CHECK(error_of([] { values_with_set({"a"}); }) == "failed parsing --set data: key \"a\" has no value");
    CHECK(error_of([] { values_with_set({"a,b=1"}); }) ==
          "failed parsing --set data: key \"a\" has no value (cannot end with ,)");
    CHECK(error_of([] { values_with_set({"list[-1]=x"}); }) ==
          "failed parsing --set data: negative -1 index not allowed");
    CHECK(error_of([] { values_with_set({"list[x]=x"}); }) ==
          "failed parsing --set data: error parsing index: strconv.Atoi: parsing \"x\": invalid syntax");
    CHECK(error_of([] { values_with_set({R"({"top": 1})"}, SetKind::json); }) ==
          R"(failed parsing --set-json data {"top": 1})");
    CHECK(error_of([] { values_with_set({"a=1,a.b=2"}); }) ==
          "failed parsing --set data: unable to parse key: interface conversion: interface {} is int64, not "
          "map[string]interface {}");
    CHECK(error_of([] { values_with_set({"l={a,b"}); }) == "failed parsing --set data: list must terminate with '}'");
}

namespace {

ValuesChart chart_from(const std::string& name, const std::string& version, const std::string& values_yaml) {
    ValuesChart c;
    c.name = name;
    c.version = version;
    c.values = go_yaml_unmarshal_map(values_yaml);
    return c;
}

// The chart of the test below: a subchart used twice under aliases with conditions, one enabled
// by tags, one exporting values.
ValuesChart dependency_fixture() {
    ValuesChart parent = chart_from("p4", "0.1.0",
                                    "global:\n  region: eu\n  nested: {a: 1}\nfirst:\n  enabled: true\n  name: one\n"
                                    "second:\n  enabled: false\ntags:\n  base: true\nimported:\n  fromChild:\n"
                                    "    own: parent\n    k: parentwins\ntop: 1\n");
    ChartDependency first{"sub", "0.1.0", "first", "first.enabled,global.subs", {}};
    ChartDependency second{"sub", "0.1.0", "second", "second.enabled", {"extra"}};
    ChartDependency other{"other", ">=1.0.0", "", "", {"extra", "base"}};
    ChartDependency exp{"exp", "*", "", "", {}};
    exp.import_values = Json::parse(R"(["data", {"child": "deep.inner", "parent": "imported.fromChild"}])");
    parent.dependencies = {first, second, other, exp};
    parent.subcharts.push_back(
        chart_from("sub", "0.1.0", "name: default\nport: 80\nglobal:\n  nested: {b: 2}\n  region: us\n"));
    parent.subcharts.push_back(chart_from("other", "1.2.0", "o: 1\n"));
    parent.subcharts.push_back(chart_from(
        "exp", "2.0.0",
        "exports:\n  data:\n    exported: yes\n    k: fromexports\ndeep:\n  inner:\n    k: childk\n    c: 3\n"));
    return parent;
}

bool test_version_match(const std::string& constraint, const std::string& version) {
    return constraint == "*" || constraint == version ||
           (constraint.starts_with(">=") && version >= constraint.substr(2));
}

struct Rendered {
    std::string parent;
    std::map<std::string, std::string> subcharts;  // what each remaining subchart's templates see
};

Rendered render_values(const std::vector<std::string>& set) {
    ValuesChart chart = dependency_fixture();
    UserValueSources sources;
    sources.set = set;
    Json user = merge_user_values(sources);
    process_dependencies(chart, user, test_version_match);
    Json top = coalesce_values(chart, user);
    Rendered r;
    r.parent = go_json_marshal(top);
    for (const ValuesChart& sub : chart.subcharts)
        r.subcharts[sub.name] = go_json_marshal(subchart_values(top, sub.name));
    return r;
}

}  // namespace

TEST_CASE("subcharts: aliases, conditions, tags, globals and import-values as Helm has them", "[render][values]") {
    Rendered plain = render_values({});
    CHECK(
        plain.parent ==
        R"({"exp":{"deep":{"inner":{"c":3,"k":"childk"}},"exports":{"data":{"exported":true,"k":"fromexports"}},"global":{"nested":{"a":1},"region":"eu"}},"exported":true,"first":{"enabled":true,"global":{"nested":{"a":1,"b":2},"region":"eu"},"name":"one","port":80},"global":{"nested":{"a":1},"region":"eu"},"imported":{"fromChild":{"c":3,"k":"parentwins","own":"parent"}},"k":"fromexports","other":{"global":{"nested":{"a":1},"region":"eu"},"o":1},"second":{"enabled":false},"tags":{"base":true},"top":1})");
    REQUIRE(plain.subcharts.size() == 3);
    CHECK(plain.subcharts["first"] ==
          R"({"enabled":true,"global":{"nested":{"a":1,"b":2},"region":"eu"},"name":"one","port":80})");
    CHECK(plain.subcharts["other"] == R"({"global":{"nested":{"a":1},"region":"eu"},"o":1})");
    CHECK(
        plain.subcharts["exp"] ==
        R"({"deep":{"inner":{"c":3,"k":"childk"}},"exports":{"data":{"exported":true,"k":"fromexports"}},"global":{"nested":{"a":1},"region":"eu"}})");

    Rendered flipped = render_values({"second.enabled=true", "global.subs=false", "first.enabled=null"});
    CHECK(
        flipped.parent ==
        R"({"exp":{"deep":{"inner":{"c":3,"k":"childk"}},"exports":{"data":{"exported":true,"k":"fromexports"}},"global":{"nested":{"a":1},"region":"eu","subs":false}},"exported":true,"first":{"name":"one"},"global":{"nested":{"a":1},"region":"eu","subs":false},"imported":{"fromChild":{"c":3,"k":"parentwins","own":"parent"}},"k":"fromexports","other":{"global":{"nested":{"a":1},"region":"eu","subs":false},"o":1},"second":{"enabled":true,"global":{"nested":{"a":1,"b":2},"region":"eu","subs":false},"name":"default","port":80},"tags":{"base":true},"top":1})");
    CHECK(flipped.subcharts.count("first") == 0);
    CHECK(
        flipped.subcharts["second"] ==
        R"({"enabled":true,"global":{"nested":{"a":1,"b":2},"region":"eu","subs":false},"name":"default","port":80})");
}

TEST_CASE("values paths and tables", "[render][values]") {
    Json v = go_yaml_unmarshal_map("a:\n  b:\n    c: true\n  s: x\n");
    REQUIRE(values_path_value(v, "a.b.c"));
    CHECK(*values_path_value(v, "a.b.c") == true);
    CHECK(values_path_value(v, "a.b") == nullptr);  // a table is not a value
    CHECK(values_path_value(v, "a.z") == nullptr);
    CHECK(values_table(v, "a.b") != nullptr);
    CHECK(values_table(v, "a.s") == nullptr);
    CHECK(merge_maps(Json::parse(R"({"a":{"b":1,"c":2},"l":[1]})"), Json::parse(R"({"a":{"b":3},"l":[2,3]})")).dump() ==
          R"({"a":{"b":3,"c":2},"l":[2,3]})");
}
