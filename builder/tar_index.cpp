#include "builder/tar_index.hpp"

#include <algorithm>
#include <cstring>
#include <optional>
#include <vector>

#include "core/error.hpp"

namespace sealift::builder {
namespace {

constexpr std::size_t block = 512;
constexpr std::size_t max_meta_size = 1u << 20;  // pax headers and GNU long names
constexpr int max_link_hops = 8;

std::string field_string(const char* field, std::size_t width) {
    return std::string(field, strnlen(field, width));
}

// Octal (space or NUL terminated, maybe space padded) or GNU base-256.
std::optional<std::uint64_t> field_number(const unsigned char* field, std::size_t width) {
    std::uint64_t value = 0;
    if (field[0] & 0x80) {
        if (field[0] & 0x40) return std::nullopt;  // negative
        value = field[0] & 0x3f;
        for (std::size_t i = 1; i < width; ++i) {
            if (value >> 56) return std::nullopt;
            value = (value << 8) | field[i];
        }
        return value;
    }
    std::size_t i = 0;
    while (i < width && field[i] == ' ') ++i;
    for (; i < width && field[i] != '\0' && field[i] != ' '; ++i) {
        if (field[i] < '0' || field[i] > '7' || (value >> 60)) return std::nullopt;
        value = value * 8 + (field[i] - '0');
    }
    return value;
}

bool checksum_matches(const unsigned char* h) {
    auto stored = field_number(h + 148, 8);
    if (!stored) return false;
    std::uint64_t unsigned_sum = 0;
    std::int64_t signed_sum = 0;  // some old writers summed signed chars
    for (std::size_t i = 0; i < block; ++i) {
        unsigned char c = (i >= 148 && i < 156) ? ' ' : h[i];
        unsigned_sum += c;
        signed_sum += static_cast<signed char>(c);
    }
    return *stored == unsigned_sum || static_cast<std::int64_t>(*stored) == signed_sum;
}

const char* compression_of(const unsigned char* head, std::size_t n) {
    auto starts = [&](std::initializer_list<unsigned char> magic) {
        return n >= magic.size() && std::equal(magic.begin(), magic.end(), head);
    };
    if (starts({0x1f, 0x8b})) return "gzip";
    if (starts({0x28, 0xb5, 0x2f, 0xfd})) return "zstd";
    if (starts({0xfd, '7', 'z', 'X', 'Z', 0x00})) return "xz";
    if (starts({'B', 'Z', 'h'})) return "bzip2";
    return nullptr;
}

// Pax records "<len> <key>=<value>\n"; only path, linkpath and size matter here.
struct PaxOverrides {
    std::optional<std::string> path, linkpath;
    std::optional<std::uint64_t> size;
};

void parse_pax(std::string_view data, PaxOverrides& out, const std::string& what) {
    while (!data.empty() && data.front() != '\0') {
        std::size_t space = data.find(' ');
        std::uint64_t len = 0;
        bool ok = space != data.npos && space > 0 && space < 20;
        for (std::size_t i = 0; ok && i < space; ++i) {
            ok = data[i] >= '0' && data[i] <= '9';
            len = len * 10 + (data[i] - '0');
        }
        ok = ok && len > space + 1 && len <= data.size() && data[len - 1] == '\n';
        std::string_view record = ok ? data.substr(space + 1, len - space - 2) : std::string_view();
        std::size_t eq = record.find('=');
        if (!ok || eq == record.npos) fail(Errc::format, what + ": malformed pax extended header record");
        std::string_view key = record.substr(0, eq), value = record.substr(eq + 1);
        if (key == "path") out.path = std::string(value);
        else if (key == "linkpath") out.linkpath = std::string(value);
        else if (key == "size") {
            bool decimal = !value.empty() && value.size() <= 19 &&
                           std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
            if (!decimal) fail(Errc::format, what + ": pax size '" + std::string(value) + "' is not a number");
            out.size = std::stoull(std::string(value));
        }
        data.remove_prefix(len);
    }
}

TarEntry::Kind kind_of(char type) {
    switch (type) {
    case '0': case '\0': case '7': return TarEntry::Kind::regular;
    case '5': return TarEntry::Kind::directory;
    case '2': return TarEntry::Kind::symlink;
    case '1': return TarEntry::Kind::hardlink;
    default: return TarEntry::Kind::other;
    }
}

// Symlinks, folders and devices carry no data whatever their size field says.
bool has_data(char type) { return type != '2' && type != '5' && type != '3' && type != '4' && type != '6'; }

// Resolves a symlink target relative to the folder of `from`, staying inside the archive.
std::string resolve_link(const std::string& from, const std::string& target, const std::string& what) {
    if (target.starts_with('/')) fail(Errc::format, what + ": '" + from + "' links to absolute path '" + target + "'");
    std::vector<std::string> parts;
    std::string joined = from.substr(0, from.rfind('/') == std::string::npos ? 0 : from.rfind('/') + 1) + target;
    std::size_t start = 0;
    while (start <= joined.size()) {
        std::size_t slash = std::min(joined.find('/', start), joined.size());
        std::string part = joined.substr(start, slash - start);
        if (part == "..") {
            if (parts.empty()) fail(Errc::format, what + ": '" + from + "' links outside the archive ('" + target + "')");
            parts.pop_back();
        } else if (!part.empty() && part != ".") {
            parts.push_back(part);
        }
        start = slash + 1;
    }
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
    return out;
}

const char* kind_name(TarEntry::Kind kind) {
    switch (kind) {
    case TarEntry::Kind::regular: return "a regular file";
    case TarEntry::Kind::directory: return "a folder";
    case TarEntry::Kind::symlink: return "a symbolic link";
    case TarEntry::Kind::hardlink: return "a hard link";
    case TarEntry::Kind::other: return "a special file";
    }
    return "a special file";
}

}  // namespace

std::string normalise_tar_path(std::string_view path, const std::string& what) {
    std::string out;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t slash = std::min(path.find('/', start), path.size());
        std::string_view part = path.substr(start, slash - start);
        if (part == "..") fail(Errc::format, what + ": path '" + std::string(path) + "' has a '..' component, refusing it");
        if (!part.empty() && part != ".") {
            if (!out.empty()) out += '/';
            out += part;
        }
        start = slash + 1;
    }
    return out;
}

