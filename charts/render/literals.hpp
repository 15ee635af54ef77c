// Go's number literals in templates (private), as parse.newNumber reads them.
#pragma once

#include <optional>
#include <string>

#include "charts/render/ast.hpp"

namespace sealift::render {

// Fills the int/uint/float readings of n.text; Go's error text when it is no number.
std::optional<std::string> read_number_literal(ast::NumberNode& n, bool char_constant);

}  // namespace sealift::render
