// Go's text/template execution (exec.go): walking the tree, evaluating pipelines, fields, calls
// and arguments with Go's conversions, and Go's error texts with the node they happened at.
#include "charts/render/exec.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include "charts/render/format.hpp"
#include "core/error.hpp"

namespace sealift::render {

void throw_template_error(const std::string& message) { fail(Errc::format, message); }

namespace {

using namespace ast;

// A value as Go's reflection holds it in the executor: `iface` marks a value whose static type is
// interface{} (a map or []interface{} element, a function result). Go tells such a nil apart from
// an absent value: a field of it fails ("nil pointer evaluating interface {}.x"), and a typed
// parameter refuses it as "got interface {}".
struct GoVal {
    Value v;
    bool iface = false;
};

enum class Flow { normal, break_loop, continue_loop };

constexpr int max_template_depth = 100000;  // Go's maxExecDepth

class State final : public Execution {
public:
    State(const TemplateSet& set, const Tree& tree, std::string& out, RunContext& run, int depth)
        : set_(set), tree_(&tree), out_(out), run_(run), depth_(depth) {}

    void run(const Value& data) {
        GoVal dot{data, false};
        vars_.emplace_back("$", dot);
        walk(dot, *tree_->root);
    }

    std::string execute_template(std::string_view name, const Value& data) override {
        auto it = run_.included_names.find(name);
        if (it == run_.included_names.end()) {
            it = run_.included_names.emplace(std::string(name), 0).first;
        } else if (it->second > 1000) {
            throw FunctionError("rendering template has a nested reference name: " + std::string(name) +
                                ": unable to execute template");
        }
        ++it->second;
        struct Leave {
            int& count;
            ~Leave() { --count; }
        } leave{it->second};
        auto tree = set_.templates().find(name);
        if (tree == set_.templates().end())
            throw_template_error("template: no template \"" + std::string(name) +
                                 "\" associated with template \"gotpl\"");
        std::string out;
        State inner(set_, *tree->second, out, run_, 0);
        inner.run(data);
        return out;
    }

    std::string execute_text(std::string_view name, std::string_view text, const Value& data) override {
        TemplateSet copy = set_;
        copy.parse(std::string(name), text);
        auto tree = copy.templates().find(name);
        std::string out;
        State inner(copy, *tree->second, out, run_, 0);
        inner.run(data);
        return out;
    }

    std::string current_template() const override { return tree_->name; }

private:
    const TemplateSet& set_;
    const Tree* tree_;
    std::string& out_;
    RunContext& run_;
    int depth_;
    std::vector<std::pair<std::string_view, GoVal>> vars_;
    const Node* node_ = nullptr;

    void at(const Node& n) { node_ = &n; }

    [[noreturn]] void errorf(const std::string& message) const {
        if (!node_) throw_template_error("template: " + tree_->name + ": " + message);
        const std::string& text = *tree_->text;
        size_t pos = std::min(node_->pos, text.size());
        size_t line_start = text.rfind('\n', pos == 0 ? std::string::npos : pos - 1);
        size_t column = line_start == std::string::npos ? pos : pos - (line_start + 1);
        if (pos == 0) column = 0;
        int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + pos, '\n'));
        throw_template_error("template: " + tree_->parse_name + ":" + std::to_string(line) + ":" +
                             std::to_string(column) + ": executing \"" + tree_->name + "\" at <" + to_string(*node_) +
                             ">: " + message);
    }

    // -- variables

    void set_var(std::string_view name, const GoVal& value) {
        for (auto it = vars_.rbegin(); it != vars_.rend(); ++it) {
            if (it->first == name) {
                it->second = value;
                return;
            }
        }
        errorf("undefined variable: " + std::string(name));
    }

    const GoVal& var_value(std::string_view name) {
        for (auto it = vars_.rbegin(); it != vars_.rend(); ++it)
            if (it->first == name) return it->second;
        errorf("undefined variable: " + std::string(name));
    }

    // -- walking

    Flow walk(const GoVal& dot, const Node& node) {
        at(node);
        switch (node.type) {
        case NodeType::action: {
            const auto& action = static_cast<const ActionNode&>(node);
            GoVal v = eval_pipeline(dot, action.pipe.get());
            if (action.pipe->decl.empty()) print(node, v);
            return Flow::normal;
        }
        case NodeType::if_:
        case NodeType::with: return walk_if_or_with(dot, static_cast<const BranchNode&>(node));
        case NodeType::list:
            for (const auto& child : static_cast<const ListNode&>(node).nodes) {
                Flow f = walk(dot, *child);
                if (f != Flow::normal) return f;
            }
            return Flow::normal;
        case NodeType::range: return walk_range(dot, static_cast<const BranchNode&>(node));
        case NodeType::template_: walk_template(dot, static_cast<const TemplateNode&>(node)); return Flow::normal;
        case NodeType::text: out_ += static_cast<const TextNode&>(node).text; return Flow::normal;
        case NodeType::break_: return Flow::break_loop;
        case NodeType::continue_: return Flow::continue_loop;
        default: errorf("unknown node: " + to_string(node));
        }
    }

