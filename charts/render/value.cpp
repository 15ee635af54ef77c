#include "charts/render/value.hpp"

#include <cmath>

namespace sealift::render {

Value::Value(ListRef l) {
    if (l) data_ = std::move(l);
}

Value::Value(MapRef m) {
    if (m) data_ = std::move(m);
}

Value::Value(ObjectRef o) {
    if (o) data_ = std::move(o);
}

const Value* Value::find(std::string_view key) const {
    if (!is_map()) return nullptr;
    const auto& entries = as_map()->entries;
    auto it = entries.find(key);
    return it == entries.end() ? nullptr : &it->second;
}

ListRef make_list(std::vector<Value> items) {
    auto list = std::make_shared<List>();
    list->items = std::move(items);
    return list;
}

MapRef make_map() { return std::make_shared<Map>(); }

ListRef make_string_list(std::vector<std::string> items) {
    auto list = std::make_shared<List>();
    list->type_name = "[]string";
    list->items.reserve(items.size());
    for (auto& s : items) list->items.emplace_back(std::move(s));
    return list;
}

bool truthy(const Value& v) {
    switch (v.kind()) {
    case Value::Kind::nil: return false;
    case Value::Kind::boolean: return v.as_bool();
    case Value::Kind::integer: return v.as_int() != 0;
    case Value::Kind::floating: return v.as_float() != 0;
    case Value::Kind::string: return !v.as_string().empty();
    case Value::Kind::list: return !v.as_list()->items.empty();
    case Value::Kind::map: return !v.as_map()->entries.empty();
    case Value::Kind::object: return v.as_object()->truthy();
    }
    return false;
}

std::string type_name(const Value& v) {
    switch (v.kind()) {
    case Value::Kind::nil: return "<nil>";
    case Value::Kind::boolean: return "bool";
    case Value::Kind::integer: return v.int_type() == IntType::go_int64 ? "int64" : "int";
    case Value::Kind::floating: return "float64";
    case Value::Kind::string: return "string";
    case Value::Kind::list: return v.as_list()->type_name;
    case Value::Kind::map: return v.as_map()->type_name;
    case Value::Kind::object: return v.as_object()->type_name();
    }
    return "<nil>";
}

std::string kind_name(const Value& v) {
    switch (v.kind()) {
    case Value::Kind::nil: return "invalid";
    case Value::Kind::list: return "slice";
    case Value::Kind::map: return "map";
    case Value::Kind::object: return v.as_object()->kind_name();
    default: return type_name(v);
    }
}

Value from_json(const nlohmann::json& j) {
    switch (j.type()) {
    case nlohmann::json::value_t::null: return Value();
    case nlohmann::json::value_t::boolean: return Value(j.get<bool>());
    case nlohmann::json::value_t::number_integer: return Value(static_cast<double>(j.get<std::int64_t>()));
    case nlohmann::json::value_t::number_unsigned: return Value(static_cast<double>(j.get<std::uint64_t>()));
    case nlohmann::json::value_t::number_float: return Value(j.get<double>());
    case nlohmann::json::value_t::string: return Value(j.get<std::string>());
    case nlohmann::json::value_t::array: {
        auto list = make_list();
        list->items.reserve(j.size());
        for (const auto& item : j) list->items.push_back(from_json(item));
        return Value(list);
    }
    case nlohmann::json::value_t::object: {
        auto map = make_map();
        for (const auto& [key, item] : j.items()) map->entries.emplace(key, from_json(item));
        return Value(map);
    }
    default: return Value();  // binary and discarded values do not occur in parsed text
    }
}

nlohmann::json to_json(const Value& v) {
    switch (v.kind()) {
    case Value::Kind::nil: return nullptr;
    case Value::Kind::boolean: return v.as_bool();
    case Value::Kind::integer: return v.as_int();
    case Value::Kind::floating: return v.as_float();
    case Value::Kind::string: return v.as_string();
    case Value::Kind::list: {
        auto out = nlohmann::json::array();
        for (const auto& item : v.as_list()->items) out.push_back(to_json(item));
        return out;
    }
    case Value::Kind::map: {
        auto out = nlohmann::json::object();
        for (const auto& [key, item] : v.as_map()->entries) out[key] = to_json(item);
        return out;
    }
    case Value::Kind::object: return v.as_object()->to_json();
    }
    return nullptr;
}

Value deep_copy(const Value& v) {
    if (v.is_list()) {
        auto list = std::make_shared<List>();
        list->type_name = v.as_list()->type_name;
        list->items.reserve(v.as_list()->items.size());
        for (const auto& item : v.as_list()->items) list->items.push_back(deep_copy(item));
        return Value(list);
    }
    if (v.is_map()) {
        auto map = make_map();
        map->type_name = v.as_map()->type_name;
        for (const auto& [key, item] : v.as_map()->entries) map->entries.emplace(key, deep_copy(item));
        return Value(map);
    }
    return v;
}

}  // namespace sealift::render
