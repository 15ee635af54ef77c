// The values a Helm template sees at run time, as Go's text/template sees them.
//
// Helm hands templates Go values of a few shapes, and every function, comparison and printout
// depends on which shape a value has, so the model keeps Go's distinctions:
//   - nil (an absent map key under missingkey=zero, a YAML null): Go's untyped nil interface;
//   - bool;
//   - integers: Go's `int` (what literals like `3`, `len` and `int` give) and `int64` (Sprig's
//     `int64`, `toDecimal`) are one kind with a type tag, because text/template compares them as
//     one basic kind but `typeOf` tells them apart;
//   - float64: every number that comes from values files or JSON (sigs.k8s.io/yaml goes through
//     encoding/json, which decodes every number into float64), and float literals like `1.5`;
//   - string;
//   - list: Go's []interface{} (and, by its type tag, []string from `keys`, `splitList`, ...);
//   - map: map[string]interface{} (or chartutil.Values). Keys are kept sorted by byte order,
//     which is the order of Go's `range` over a map and of fmt's printing of one;
//   - object: a Go struct or named type with fields and methods (.Chart, .Capabilities, .Files,
//     .Capabilities.APIVersions), implemented by subclasses of Object.
//
// Maps and lists are shared by reference, as in Go: copying a Value copies a pointer, and Sprig's
// `set`, `unset`, `merge` change the map every holder of it sees. A function that returns a
// "new" list or map (append, dict, deepCopy) must build a new one with make_list/make_map
// rather than change the one it was given.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sealift::render {

class Value;
class Object;
struct Function;

// The Go type of an integer value: literals and most functions give `int`.
enum class IntType { go_int, go_int64 };

struct List {
    std::vector<Value> items;
    // The Go type `typeOf` reports: "[]interface {}" or "[]string" (keys, splitList, sortAlpha).
    std::string type_name = "[]interface {}";
};

struct Map {
    // std::less<> on std::string is byte order, which is Go's sort order for string keys.
    std::map<std::string, Value, std::less<>> entries;
    // "map[string]interface {}", or "chartutil.Values" for the top-level scope and .Values.
    std::string type_name = "map[string]interface {}";
};

using ListRef = std::shared_ptr<List>;
using MapRef = std::shared_ptr<Map>;
using ObjectRef = std::shared_ptr<const Object>;

class Value {
public:
    enum class Kind { nil, boolean, integer, floating, string, list, map, object };

    Value() = default;
    Value(std::nullptr_t) {}
    Value(bool b) : data_(b) {}
    Value(int i) : data_(Integer{i, IntType::go_int}) {}
    Value(std::int64_t i, IntType type = IntType::go_int) : data_(Integer{i, type}) {}
    Value(double d) : data_(d) {}
    Value(std::string s) : data_(std::move(s)) {}
    Value(std::string_view s) : data_(std::string(s)) {}
    Value(const char* s) : data_(std::string(s)) {}
    Value(ListRef l);    // a null ListRef is a nil list (Go's typed nil slice)
    Value(MapRef m);     // likewise a nil map
    Value(ObjectRef o);  // a null ObjectRef is nil

    Kind kind() const { return static_cast<Kind>(data_.index()); }
    bool is_nil() const { return kind() == Kind::nil; }
    bool is_bool() const { return kind() == Kind::boolean; }
    bool is_int() const { return kind() == Kind::integer; }
    bool is_float() const { return kind() == Kind::floating; }
    bool is_string() const { return kind() == Kind::string; }
    bool is_list() const { return kind() == Kind::list; }
    bool is_map() const { return kind() == Kind::map; }
    bool is_object() const { return kind() == Kind::object; }

    // Accessors; calling one for another kind is a bug (std::bad_variant_access).
    bool as_bool() const { return std::get<bool>(data_); }
    std::int64_t as_int() const { return std::get<Integer>(data_).value; }
    IntType int_type() const { return std::get<Integer>(data_).type; }
    double as_float() const { return std::get<double>(data_); }
    const std::string& as_string() const { return std::get<std::string>(data_); }
    const ListRef& as_list() const { return std::get<ListRef>(data_); }
    const MapRef& as_map() const { return std::get<MapRef>(data_); }
    const ObjectRef& as_object() const { return std::get<ObjectRef>(data_); }

    // The member `key` of a map (nullptr when absent or not a map).
    const Value* find(std::string_view key) const;

private:
    struct Integer {
        std::int64_t value;
        IntType type;
    };
    std::variant<std::monostate, bool, Integer, double, std::string, ListRef, MapRef, ObjectRef> data_;
};

ListRef make_list(std::vector<Value> items = {});
MapRef make_map();
// A list of strings typed []string, as Sprig's keys/splitList return.
ListRef make_string_list(std::vector<std::string> items);

// A Go struct or named type. Go resolves `.Name` on one by method first, then by field.
class Object {
public:
    virtual ~Object() = default;
    // What `typeOf` prints, e.g. "*chart.Metadata", "chartutil.VersionSet".
    virtual std::string type_name() const = 0;
    // What `kindOf` prints: "ptr" for pointers to structs, "struct", "slice", "map".
    virtual std::string kind_name() const { return "ptr"; }
    // The exported field `name`, or nullopt when the type has none.
    virtual std::optional<Value> field(std::string_view name) const = 0;
    // The method `name`, or nullptr; its implementation ignores the Execution argument.
    virtual const Function* method(std::string_view /*name*/) const { return nullptr; }
    // fmt's %v of the value (Go prints a pointer to a struct as &{field field ...}).
    virtual std::string format() const = 0;
    // encoding/json's view of it, for toJson/toYaml.
    virtual nlohmann::json to_json() const = 0;
    // Go's truth of a non-nil pointer or struct is true; a slice type may say otherwise.
    virtual bool truthy() const { return true; }
    // len() of it, when the type has a length (slices, maps); nullopt otherwise.
    virtual std::optional<std::int64_t> length() const { return std::nullopt; }
};

// text/template's truth: false, 0, nil, and empty strings, lists and maps are false.
bool truthy(const Value& v);

// `typeOf` (fmt's %T): "<nil>", "bool", "int", "int64", "float64", "string", "[]interface {}",
// "map[string]interface {}", or the object's type.
std::string type_name(const Value& v);

// `kindOf` (reflect.Kind): "invalid" for nil, "bool", "int", "int64", "float64", "string",
// "slice", "map", or the object's kind.
std::string kind_name(const Value& v);

// Values from JSON (or YAML read as sigs.k8s.io/yaml reads it): every number becomes float64,
// objects maps, arrays lists.
Value from_json(const nlohmann::json& j);

// encoding/json's view: integers stay integers, float64 stays a float (the caller formats it as
// Go does), nil is null, objects give their to_json().
nlohmann::json to_json(const Value& v);

// A deep copy of lists and maps (Sprig's deepCopy); objects are shared.
Value deep_copy(const Value& v);

}  // namespace sealift::render
