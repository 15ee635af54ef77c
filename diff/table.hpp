// A table of text cells, written aligned for a terminal or as a Markdown table.
#pragma once

#include <string>
#include <vector>

namespace sealift::diff::detail {

class Table {
public:
    explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    bool empty() const { return rows_.empty(); }

    // Columns padded to their widest cell, two spaces apart, each line led by `indent`.
    std::string text(const std::string& indent) const;
    // A GitHub-flavoured Markdown table; '|' in cells is escaped.
    std::string markdown() const;

private:
    std::vector<std::string> headers_;
    std::vector<std::vector<std::string>> rows_;
};

}  // namespace sealift::diff::detail