    void print(const Node& n, const GoVal& v) {
        at(n);
        if (v.v.is_nil()) {
            out_ += v.iface ? "<nil>" : "<no value>";
            return;
        }
        out_ += format_value(v.v);
    }

    Flow walk_if_or_with(const GoVal& dot, const BranchNode& node) {
        size_t mark = vars_.size();
        GoVal v = eval_pipeline(dot, node.pipe.get());
        Flow f = Flow::normal;
        if (truthy(v.v)) {
            f = walk(node.type == NodeType::with ? v : dot, *node.list);
        } else if (node.else_list) {
            f = walk(dot, *node.else_list);
        }
        vars_.resize(mark);
        return f;
    }

    // One iteration of a range: sets its variables, walks the body; false after {{break}}.
    bool range_iteration(const BranchNode& r, size_t mark, const GoVal& index, const GoVal& elem) {
        const auto& decl = r.pipe->decl;
        if (!decl.empty()) {
            if (r.pipe->is_assign) {
                set_var(decl[0]->idents[0], decl.size() > 1 ? index : elem);
            } else {
                vars_[vars_.size() - 1].second = elem;
            }
        }
        if (decl.size() > 1) {
            if (r.pipe->is_assign) {
                set_var(decl[1]->idents[0], elem);
            } else {
                vars_[vars_.size() - 2].second = index;
            }
        }
        Flow f = walk(elem, *r.list);
        vars_.resize(mark);
        return f != Flow::break_loop;
    }

    Flow walk_range(const GoVal& dot, const BranchNode& r) {
        at(r);
        size_t outer_mark = vars_.size();
        GoVal v = eval_pipeline(dot, r.pipe.get());
        size_t mark = vars_.size();
        bool iterated = false;
        switch (v.v.kind()) {
        case Value::Kind::list: {
            ListRef list = v.v.as_list();  // keeps the list alive while the body runs
            bool elem_iface = list->type_name == "[]interface {}";
            for (size_t i = 0; i < list->items.size(); ++i) {
                iterated = true;
                if (!range_iteration(r, mark, GoVal{Value(static_cast<std::int64_t>(i))},
                                     GoVal{list->items[i], elem_iface}))
                    break;
            }
            break;
        }
        case Value::Kind::map: {
            MapRef map = v.v.as_map();
            // The keys first: the body may change the map (Sprig's set), and Go ranges over a
            // sorted copy of the keys and values taken before the first iteration.
            std::vector<std::pair<std::string, Value>> entries(map->entries.begin(), map->entries.end());
            for (const auto& [key, value] : entries) {
                iterated = true;
                if (!range_iteration(r, mark, GoVal{Value(key)}, GoVal{value, true})) break;
            }
            break;
        }
        case Value::Kind::integer: {
            if (r.pipe->decl.size() > 1)
                errorf("can't use " + format_value(v.v) + " to iterate over more than one variable");
            std::int64_t n = v.v.as_int();
            IntType type = v.v.int_type();
            for (std::int64_t i = 0; i < n; ++i) {
                iterated = true;
                GoVal iv{Value(i, type)};
                if (!range_iteration(r, mark, iv, iv)) break;
            }
            break;
        }
        case Value::Kind::nil: break;
        default: errorf("range can't iterate over " + format_value(v.v));
        }
        if (!iterated && r.else_list) walk(dot, *r.else_list);
        vars_.resize(outer_mark);
        return Flow::normal;
    }

    void walk_template(const GoVal& dot, const TemplateNode& t) {
        at(t);
        auto it = set_.templates().find(t.name);
        if (it == set_.templates().end()) errorf("template \"" + t.name + "\" not defined");
        if (depth_ >= max_template_depth)
            errorf("exceeded maximum template depth (" + std::to_string(max_template_depth) + ")");
        GoVal new_dot = eval_pipeline(dot, t.pipe.get());
        State inner(set_, *it->second, out_, run_, depth_ + 1);
        inner.run(new_dot.v);
    }

