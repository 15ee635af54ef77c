// The parse tree of a template (private), node for node as Go's text/template/parse builds it, so
// execution and error texts (which print nodes back: `at <.Values.x>`) follow Go's.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sealift::render::ast {

enum class NodeType {
    text,
    action,
    if_,
    range,
    with,
    template_,
    break_,
    continue_,
    list,
    pipe,
    command,
    field,
    chain,
    variable,
    dot,
    nil,
    boolean,
    number,
    string,
    identifier,
    end,    // parsing only: {{end}}
    else_,  // parsing only: {{else}}
};

struct Node {
    explicit Node(NodeType t, size_t p) : type(t), pos(p) {}
    virtual ~Node() = default;
    NodeType type;
    size_t pos;  // byte offset in the parsed text
};

using NodePtr = std::unique_ptr<Node>;

struct ListNode : Node {
    explicit ListNode(size_t p) : Node(NodeType::list, p) {}
    std::vector<NodePtr> nodes;
};

struct TextNode : Node {
    TextNode(size_t p, std::string t) : Node(NodeType::text, p), text(std::move(t)) {}
    std::string text;
};

// $x or $x.Field.Field; the first ident is the variable's name ("$x").
struct VariableNode : Node {
    VariableNode(size_t p, std::vector<std::string> i) : Node(NodeType::variable, p), idents(std::move(i)) {}
    std::vector<std::string> idents;
};

struct CommandNode : Node {
    explicit CommandNode(size_t p) : Node(NodeType::command, p) {}
    std::vector<NodePtr> args;
};

struct PipeNode : Node {
    PipeNode(size_t p, int l) : Node(NodeType::pipe, p), line(l) {}
    int line;
    bool is_assign = false;  // $x = ... rather than $x := ...
    std::vector<std::unique_ptr<VariableNode>> decl;
    std::vector<std::unique_ptr<CommandNode>> cmds;
};

struct ActionNode : Node {
    ActionNode(size_t p, std::unique_ptr<PipeNode> pp) : Node(NodeType::action, p), pipe(std::move(pp)) {}
    std::unique_ptr<PipeNode> pipe;
};

// if, range and with.
struct BranchNode : Node {
    BranchNode(NodeType t, size_t p) : Node(t, p) {}
    std::unique_ptr<PipeNode> pipe;
    std::unique_ptr<ListNode> list;
    std::unique_ptr<ListNode> else_list;  // may be null
};

struct TemplateNode : Node {
    TemplateNode(size_t p, std::string n, std::unique_ptr<PipeNode> pp)
        : Node(NodeType::template_, p), name(std::move(n)), pipe(std::move(pp)) {}
    std::string name;
    std::unique_ptr<PipeNode> pipe;  // may be null
};

struct FieldNode : Node {
    FieldNode(size_t p, std::vector<std::string> i) : Node(NodeType::field, p), idents(std::move(i)) {}
    std::vector<std::string> idents;  // without the dots
};

struct ChainNode : Node {
    ChainNode(size_t p, NodePtr n) : Node(NodeType::chain, p), node(std::move(n)) {}
    NodePtr node;
    std::vector<std::string> fields;
};

struct IdentifierNode : Node {
    IdentifierNode(size_t p, std::string n) : Node(NodeType::identifier, p), name(std::move(n)) {}
    std::string name;
};

struct BoolNode : Node {
    BoolNode(size_t p, bool v) : Node(NodeType::boolean, p), value(v) {}
    bool value;
};

struct NumberNode : Node {
    NumberNode(size_t p, std::string t) : Node(NodeType::number, p), text(std::move(t)) {}
    std::string text;
    bool is_int = false, is_uint = false, is_float = false, is_complex = false;
    std::int64_t int64 = 0;
    std::uint64_t uint64 = 0;
    double float64 = 0;
};

struct StringNode : Node {
    StringNode(size_t p, std::string q, std::string t)
        : Node(NodeType::string, p), quoted(std::move(q)), text(std::move(t)) {}
    std::string quoted;  // as written, quotes included
    std::string text;
};

// A parsed template: a file or a {{define}} in one.
struct Tree {
    std::string name;
    std::string parse_name;                   // the file it was parsed from, for error locations
    std::shared_ptr<const std::string> text;  // that file's text, for line and column numbers
    std::unique_ptr<ListNode> root;
};

// Go's Node.String(): the node printed back as template text.
std::string to_string(const Node& n);

// parse.IsEmptyTree: nothing but space and comments.
bool is_empty_tree(const Node* n);

}  // namespace sealift::render::ast
