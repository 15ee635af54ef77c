// Go's text/template/parse, rule for rule: the same three-token lookahead, scoping of variables
// and texts of errors, so a template that Go refuses is refused here with the same message.
#include "charts/render/parser.hpp"

#include "charts/render/lexer.hpp"
#include "charts/render/literals.hpp"
#include "core/error.hpp"

namespace sealift::render {
namespace {

using namespace ast;

class Parser {
public:
    Parser(const std::vector<Token>& tokens, const std::string& parse_name, std::shared_ptr<const std::string> text,
           const std::function<bool(std::string_view)>& has_function, std::vector<std::unique_ptr<Tree>>& trees)
        : tokens_(tokens),
          parse_name_(parse_name),
          text_(std::move(text)),
          has_function_(has_function),
          trees_(trees) {}

    void parse_file(const std::string& name) {
        auto tree = new_tree(name);
        tree->root = std::make_unique<ListNode>(peek().pos);
        while (peek().type != Tok::eof) {
            if (peek().type == Tok::left_delim) {
                Token delim = next();
                if (next_non_space().type == Tok::define) {
                    parse_definition();
                    continue;
                }
                backup2(delim);
            }
            NodePtr n = text_or_action();
            if (n->type == NodeType::end || n->type == NodeType::else_) errorf("unexpected " + to_string(*n));
            tree->root->nodes.push_back(std::move(n));
        }
        add(std::move(tree), true);
    }

private:
    const std::vector<Token>& tokens_;
    size_t index_ = 0;
    const std::string& parse_name_;
    std::shared_ptr<const std::string> text_;
    const std::function<bool(std::string_view)>& has_function_;
    std::vector<std::unique_ptr<Tree>>& trees_;
    Token token_[3];
    int peek_count_ = 0;
    std::vector<std::string> vars_{"$"};
    int range_depth_ = 0;
    int action_line_ = 0;
    int stack_depth_ = 0;

    std::unique_ptr<Tree> new_tree(const std::string& name) {
        auto tree = std::make_unique<Tree>();
        tree->name = name;
        tree->parse_name = parse_name_;
        tree->text = text_;
        return tree;
    }

    // Go's Tree.add into the set of this parse: a second non-empty definition of a name is an error.
    void add(std::unique_ptr<Tree> tree, bool first) {
        for (auto& existing : trees_) {
            if (existing->name != tree->name) continue;
            if (is_empty_tree(existing->root.get())) {
                existing = std::move(tree);
                return;
            }
            if (!is_empty_tree(tree->root.get()))
                errorf("template: multiple definition of template \"" + tree->name + "\"");
            return;
        }
        if (first) {
            trees_.insert(trees_.begin(), std::move(tree));
        } else {
            trees_.push_back(std::move(tree));
        }
    }

    Token lex_next() {
        if (index_ < tokens_.size()) return tokens_[index_++];
        return tokens_.back();
    }
    Token next() {
        if (peek_count_ > 0) {
            --peek_count_;
        } else {
            token_[0] = lex_next();
        }
        return token_[peek_count_];
    }
    void backup() { ++peek_count_; }
    void backup2(const Token& t1) {
        token_[1] = t1;
        peek_count_ = 2;
    }
    void backup3(const Token& t2, const Token& t1) {
        token_[1] = t1;
        token_[2] = t2;
        peek_count_ = 3;
    }
    Token peek() {
        if (peek_count_ > 0) return token_[peek_count_ - 1];
        peek_count_ = 1;
        token_[0] = lex_next();
        return token_[0];
    }
    Token next_non_space() {
        Token t;
        do {
            t = next();
        } while (t.type == Tok::space);
        return t;
    }
    Token peek_non_space() {
        Token t = next_non_space();
        backup();
        return t;
    }

    [[noreturn]] void errorf(const std::string& message) {
        fail(Errc::format, "template: " + parse_name_ + ":" + std::to_string(token_[0].line) + ": " + message);
    }

    Token expect(Tok expected, const std::string& context) {
        Token t = next_non_space();
        if (t.type != expected) unexpected(t, context);
        return t;
    }
    Token expect_one_of(Tok a, Tok b, const std::string& context) {
        Token t = next_non_space();
        if (t.type != a && t.type != b) unexpected(t, context);
        return t;
    }