    // -- evaluation

    GoVal eval_pipeline(const GoVal& dot, const PipeNode* pipe) {
        if (!pipe) return GoVal{};
        at(*pipe);
        std::optional<GoVal> value;
        for (const auto& cmd : pipe->cmds) {
            value = eval_command(dot, *cmd, value);
            value->iface = false;  // Go digs the value out of its interface{} between commands
        }
        for (const auto& variable : pipe->decl) {
            if (pipe->is_assign) {
                set_var(variable->idents[0], *value);
            } else {
                vars_.emplace_back(variable->idents[0], *value);
            }
        }
        return *value;
    }

    void not_a_function(const std::vector<NodePtr>& args, const std::optional<GoVal>& final) {
        if (args.size() > 1 || final) errorf("can't give argument to non-function " + to_string(*args[0]));
    }

    GoVal eval_command(const GoVal& dot, const CommandNode& cmd, const std::optional<GoVal>& final) {
        const Node& first = *cmd.args[0];
        switch (first.type) {
        case NodeType::field: return eval_field_node(dot, static_cast<const FieldNode&>(first), &cmd.args, final);
        case NodeType::chain: return eval_chain_node(dot, static_cast<const ChainNode&>(first), &cmd.args, final);
        case NodeType::identifier:
            return eval_function(dot, static_cast<const IdentifierNode&>(first), cmd, &cmd.args, final);
        case NodeType::pipe:
            not_a_function(cmd.args, final);
            return eval_pipeline(dot, static_cast<const PipeNode*>(&first));
        case NodeType::variable:
            return eval_variable_node(dot, static_cast<const VariableNode&>(first), &cmd.args, final);
        default: break;
        }
        at(first);
        not_a_function(cmd.args, final);
        switch (first.type) {
        case NodeType::boolean: return GoVal{Value(static_cast<const BoolNode&>(first).value)};
        case NodeType::dot: return dot;
        case NodeType::nil: errorf("nil is not a command");
        case NodeType::number: return ideal_constant(static_cast<const NumberNode&>(first));
        case NodeType::string: return GoVal{Value(static_cast<const StringNode&>(first).text)};
        default: errorf("can't evaluate command \"" + to_string(first) + "\"");
        }
    }

    GoVal ideal_constant(const NumberNode& n) {
        at(n);
        const std::string& text = n.text;
        bool hex_int = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X') &&
                       text.find_first_of("pP") == std::string::npos;
        bool rune_int = !text.empty() && text[0] == '\'';
        if (n.is_float && !hex_int && !rune_int && text.find_first_of(".eEpP") != std::string::npos)
            return GoVal{Value(n.float64)};
        if (n.is_int) return GoVal{Value(n.int64)};
        if (n.is_uint) errorf(text + " overflows int");
        return GoVal{};
    }

    GoVal eval_field_node(const GoVal& dot, const FieldNode& field, const std::vector<NodePtr>* args,
                          const std::optional<GoVal>& final) {
        at(field);
        return eval_field_chain(dot, dot, field, field.idents, 0, args, final);
    }

    GoVal eval_chain_node(const GoVal& dot, const ChainNode& chain, const std::vector<NodePtr>* args,
                          const std::optional<GoVal>& final) {
        at(chain);
        if (chain.node->type == NodeType::nil) errorf("indirection through explicit nil in " + to_string(chain));
        GoVal pipe = eval_untyped_arg(dot, *chain.node);
        return eval_field_chain(dot, pipe, chain, chain.fields, 0, args, final);
    }

    GoVal eval_variable_node(const GoVal& dot, const VariableNode& variable, const std::vector<NodePtr>* args,
                             const std::optional<GoVal>& final) {
        at(variable);
        GoVal value = var_value(variable.idents[0]);
        if (variable.idents.size() == 1) {
            if (args) not_a_function(*args, final);
            return value;
        }
        return eval_field_chain(dot, value, variable, variable.idents, 1, args, final);
    }

    GoVal eval_field_chain(const GoVal& dot, GoVal receiver, const Node& node, const std::vector<std::string>& ident,
                           size_t first, const std::vector<NodePtr>* args, const std::optional<GoVal>& final) {
        size_t n = ident.size();
        for (size_t i = first; i + 1 < n; ++i)
            receiver = eval_field(dot, ident[i], node, nullptr, std::nullopt, receiver);
        return eval_field(dot, ident[n - 1], node, args, final, receiver);
    }

