// The families of Sprig's and Helm's template functions (private to the function library; the
// public face is function_library.hpp). Each adds its functions to the table with Go's
// parameter types and Sprig's behaviour for nil, numbers of every type and errors.
#pragma once

#include "charts/render/function.hpp"

namespace sealift::render {

void add_string_functions(FunctionTable& table);       // sprig_strings.cpp
void add_list_functions(FunctionTable& table);         // sprig_lists.cpp
void add_dict_functions(FunctionTable& table);         // sprig_dicts.cpp
void add_math_functions(FunctionTable& table);         // sprig_math.cpp
void add_logic_functions(FunctionTable& table);        // sprig_logic.cpp: defaults, types, ternary
void add_encoding_functions(FunctionTable& table);     // helm_encoding.cpp: base64, hashes, JSON, YAML
void add_regex_functions(FunctionTable& table);        // sprig_regex.cpp
void add_random_functions(FunctionTable& table);       // sprig_random.cpp: rand*, uuidv4
void add_certificate_functions(FunctionTable& table);  // sprig_certs.cpp: genCA, genSignedCert, ...
void add_date_functions(FunctionTable& table);         // sprig_dates.cpp: now, date, ago, ...

}  // namespace sealift::render