    [[noreturn]] void unexpected(const Token& t, const std::string& context) {
        if (t.type == Tok::error) {
            std::string extra;
            if (action_line_ != 0 && action_line_ != t.line) {
                extra = " in action started at " + parse_name_ + ":" + std::to_string(action_line_);
                if (t.value.ends_with(" action")) extra = extra.substr(std::string(" in action").size());
            }
            errorf(t.value + extra);
        }
        errorf("unexpected " + token_string(t) + " in " + context);
    }

    void parse_definition() {
        const std::string context = "define clause";
        Token name = expect_one_of(Tok::string, Tok::raw_string, context);
        std::string tree_name;
        if (!unquote_go_string(name.value, tree_name)) errorf("invalid syntax");
        expect(Tok::right_delim, context);
        auto saved_vars = std::move(vars_);
        vars_ = {"$"};
        auto tree = new_tree(tree_name);
        auto [list, end] = item_list();
        if (end->type != NodeType::end) errorf("unexpected " + to_string(*end) + " in " + context);
        tree->root = std::move(list);
        vars_ = std::move(saved_vars);
        add(std::move(tree), false);
    }

    std::pair<std::unique_ptr<ListNode>, NodePtr> item_list() {
        auto list = std::make_unique<ListNode>(peek_non_space().pos);
        while (peek_non_space().type != Tok::eof) {
            NodePtr n = text_or_action();
            if (n->type == NodeType::end || n->type == NodeType::else_) return {std::move(list), std::move(n)};
            list->nodes.push_back(std::move(n));
        }
        errorf("unexpected EOF");
    }

    NodePtr text_or_action() {
        Token t = next_non_space();
        switch (t.type) {
        case Tok::text: return std::make_unique<TextNode>(t.pos, t.value);
        case Tok::left_delim: {
            action_line_ = t.line;
            NodePtr n = action();
            action_line_ = 0;
            return n;
        }
        default: unexpected(t, "input");
        }
    }

    NodePtr action() {
        Token t = next_non_space();
        switch (t.type) {
        case Tok::block: return block_control();
        case Tok::break_: return loop_control(t, NodeType::break_, "{{break}}");
        case Tok::continue_: return loop_control(t, NodeType::continue_, "{{continue}}");
        case Tok::else_: return else_control();
        case Tok::end: return std::make_unique<Node>(NodeType::end, expect(Tok::right_delim, "end").pos);
        case Tok::if_: return branch_control(NodeType::if_, "if");
        case Tok::range: return branch_control(NodeType::range, "range");
        case Tok::template_: return template_control();
        case Tok::with: return branch_control(NodeType::with, "with");
        default: break;
        }
        backup();
        Token first = peek();
        return std::make_unique<ActionNode>(first.pos, pipeline("command", Tok::right_delim));
    }

    NodePtr loop_control(const Token& keyword, NodeType type, const std::string& context) {
        Token t = next_non_space();
        if (t.type != Tok::right_delim) unexpected(t, context);
        if (range_depth_ == 0) errorf(context + " outside {{range}}");
        return std::make_unique<Node>(type, keyword.pos);
    }

    std::unique_ptr<PipeNode> pipeline(const std::string& context, Tok end) {
        Token first = peek_non_space();
        auto pipe = std::make_unique<PipeNode>(first.pos, first.line);
    decls:
        if (Token v = peek_non_space(); v.type == Tok::variable) {
            next();
            Token after_variable = peek();
            Token following = peek_non_space();
            if (following.type == Tok::assign || following.type == Tok::declare) {
                pipe->is_assign = following.type == Tok::assign;
                next_non_space();
                pipe->decl.push_back(std::make_unique<VariableNode>(v.pos, std::vector<std::string>{v.value}));
                vars_.push_back(v.value);
            } else if (following.type == Tok::character && following.value == ",") {
                next_non_space();
                pipe->decl.push_back(std::make_unique<VariableNode>(v.pos, std::vector<std::string>{v.value}));
                vars_.push_back(v.value);
                if (context == "range" && pipe->decl.size() < 2) {
                    Tok k = peek_non_space().type;
                    if (k == Tok::variable || k == Tok::right_delim || k == Tok::right_paren) goto decls;
                    errorf("range can only initialize variables");
                }
                errorf("too many declarations in " + context);
            } else if (after_variable.type == Tok::space) {
                backup3(v, after_variable);
            } else {
                backup2(v);
            }
        }
        for (;;) {
            Token t = next_non_space();
            if (t.type == end) {
                check_pipeline(*pipe, context);
                return pipe;
            }
            switch (t.type) {
            case Tok::boolean:
            case Tok::char_constant:
            case Tok::complex:
            case Tok::dot:
            case Tok::field:
            case Tok::identifier:
            case Tok::number:
            case Tok::nil:
            case Tok::raw_string:
            case Tok::string:
            case Tok::variable:
            case Tok::left_paren:
                backup();
                pipe->cmds.push_back(command());
                break;
            default: unexpected(t, context);
            }
        }
    }