TarIndex TarIndex::open(const std::filesystem::path& path) {
    TarIndex index;
    index.name_ = path.string();
    index.file_ = std::make_shared<const File>(File::open_regular(path));
    const File& file = *index.file_;
    const std::string& name = index.name_;
    const std::uint64_t file_size = file.size();
    if (file_size == 0) fail(Errc::format, name + ": is empty, not a tar archive");

    unsigned char h[block];
    std::size_t head = static_cast<std::size_t>(std::min<std::uint64_t>(file_size, block));
    file.pread_exact(h, head, 0);
    if (const char* compression = compression_of(h, head))
        fail(Errc::format, name + ": archive is " + compression +
                               "-compressed; decompress it first so its blobs can be read in place without a copy");

    PaxOverrides pax;
    std::optional<std::string> long_name, long_link;
    std::uint64_t offset = 0;
    while (offset < file_size) {
        if (file_size - offset < block) fail(Errc::format, name + ": truncated tar header at offset " + std::to_string(offset));
        file.pread_exact(h, block, offset);
        if (std::all_of(h, h + block, [](unsigned char c) { return c == 0; })) break;
        std::string at = name + ": tar header at offset " + std::to_string(offset);
        if (!checksum_matches(h))
            fail(Errc::format, offset == 0 ? name + ": not a tar archive (bad header checksum)" : at + " has a bad checksum");
        char type = static_cast<char>(h[156]);
        auto header_size = field_number(h + 124, 12);
        if (!header_size) fail(Errc::format, at + " has an invalid size field");
        bool meta = type == 'x' || type == 'g' || type == 'L' || type == 'K';
        std::uint64_t size = meta ? *header_size : pax.size.value_or(*header_size);
        std::uint64_t data = offset + block;
        std::uint64_t data_size = has_data(type) ? size : 0;
        if (data_size > file_size - data)
            fail(Errc::format, at + ": entry data runs past the end of the archive (truncated?)");
        offset = data + (data_size + block - 1) / block * block;

        auto read_meta = [&]() {
            if (size > max_meta_size) fail(Errc::format, at + ": extended header of " + std::to_string(size) + " bytes is too large");
            std::string text(size, '\0');
            file.pread_exact(text.data(), size, data);
            return text;
        };
        if (type == 'x') { parse_pax(read_meta(), pax, at); continue; }
        if (type == 'g') continue;  // global pax defaults: nothing here needs them
        if (type == 'L') { std::string t = read_meta(); long_name = t.substr(0, strnlen(t.c_str(), t.size())); continue; }
        if (type == 'K') { std::string t = read_meta(); long_link = t.substr(0, strnlen(t.c_str(), t.size())); continue; }

        std::string raw_path = field_string(reinterpret_cast<const char*>(h), 100);
        bool posix_ustar = std::memcmp(h + 257, "ustar\0", 6) == 0;
        std::string prefix = posix_ustar ? field_string(reinterpret_cast<const char*>(h + 345), 155) : "";
        if (!prefix.empty()) raw_path = prefix + "/" + raw_path;
        if (long_name) raw_path = *long_name;
        if (pax.path) raw_path = *pax.path;

        TarEntry entry;
        entry.kind = kind_of(type);
        entry.path = normalise_tar_path(raw_path, at);
        entry.offset = data;
        entry.size = data_size;
        entry.link_target = pax.linkpath ? *pax.linkpath : long_link ? *long_link : field_string(reinterpret_cast<const char*>(h + 157), 100);
        pax = {};
        long_name.reset();
        long_link.reset();

        if (entry.path.empty()) {
            if (entry.kind == TarEntry::Kind::directory) continue;  // the "./" root folder
            fail(Errc::format, at + ": entry has an empty path");
        }
        auto [it, inserted] = index.entries_.try_emplace(entry.path, entry);
        if (!inserted && !(it->second.kind == TarEntry::Kind::directory && entry.kind == TarEntry::Kind::directory))
            fail(Errc::format, name + ": entry '" + entry.path + "' appears twice, refusing the ambiguity");
    }
    return index;
}

