// Go's text/template parser (private): a file's text into its tree and the trees of its
// {{define}}s and {{block}}s, with Go's checks (undefined variables and functions, {{break}}
// outside {{range}}, ...) and Go's error texts: `template: NAME:LINE: MESSAGE`, thrown as
// sealift::Error (Errc::format).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "charts/render/ast.hpp"

namespace sealift::render {

// The trees parsed from `text`: the one named `name` first, then every define and block in order.
std::vector<std::unique_ptr<ast::Tree>> parse_template(const std::string& name, std::shared_ptr<const std::string> text,
                                                       const std::function<bool(std::string_view)>& has_function);

// strconv.Unquote of a "..." or `...` literal; false for bad syntax.
bool unquote_go_string(std::string_view quoted, std::string& out);

}  // namespace sealift::render