    GoVal eval_field(const GoVal& dot, const std::string& name, const Node& node, const std::vector<NodePtr>* args,
                     const std::optional<GoVal>& final, const GoVal& receiver) {
        const Value& r = receiver.v;
        if (r.is_nil() && !receiver.iface) {
            if (set_.missing_key() == MissingKey::error) errorf("nil data; no entry for key \"" + name + "\"");
            return GoVal{};
        }
        std::string type = receiver.iface ? "interface {}" : type_name(r);
        if (r.is_nil()) errorf("nil pointer evaluating " + type + "." + name);
        bool has_args = (args && args->size() > 1) || final;
        if (r.is_object()) {
            const Object& object = *r.as_object();
            if (const Function* method = object.method(name)) return eval_call(dot, *method, node, name, args, final);
            if (auto field = object.field(name)) {
                if (has_args) errorf(name + " has arguments but cannot be invoked as function");
                return GoVal{std::move(*field)};
            }
        } else if (r.is_map()) {
            if (has_args) errorf(name + " is not a method but has arguments");
            if (const Value* found = r.find(name)) return GoVal{*found, true};
            switch (set_.missing_key()) {
            case MissingKey::default_value: return GoVal{};
            case MissingKey::zero: return GoVal{Value(), true};
            case MissingKey::error: errorf("map has no entry for key \"" + name + "\"");
            }
        }
        errorf("can't evaluate field " + name + " in type " + type);
    }

    GoVal eval_function(const GoVal& dot, const IdentifierNode& node, const Node& cmd, const std::vector<NodePtr>* args,
                        const std::optional<GoVal>& final) {
        at(node);
        const Function* fn = set_.functions().find(node.name);
        if (!fn) fn = builtin_functions().find(node.name);
        if (!fn) errorf("\"" + node.name + "\" is not a defined function");
        return eval_call(dot, *fn, cmd, node.name, args, final);
    }

    GoVal eval_call(const GoVal& dot, const Function& fn, const Node& node, const std::string& name,
                    const std::vector<NodePtr>* all_args, const std::optional<GoVal>& final) {
        size_t first = all_args ? 1 : 0;
        size_t nargs = all_args ? all_args->size() - 1 : 0;
        auto arg = [&](size_t i) -> const Node& { return *(*all_args)[first + i]; };
        size_t num_in = nargs + (final ? 1 : 0);
        size_t num_fixed = nargs;
        if (fn.variadic) {
            num_fixed = fn.params.size();
            if (num_in < num_fixed)
                errorf("wrong number of args for " + name + ": want at least " + std::to_string(fn.params.size()) +
                       " got " + std::to_string(nargs));
        } else if (num_in != fn.params.size()) {
            errorf("wrong number of args for " + name + ": want " + std::to_string(fn.params.size()) + " got " +
                   std::to_string(num_in));
        }
        const FunctionTable& builtins = builtin_functions();
        if (&fn == builtins.find("and") || &fn == builtins.find("or")) {
            bool is_or = name == "or";
            GoVal v;
            for (size_t i = 0; i < nargs; ++i) {
                v = eval_arg(dot, ParamType::any, arg(i));
                if (truthy(v.v) == is_or) return v;
            }
            if (final) v = *final;
            return v;
        }
        std::vector<Value> argv;
        argv.reserve(num_in);
        size_t i = 0;
        for (; i < num_fixed && i < nargs; ++i) argv.push_back(eval_arg(dot, fn.params[i], arg(i)).v);
        if (fn.variadic)
            for (; i < nargs; ++i) argv.push_back(eval_arg(dot, *fn.variadic, arg(i)).v);
        if (final) {
            ParamType t;
            if (fn.variadic) {
                t = num_in - 1 < num_fixed ? fn.params[num_in - 1] : *fn.variadic;
            } else {
                t = fn.params.back();
            }
            argv.push_back(validate_type(*final, t).v);
        }
        try {
            Value result = fn.impl(*this, argv);
            bool iface = result.is_nil();
            return GoVal{std::move(result), iface};
        } catch (const FunctionError& e) {
            at(node);
            errorf("error calling " + name + ": " + e.what());
        } catch (const Error& e) {
            at(node);
            errorf("error calling " + name + ": " + e.what());
        }
    }

    static bool can_be_nil(ParamType t) {
        return t == ParamType::any || t == ParamType::list || t == ParamType::string_list || t == ParamType::map;
    }

