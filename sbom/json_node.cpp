#include "sbom/json_node.hpp"

#include "core/error.hpp"

namespace sealift::sbom::detail {

void Node::fail(const std::string& reason) const { sealift::fail(Errc::format, *what_ + ": " + path_ + ": " + reason); }

void Node::expect_object() const {
    if (!value_->is_object()) fail(std::string("must be an object, found ") + value_->type_name());
}

std::optional<Node> Node::find(const char* name) const {
    expect_object();
    auto it = value_->find(name);
    if (it == value_->end()) return std::nullopt;
    return Node(*it, path_ + "." + name, *what_);
}

Node Node::at(const char* name) const {
    std::optional<Node> member = find(name);
    if (!member) Node(*value_, path_ + "." + name, *what_).fail("missing required field");
    return *member;
}

std::string Node::as_string() const {
    if (!value_->is_string()) fail(std::string("must be a string, found ") + value_->type_name());
    return value_->get<std::string>();
}

std::int64_t Node::as_integer() const {
    if (value_->is_number_unsigned() && value_->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
        fail("integer out of range");
    if (!value_->is_number_integer()) fail(std::string("must be an integer, found ") + value_->type_name());
    return value_->get<std::int64_t>();
}

std::vector<Node> Node::items() const {
    if (!value_->is_array()) fail(std::string("must be an array, found ") + value_->type_name());
    std::vector<Node> out;
    out.reserve(value_->size());
    for (std::size_t i = 0; i < value_->size(); ++i)
        out.emplace_back((*value_)[i], path_ + "[" + std::to_string(i) + "]", *what_);
    return out;
}

std::optional<std::string> Node::optional_string(const char* name) const {
    std::optional<Node> member = find(name);
    if (!member) return std::nullopt;
    return member->as_string();
}

std::vector<Node> Node::optional_items(const char* name) const {
    std::optional<Node> member = find(name);
    if (!member) return {};
    return member->items();
}

std::string shown(const std::string& text) {
    constexpr std::size_t shown = 120;
    if (text.size() <= shown) return "\"" + text + "\"";
    return "\"" + text.substr(0, shown) + "...\"";
}

bool is_lower_hex(const std::string& text) {
    for (char c : text)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return !text.empty();
}

}  // namespace sealift::sbom::detail
