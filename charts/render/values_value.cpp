#include "charts/render/values_value.hpp"

namespace sealift::render {

Value value_from_values(const nlohmann::json& j, bool top) {
    using T = nlohmann::json::value_t;
    switch (j.type()) {
    case T::boolean: return Value(j.get<bool>());
    case T::number_integer: return Value(j.get<std::int64_t>(), IntType::go_int64);
    case T::number_unsigned: return Value(std::int64_t(j.get<std::uint64_t>()), IntType::go_int64);
    case T::number_float: return Value(j.get<double>());
    case T::string: return Value(j.get<std::string>());
    case T::array: {
        ListRef list = make_list();
        for (const auto& item : j) list->items.push_back(value_from_values(item, false));
        return Value(list);
    }
    case T::object: {
        MapRef map = make_map();
        if (top) map->type_name = "chartutil.Values";
        for (const auto& [key, item] : j.items()) map->entries.emplace(key, value_from_values(item, false));
        return Value(map);
    }
    default: return Value();
    }
}

}  // namespace sealift::render
