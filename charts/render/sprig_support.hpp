// What Sprig's functions share (private to the function library): Sprig's strval and strslice,
// spf13/cast's number conversions, Go's reflect.DeepEqual and Sprig's `empty`, and helpers to
// declare functions in a FunctionTable.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "charts/render/function.hpp"
#include "charts/render/value.hpp"

namespace sealift::render {

// Registers `name` with typed parameters (and a variadic tail when `rest` is set).
void add_function(FunctionTable& table, std::string name, std::vector<ParamType> params,
                  std::function<Value(Args)> impl, std::optional<ParamType> rest = std::nullopt);

// Sprig's strval: strings as they are, anything else as fmt's %v.
std::string strval(const Value& v);

// Sprig's strslice: a list's non-nil items as strings; nil gives none; a scalar gives itself.
std::vector<std::string> strslice(const Value& v);

// spf13/cast's ToInt64 / ToFloat64, as Sprig's int, int64, float64, add, ... use them: strings
// parsed (base prefixes allowed, "1.0" read as 1), bools 1 or 0, nil and anything unreadable 0.
std::int64_t cast_to_int64(const Value& v);
double cast_to_float64(const Value& v);

// Sprig's empty: nil, false, 0, 0.0, "", and empty lists and maps.
bool sprig_empty(const Value& v);

// reflect.DeepEqual of template values (an int and an int64 or a float64 are not equal).
bool go_deep_equal(const Value& a, const Value& b);

// A new []interface{} list / []string list.
Value list_value(std::vector<Value> items);
Value string_list_value(std::vector<std::string> items);

// The items of a list value (nullptr for anything else).
const std::vector<Value>* list_items(const Value& v);

// reflect.Kind's name of a value, as Sprig's "Cannot ... on type %s" messages print it.
std::string go_kind(const Value& v);

}  // namespace sealift::render
