#include "charts/render/function_library.hpp"

#include "charts/render/sprig_families.hpp"

namespace sealift::render {

void add_sprig_and_helm_functions(FunctionTable& table) {
    add_string_functions(table);
    add_list_functions(table);
    add_dict_functions(table);
    add_math_functions(table);
    add_logic_functions(table);
    add_regex_functions(table);
    add_random_functions(table);
    add_certificate_functions(table);
    add_date_functions(table);
    add_encoding_functions(table);  // last: Helm's toYaml/toJson/fromJson replace Sprig's
}

}  // namespace sealift::render