const TarEntry* TarIndex::find(std::string_view path) const {
    auto it = entries_.find(normalise_tar_path(path, name_));
    return it == entries_.end() ? nullptr : &it->second;
}

const TarEntry& TarIndex::regular(std::string_view path, bool follow_symlinks) const {
    const TarEntry* entry = find(path);
    for (int hops = 0; entry && follow_symlinks; ++hops) {
        std::string target;
        if (entry->kind == TarEntry::Kind::symlink) target = resolve_link(entry->path, entry->link_target, name_);
        else if (entry->kind == TarEntry::Kind::hardlink) target = normalise_tar_path(entry->link_target, name_);
        else break;
        if (hops == max_link_hops) fail(Errc::format, name_ + ": too many links from '" + std::string(path) + "'");
        const TarEntry* next = find(target);
        if (!next) fail(Errc::format, name_ + ": '" + entry->path + "' links to missing entry '" + target + "'");
        entry = next;
    }
    if (!entry) fail(Errc::format, name_ + ": has no entry '" + std::string(path) + "'");
    if (entry->kind != TarEntry::Kind::regular)
        fail(Errc::format, name_ + ": entry '" + entry->path + "' is " + kind_name(entry->kind) + ", not a regular file");
    return *entry;
}

std::unique_ptr<ByteSource> TarIndex::open_entry(const TarEntry& entry) const {
    return std::make_unique<FileRangeSource>(file_, entry.offset, entry.size);
}

std::string TarIndex::read_small(const TarEntry& entry, std::size_t max_bytes) const {
    if (entry.size > max_bytes)
        fail(Errc::format, name_ + ": entry '" + entry.path + "' is " + std::to_string(entry.size) + " bytes, more than the " +
                               std::to_string(max_bytes) + " allowed");
    std::string out(entry.size, '\0');
    if (entry.size) file_->pread_exact(out.data(), entry.size, entry.offset);
    return out;
}

}  // namespace sealift::builder
