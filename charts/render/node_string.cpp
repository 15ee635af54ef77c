// Go's String() methods of parse nodes, which error messages print (`at <index .Values "a">`).
#include <algorithm>
#include <cctype>

#include "charts/render/ast.hpp"

namespace sealift::render::ast {
namespace {

void write(std::string& out, const Node& n);

void write_list(std::string& out, const ListNode* list) {
    if (!list) return;
    for (const auto& node : list->nodes) write(out, *node);
}

void write_pipe(std::string& out, const PipeNode& pipe) {
    if (!pipe.decl.empty()) {
        for (size_t i = 0; i < pipe.decl.size(); ++i) {
            if (i > 0) out += ", ";
            write(out, *pipe.decl[i]);
        }
        out += pipe.is_assign ? " = " : " := ";
    }
    for (size_t i = 0; i < pipe.cmds.size(); ++i) {
        if (i > 0) out += " | ";
        write(out, *pipe.cmds[i]);
    }
}

void write_branch(std::string& out, const BranchNode& b, const char* name) {
    out += "{{";
    out += name;
    out += ' ';
    write_pipe(out, *b.pipe);
    out += "}}";
    write_list(out, b.list.get());
    if (b.else_list) {
        out += "{{else}}";
        write_list(out, b.else_list.get());
    }
    out += "{{end}}";
}

void write(std::string& out, const Node& n) {
    switch (n.type) {
    case NodeType::text: {
        // Go prints text nodes as %q; only error contexts of whole lists reach here.
        out += static_cast<const TextNode&>(n).text;
        return;
    }
    case NodeType::action:
        out += "{{";
        write_pipe(out, *static_cast<const ActionNode&>(n).pipe);
        out += "}}";
        return;
    case NodeType::if_: write_branch(out, static_cast<const BranchNode&>(n), "if"); return;
    case NodeType::range: write_branch(out, static_cast<const BranchNode&>(n), "range"); return;
    case NodeType::with: write_branch(out, static_cast<const BranchNode&>(n), "with"); return;
    case NodeType::template_: {
        const auto& t = static_cast<const TemplateNode&>(n);
        out += "{{template \"" + t.name + "\"";
        if (t.pipe) {
            out += ' ';
            write_pipe(out, *t.pipe);
        }
        out += "}}";
        return;
    }
    case NodeType::break_: out += "{{break}}"; return;
    case NodeType::continue_: out += "{{continue}}"; return;
    case NodeType::list: write_list(out, static_cast<const ListNode*>(&n)); return;
    case NodeType::pipe: write_pipe(out, static_cast<const PipeNode&>(n)); return;
    case NodeType::command: {
        const auto& c = static_cast<const CommandNode&>(n);
        for (size_t i = 0; i < c.args.size(); ++i) {
            if (i > 0) out += ' ';
            if (c.args[i]->type == NodeType::pipe) {
                out += '(';
                write(out, *c.args[i]);
                out += ')';
            } else {
                write(out, *c.args[i]);
            }
        }
        return;
    }
    case NodeType::field:
        for (const auto& id : static_cast<const FieldNode&>(n).idents) out += "." + id;
        return;
    case NodeType::chain: {
        const auto& c = static_cast<const ChainNode&>(n);
        if (c.node->type == NodeType::pipe) {
            out += '(';
            write(out, *c.node);
            out += ')';
        } else {
            write(out, *c.node);
        }
        for (const auto& f : c.fields) out += "." + f;
        return;
    }
    case NodeType::variable: {
        const auto& v = static_cast<const VariableNode&>(n);
        for (size_t i = 0; i < v.idents.size(); ++i) {
            if (i > 0) out += '.';
            out += v.idents[i];
        }
        return;
    }
    case NodeType::dot: out += '.'; return;
    case NodeType::nil: out += "nil"; return;
    case NodeType::boolean: out += static_cast<const BoolNode&>(n).value ? "true" : "false"; return;
    case NodeType::number: out += static_cast<const NumberNode&>(n).text; return;
    case NodeType::string: out += static_cast<const StringNode&>(n).quoted; return;
    case NodeType::identifier: out += static_cast<const IdentifierNode&>(n).name; return;
    case NodeType::end: out += "{{end}}"; return;
    case NodeType::else_: out += "{{else}}"; return;
    }
}

}  // namespace

std::string to_string(const Node& n) {
    std::string out;
    write(out, n);
    return out;
}

bool is_empty_tree(const Node* n) {
    if (!n) return true;
    switch (n->type) {
    case NodeType::list:
        for (const auto& child : static_cast<const ListNode*>(n)->nodes)
            if (!is_empty_tree(child.get())) return false;
        return true;
    case NodeType::text: {
        const auto& text = static_cast<const TextNode*>(n)->text;
        return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c); });
    }
    default: return false;
    }
}

}  // namespace sealift::render::ast
