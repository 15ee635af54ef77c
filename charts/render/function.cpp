#include "charts/render/function.hpp"

namespace sealift::render {

std::string_view param_type_name(ParamType t) {
    switch (t) {
    case ParamType::any: return "interface {}";
    case ParamType::string: return "string";
    case ParamType::integer: return "int";
    case ParamType::int64: return "int64";
    case ParamType::float64: return "float64";
    case ParamType::boolean: return "bool";
    case ParamType::list: return "[]interface {}";
    case ParamType::string_list: return "[]string";
    case ParamType::map: return "map[string]interface {}";
    }
    return "interface {}";
}

void FunctionTable::add(std::string name, Function f) { functions_.insert_or_assign(std::move(name), std::move(f)); }

const Function* FunctionTable::find(std::string_view name) const {
    auto it = functions_.find(name);
    return it == functions_.end() ? nullptr : &it->second;
}

}  // namespace sealift::render