    static bool assignable(const Value& v, ParamType t) {
        switch (t) {
        case ParamType::any: return true;
        case ParamType::string: return v.is_string();
        case ParamType::integer: return v.is_int() && v.int_type() == IntType::go_int;
        case ParamType::int64: return v.is_int() && v.int_type() == IntType::go_int64;
        case ParamType::float64: return v.is_float();
        case ParamType::boolean: return v.is_bool();
        case ParamType::list: return v.is_list() && v.as_list()->type_name == "[]interface {}";
        case ParamType::string_list: return v.is_list() && v.as_list()->type_name == "[]string";
        case ParamType::map: return v.is_map();
        }
        return false;
    }

    GoVal validate_type(const GoVal& value, ParamType t) {
        if (value.v.is_nil() && !value.iface) {
            if (can_be_nil(t)) return GoVal{};
            errorf("invalid value; expected " + std::string(param_type_name(t)));
        }
        if (t == ParamType::any) return value;
        if (value.v.is_nil())
            errorf("wrong type for value; expected " + std::string(param_type_name(t)) + "; got interface {}");
        if (!assignable(value.v, t))
            errorf("wrong type for value; expected " + std::string(param_type_name(t)) + "; got " + type_name(value.v));
        return GoVal{value.v};
    }

    // evalArg with no parameter type (the receiver of a chain).
    GoVal eval_untyped_arg(const GoVal& dot, const Node& n) {
        at(n);
        switch (n.type) {
        case NodeType::pipe: return eval_pipeline(dot, static_cast<const PipeNode*>(&n));
        case NodeType::identifier:
            return eval_function(dot, static_cast<const IdentifierNode&>(n), n, nullptr, std::nullopt);
        default: return eval_arg(dot, ParamType::any, n);
        }
    }

    GoVal eval_arg(const GoVal& dot, ParamType t, const Node& n) {
        at(n);
        switch (n.type) {
        case NodeType::dot: return validate_type(dot, t);
        case NodeType::nil:
            if (can_be_nil(t)) return GoVal{};
            errorf("cannot assign nil to " + std::string(param_type_name(t)));
        case NodeType::field:
            return validate_type(eval_field_node(dot, static_cast<const FieldNode&>(n), nullptr, std::nullopt), t);
        case NodeType::variable:
            return validate_type(eval_variable_node(dot, static_cast<const VariableNode&>(n), nullptr, std::nullopt),
                                 t);
        case NodeType::pipe: return validate_type(eval_pipeline(dot, static_cast<const PipeNode*>(&n)), t);
        case NodeType::identifier:
            return validate_type(eval_function(dot, static_cast<const IdentifierNode&>(n), n, nullptr, std::nullopt),
                                 t);
        case NodeType::chain:
            return validate_type(eval_chain_node(dot, static_cast<const ChainNode&>(n), nullptr, std::nullopt), t);
        default: break;
        }
        switch (t) {
        case ParamType::boolean:
            if (n.type == NodeType::boolean) return GoVal{Value(static_cast<const BoolNode&>(n).value)};
            errorf("expected bool; found " + to_string(n));
        case ParamType::float64:
            if (n.type == NodeType::number && static_cast<const NumberNode&>(n).is_float)
                return GoVal{Value(static_cast<const NumberNode&>(n).float64)};
            errorf("expected float; found " + to_string(n));
        case ParamType::integer:
        case ParamType::int64:
            if (n.type == NodeType::number && static_cast<const NumberNode&>(n).is_int)
                return GoVal{Value(static_cast<const NumberNode&>(n).int64,
                                   t == ParamType::int64 ? IntType::go_int64 : IntType::go_int)};
            errorf("expected integer; found " + to_string(n));
        case ParamType::any: return eval_empty_interface(dot, n);
        case ParamType::string:
            if (n.type == NodeType::string) return GoVal{Value(static_cast<const StringNode&>(n).text)};
            errorf("expected string; found " + to_string(n));
        default: errorf("can't handle " + to_string(n) + " for arg of type " + std::string(param_type_name(t)));
        }
    }

    GoVal eval_empty_interface(const GoVal& /*dot*/, const Node& n) {
        at(n);
        switch (n.type) {
        case NodeType::boolean: return GoVal{Value(static_cast<const BoolNode&>(n).value)};
        case NodeType::number: return ideal_constant(static_cast<const NumberNode&>(n));
        case NodeType::string: return GoVal{Value(static_cast<const StringNode&>(n).text)};
        default: errorf("can't handle assignment of " + to_string(n) + " to empty interface argument");
        }
    }
};

}  // namespace

void execute_tree(const TemplateSet& set, const ast::Tree& tree, const Value& data, std::string& out, RunContext& run,
                  int depth) {
    State state(set, tree, out, run, depth);
    state.run(data);
}

}  // namespace sealift::render