    void check_pipeline(const PipeNode& pipe, const std::string& context) {
        if (pipe.cmds.empty()) errorf("missing value for " + context);
        for (size_t i = 1; i < pipe.cmds.size(); ++i) {
            switch (pipe.cmds[i]->args[0]->type) {
            case NodeType::boolean:
            case NodeType::dot:
            case NodeType::nil:
            case NodeType::number:
            case NodeType::string: errorf("non executable command in pipeline stage " + std::to_string(i + 1));
            default: break;
            }
        }
    }

    NodePtr branch_control(NodeType type, const std::string& context) {
        size_t vars_mark = vars_.size();
        auto node = std::make_unique<BranchNode>(type, 0);
        node->pipe = pipeline(context, Tok::right_delim);
        node->pos = node->pipe->pos;
        if (type == NodeType::range) ++range_depth_;
        auto [list, next_node] = item_list();
        if (type == NodeType::range) --range_depth_;
        node->list = std::move(list);
        if (next_node->type == NodeType::else_) {
            // {{else if}} and {{else with}} are {{else}}{{if}}...{{end}}{{end}}.
            if (type == NodeType::if_ && peek().type == Tok::if_) {
                next();
                node->else_list = std::make_unique<ListNode>(next_node->pos);
                node->else_list->nodes.push_back(branch_control(NodeType::if_, "if"));
            } else if (type == NodeType::with && peek().type == Tok::with) {
                next();
                node->else_list = std::make_unique<ListNode>(next_node->pos);
                node->else_list->nodes.push_back(branch_control(NodeType::with, "with"));
            } else {
                auto [else_list, end] = item_list();
                if (end->type != NodeType::end) errorf("expected end; found " + to_string(*end));
                node->else_list = std::move(else_list);
            }
        }
        vars_.resize(vars_mark);
        return node;
    }

    NodePtr else_control() {
        Token p = peek_non_space();
        if (p.type == Tok::if_ || p.type == Tok::with) return std::make_unique<Node>(NodeType::else_, p.pos);
        Token t = expect(Tok::right_delim, "else");
        return std::make_unique<Node>(NodeType::else_, t.pos);
    }

    std::string template_name(const Token& t, const std::string& context) {
        if (t.type != Tok::string && t.type != Tok::raw_string) unexpected(t, context);
        std::string name;
        if (!unquote_go_string(t.value, name)) errorf("invalid syntax");
        return name;
    }

    NodePtr block_control() {
        const std::string context = "block clause";
        Token t = next_non_space();
        std::string name = template_name(t, context);
        auto pipe = pipeline(context, Tok::right_delim);
        auto saved_vars = std::move(vars_);
        vars_ = {"$"};
        int saved_range = range_depth_;
        range_depth_ = 0;
        auto tree = new_tree(name);
        auto [list, end] = item_list();
        if (end->type != NodeType::end) errorf("unexpected " + to_string(*end) + " in " + context);
        tree->root = std::move(list);
        vars_ = std::move(saved_vars);
        range_depth_ = saved_range;
        add(std::move(tree), false);
        return std::make_unique<TemplateNode>(t.pos, name, std::move(pipe));
    }

    NodePtr template_control() {
        const std::string context = "template clause";
        Token t = next_non_space();
        std::string name = template_name(t, context);
        std::unique_ptr<PipeNode> pipe;
        if (next_non_space().type != Tok::right_delim) {
            backup();
            pipe = pipeline(context, Tok::right_delim);
        }
        return std::make_unique<TemplateNode>(t.pos, name, std::move(pipe));
    }

