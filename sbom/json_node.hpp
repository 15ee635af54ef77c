// A JSON value together with the path it was found at ("$.components[3].name"),
// so that every schema check can say exactly which field of which file is wrong.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"

namespace sealift::sbom::detail {

class Node {
public:
    Node(const Json& value, std::string path, const std::string& what)
        : value_(&value), path_(std::move(path)), what_(&what) {}

    const Json& value() const { return *value_; }
    const std::string& path() const { return path_; }

    // Throws Errc::format "<what>: <path>: <reason>".
    [[noreturn]] void fail(const std::string& reason) const;

    // Members of an object (fails if this is not one).
    Node at(const char* name) const;  // fails "missing required field"
    std::optional<Node> find(const char* name) const;

    // Typed views (fail "must be a <type>, found <type>").
    void expect_object() const;
    std::string as_string() const;
    std::int64_t as_integer() const;
    std::vector<Node> items() const;  // elements of an array

    std::string string_at(const char* name) const { return at(name).as_string(); }
    std::optional<std::string> optional_string(const char* name) const;
    std::vector<Node> optional_items(const char* name) const;  // empty when absent

private:
    const Json* value_;
    std::string path_;
    const std::string* what_;
};

// Quotes a value for an error message, shortened so hostile input cannot flood the log.
std::string shown(const std::string& text);

bool is_lower_hex(const std::string& text);

}  // namespace sealift::sbom::detail
