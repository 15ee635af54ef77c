#include "builder/tar_index.hpp"

#include <algorithm>
#include <vector>

#include "core/error.hpp"

namespace sealift::builder {
namespace {

constexpr int max_link_hops = 8;

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
            if (parts.empty())
                fail(Errc::format, what + ": '" + from + "' links outside the archive ('" + target + "')");
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

std::string described(TarEntry::Type type) {
    return type == TarEntry::Type::other ? "a special file" : std::string("a ") + tar_type_name(type);
}

}  // namespace

std::string normalise_tar_path(std::string_view path, const std::string& what) {
    std::string out;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t slash = std::min(path.find('/', start), path.size());
        std::string_view part = path.substr(start, slash - start);
        if (part == "..")
            fail(Errc::format, what + ": path '" + std::string(path) + "' has a '..' component, refusing it");
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
    const std::string& name = index.name_;
    const std::uint64_t file_size = index.file_->size();
    if (file_size == 0) fail(Errc::format, name + ": is empty, not a tar archive");
    unsigned char head[6];
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(file_size, sizeof head));
    index.file_->pread_exact(head, n, 0);
    if (const char* compression = compression_of(head, n))
        fail(Errc::format, name + ": archive is " + compression +
                               "-compressed; decompress it first so its blobs can be read in place without a copy");

    FileRangeSource source(index.file_, 0, file_size);
    TarReader tar(source, name, {.allow_global_headers = true});
    while (auto entry = tar.next()) {
        std::string at = name + ": tar header at offset " + std::to_string(entry->header_offset);
        entry->path = normalise_tar_path(entry->path, at);
        if (entry->path.empty()) {
            if (entry->type == TarEntry::Type::directory) continue;  // the "./" root folder
            fail(Errc::format, at + ": entry has an empty path");
        }
        auto [it, inserted] = index.entries_.try_emplace(entry->path, *entry);
        if (!inserted && !(it->second.type == TarEntry::Type::directory && entry->type == TarEntry::Type::directory))
            fail(Errc::format, name + ": entry '" + entry->path + "' appears twice, refusing the ambiguity");
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
        if (entry->type == TarEntry::Type::symlink)
            target = resolve_link(entry->path, entry->link_target, name_);
        else if (entry->type == TarEntry::Type::hardlink)
            target = normalise_tar_path(entry->link_target, name_);
        else
            break;
        if (hops == max_link_hops) fail(Errc::format, name_ + ": too many links from '" + std::string(path) + "'");
        const TarEntry* next = find(target);
        if (!next) fail(Errc::format, name_ + ": '" + entry->path + "' links to missing entry '" + target + "'");
        entry = next;
    }
    if (!entry) fail(Errc::format, name_ + ": has no entry '" + std::string(path) + "'");
    if (entry->type != TarEntry::Type::regular)
        fail(Errc::format,
             name_ + ": entry '" + entry->path + "' is " + described(entry->type) + ", not a regular file");
    return *entry;
}

std::unique_ptr<ByteSource> TarIndex::open_entry(const TarEntry& entry) const {
    return std::make_unique<FileRangeSource>(file_, entry.data_offset, entry.size);
}

std::string TarIndex::read_small(const TarEntry& entry, std::size_t max_bytes) const {
    if (entry.size > max_bytes)
        fail(Errc::format, name_ + ": entry '" + entry.path + "' is " + std::to_string(entry.size) +
                               " bytes, more than the " + std::to_string(max_bytes) + " allowed");
    std::string out(entry.size, '\0');
    if (entry.size) file_->pread_exact(out.data(), entry.size, entry.data_offset);
    return out;
}

}  // namespace sealift::builder
