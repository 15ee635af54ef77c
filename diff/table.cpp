#include "diff/table.hpp"

#include <algorithm>

namespace sealift::diff::detail {
namespace {

std::string markdown_cell(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '|') out += '\\';
        out += c == '\n' ? ' ' : c;
    }
    return out;
}

std::string markdown_row(const std::vector<std::string>& cells) {
    std::string line = "|";
    for (const auto& cell : cells) line += " " + markdown_cell(cell) + " |";
    return line + "\n";
}

}  // namespace

std::string Table::text(const std::string& indent) const {
    std::vector<std::size_t> widths(headers_.size());
    for (std::size_t i = 0; i < headers_.size(); ++i) widths[i] = headers_[i].size();
    for (const auto& row : rows_)
        for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], row[i].size());
    auto line = [&](const std::vector<std::string>& cells) {
        std::string out = indent;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            out += cells[i];
            if (i + 1 < cells.size()) out += std::string(widths[i] - cells[i].size() + 2, ' ');
        }
        return out + "\n";
    };
    std::string out = line(headers_);
    for (const auto& row : rows_) out += line(row);
    return out;
}

std::string Table::markdown() const {
    std::string out = markdown_row(headers_) + "|";
    for (std::size_t i = 0; i < headers_.size(); ++i) out += " --- |";
    out += "\n";
    for (const auto& row : rows_) out += markdown_row(row);
    return out;
}

}  // namespace sealift::diff::detail