    std::unique_ptr<CommandNode> command() {
        auto cmd = std::make_unique<CommandNode>(peek_non_space().pos);
        for (;;) {
            peek_non_space();
            NodePtr operand = this->operand();
            if (operand) cmd->args.push_back(std::move(operand));
            Token t = next();
            if (t.type == Tok::space) continue;
            if (t.type == Tok::right_delim || t.type == Tok::right_paren) {
                backup();
            } else if (t.type != Tok::pipe) {
                unexpected(t, "operand");
            }
            break;
        }
        if (cmd->args.empty()) errorf("empty command");
        return cmd;
    }

    static std::vector<std::string> split_field(const std::string& text) {
        // ".a.b" -> {"a", "b"}; "$x.a" -> {"$x", "a"}
        std::vector<std::string> parts;
        size_t start = text[0] == '.' ? 1 : 0;
        for (;;) {
            size_t dot = text.find('.', start);
            parts.push_back(text.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
            if (dot == std::string::npos) break;
            start = dot + 1;
        }
        return parts;
    }

    NodePtr operand() {
        NodePtr node = term();
        if (!node) return nullptr;
        if (peek().type == Tok::field) {
            auto chain = std::make_unique<ChainNode>(peek().pos, nullptr);
            while (peek().type == Tok::field) chain->fields.push_back(next().value.substr(1));
            switch (node->type) {
            case NodeType::field: {
                auto& f = static_cast<FieldNode&>(*node);
                for (auto& x : chain->fields) f.idents.push_back(x);
                f.pos = chain->pos;
                return node;
            }
            case NodeType::variable: {
                auto& v = static_cast<VariableNode&>(*node);
                for (auto& x : chain->fields) v.idents.push_back(x);
                v.pos = chain->pos;
                return node;
            }
            case NodeType::boolean:
            case NodeType::string:
            case NodeType::number:
            case NodeType::nil:
            case NodeType::dot: errorf("unexpected . after term " + quote_term(*node));
            default: chain->node = std::move(node); return chain;
            }
        }
        return node;
    }

    static std::string quote_term(const Node& n) {
        std::string s = to_string(n);
        std::string out = "\"";
        for (char c : s) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        return out + "\"";
    }

    NodePtr term() {
        Token t = next_non_space();
        switch (t.type) {
        case Tok::identifier:
            if (!has_function_(t.value)) errorf("function \"" + t.value + "\" not defined");
            return std::make_unique<IdentifierNode>(t.pos, t.value);
        case Tok::dot: return std::make_unique<Node>(NodeType::dot, t.pos);
        case Tok::nil: return std::make_unique<Node>(NodeType::nil, t.pos);
        case Tok::variable: {
            auto v = std::make_unique<VariableNode>(t.pos, split_field(t.value));
            for (const auto& name : vars_)
                if (name == v->idents[0]) return v;
            errorf("undefined variable \"" + v->idents[0] + "\"");
        }
        case Tok::field: return std::make_unique<FieldNode>(t.pos, split_field(t.value));
        case Tok::boolean: return std::make_unique<BoolNode>(t.pos, t.value == "true");
        case Tok::char_constant:
        case Tok::complex:
        case Tok::number: {
            auto n = std::make_unique<NumberNode>(t.pos, t.value);
            if (t.type == Tok::complex) errorf("complex numbers are not supported: " + t.value);
            if (auto problem = read_number_literal(*n, t.type == Tok::char_constant)) errorf(*problem);
            return n;
        }
        case Tok::left_paren: {
            if (stack_depth_ >= 10000) errorf("max expression depth exceeded");
            ++stack_depth_;
            auto pipe = pipeline("parenthesized pipeline", Tok::right_paren);
            --stack_depth_;
            return pipe;
        }
        case Tok::string:
        case Tok::raw_string: {
            std::string s;
            if (!unquote_go_string(t.value, s)) errorf("invalid syntax");
            return std::make_unique<StringNode>(t.pos, t.value, s);
        }
        default: backup(); return nullptr;
        }
    }
};

}  // namespace

std::vector<std::unique_ptr<Tree>> parse_template(const std::string& name, std::shared_ptr<const std::string> text,
                                                  const std::function<bool(std::string_view)>& has_function) {
    std::vector<Token> tokens = lex_template(*text);
    std::vector<std::unique_ptr<Tree>> trees;
    Parser parser(tokens, name, text, has_function, trees);
    parser.parse_file(name);
    return trees;
}

}  // namespace sealift::render
