#include "support/tar_editor.hpp"

#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "support/support.hpp"

namespace sealift::test {

std::string TarEditor::Entry::name() const { return std::string(header.c_str(), strnlen(header.c_str(), 100)); }

TarEditor TarEditor::load(const std::filesystem::path& bundle) {
    TempDir tmp;
    auto r = run("zstd -q -d -c '" + bundle.string() + "' > '" + (tmp / "b.tar").string() + "'");
    if (r.exit_code != 0) throw std::runtime_error("zstd -d failed: " + r.err);
    std::string tar = read_text(tmp / "b.tar");
    TarEditor ed;
    std::size_t pos = 0;
    while (pos + 512 <= tar.size() && tar[pos] != '\0') {
        Entry e;
        e.header = tar.substr(pos, 512);
        std::uint64_t size = std::strtoull(e.header.substr(124, 12).c_str(), nullptr, 8);
        e.data = tar.substr(pos + 512, size);
        pos += 512 + (size + 511) / 512 * 512;
        ed.entries.push_back(std::move(e));
    }
    return ed;
}

std::string TarEditor::archive() const {
    std::string tar;
    for (const auto& e : entries) {
        tar += e.header + e.data;
        tar.append((512 - e.data.size() % 512) % 512, '\0');
    }
    tar.append(1024, '\0');
    return tar;
}

void TarEditor::save(const std::filesystem::path& bundle, std::uint64_t trailing_zeros) const {
    std::string tar = archive();
    tar.append(trailing_zeros, '\0');
    TempDir tmp;
    write_text(tmp / "b.tar", tar);
    auto r = run("zstd -q -f '" + (tmp / "b.tar").string() + "' -o '" + bundle.string() + "'");
    if (r.exit_code != 0) throw std::runtime_error("zstd failed: " + r.err);
}

std::size_t TarEditor::index_of(const std::string& name) const {
    for (std::size_t i = 0; i < entries.size(); ++i)
        if (entries[i].name() == name) return i;
    throw std::runtime_error("no entry " + name);
}

void TarEditor::fix_checksum(std::string& h) {
    std::memset(h.data() + 148, ' ', 8);
    unsigned sum = 0;
    for (unsigned char c : h) sum += c;
    std::snprintf(h.data() + 148, 8, "%06o", sum);
    h[155] = ' ';
}

TarEditor::Entry TarEditor::make(const std::string& name, const std::string& data, char type, const std::string& link) {
    std::string h(512, '\0');
    std::memcpy(h.data(), name.data(), std::min<std::size_t>(name.size(), 100));
    std::snprintf(h.data() + 100, 8, "%07o", 0644);
    std::snprintf(h.data() + 108, 8, "%07o", 0);
    std::snprintf(h.data() + 116, 8, "%07o", 0);
    std::snprintf(h.data() + 124, 12, "%011llo", static_cast<unsigned long long>(type == '0' ? data.size() : 0));
    std::snprintf(h.data() + 136, 12, "%011o", 0);
    h[156] = type;
    std::memcpy(h.data() + 157, link.data(), std::min<std::size_t>(link.size(), 100));
    std::memcpy(h.data() + 257,
                "ustar\0"
                "00",
                8);
    fix_checksum(h);
    return {h, type == '0' ? data : std::string()};
}

void TarEditor::set_name(const std::string& name, const std::string& new_name) {
    auto& h = at(name).header;
    std::memset(h.data(), 0, 100);
    std::memcpy(h.data(), new_name.data(), std::min<std::size_t>(new_name.size(), 100));
    fix_checksum(h);
}

void TarEditor::set_declared_size(const std::string& name, std::uint64_t size) {
    auto& h = at(name).header;
    std::snprintf(h.data() + 124, 12, "%011llo", static_cast<unsigned long long>(size));
    fix_checksum(h);
}

void TarEditor::set_data(const std::string& name, std::string data) {
    set_declared_size(name, data.size());
    at(name).data = std::move(data);
}

}  // namespace sealift::test
