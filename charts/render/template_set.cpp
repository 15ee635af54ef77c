#include "charts/render/template_set.hpp"

#include "charts/render/ast.hpp"
#include "charts/render/deep_stack.hpp"
#include "charts/render/exec.hpp"
#include "charts/render/parser.hpp"

namespace sealift::render {

TemplateSet::TemplateSet(std::shared_ptr<const FunctionTable> functions, MissingKey missing_key)
    : functions_(functions ? std::move(functions) : std::make_shared<const FunctionTable>()),
      missing_key_(missing_key) {}

void TemplateSet::parse(const std::string& name, std::string_view text) {
    auto source = std::make_shared<const std::string>(text);
    auto has_function = [this](std::string_view fn) {
        return functions_->contains(fn) || builtin_functions().contains(fn);
    };
    std::vector<std::unique_ptr<ast::Tree>> trees;
    try {
        trees = parse_template(name, source, has_function);
    } catch (const Error& e) {
        throw ParseError(e.what());
    }
    // Go's AddParseTree: a template replaces one of the same name, except that an empty one
    // (only space and comments, as a file of nothing but defines is) never replaces another.
    for (auto& tree : trees) {
        auto it = templates_.find(tree->name);
        if (it != templates_.end() && ast::is_empty_tree(tree->root.get())) continue;
        std::string key = tree->name;
        templates_.insert_or_assign(std::move(key), std::shared_ptr<const ast::Tree>(std::move(tree)));
    }
}

bool TemplateSet::contains(std::string_view name) const { return templates_.find(name) != templates_.end(); }

std::string TemplateSet::execute(std::string_view name, const Value& data) const {
    auto it = templates_.find(name);
    if (it == templates_.end())
        throw_template_error("template: no template \"" + std::string(name) + "\" associated with template \"gotpl\"");
    std::string out;
    RunContext run;
    run_on_deep_stack([&] { execute_tree(*this, *it->second, data, out, run, 0); });
    return out;
}

}  // namespace sealift::render
