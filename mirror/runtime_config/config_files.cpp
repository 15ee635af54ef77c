#include <cstdio>
#include <optional>
#include <system_error>

#include "core/error.hpp"
#include "core/file.hpp"
#include "mirror/runtime_config/runtime_config.hpp"
#include "mirror/runtime_config/writers.hpp"

namespace sealift::mirror::runtime_config {

std::string toml_string(const std::string& text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20 || c == 0x7f) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
            out += escaped;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

namespace {

// The file's current content, or nullopt when there is none; anything else there is refused.
std::optional<std::string> existing_content(const std::filesystem::path& path) {
    std::error_code ec;
    auto status = std::filesystem::symlink_status(path, ec);
    if (ec || status.type() == std::filesystem::file_type::not_found) return std::nullopt;
    if (status.type() != std::filesystem::file_type::regular)
        fail(Errc::io, path.string() + ": exists and is not a regular file; not replaced");
    return read_small_file(path, 16u << 20);
}

}  // namespace

std::vector<WrittenFile> write_config_files(const std::filesystem::path& dir, const std::vector<ConfigFile>& files,
                                            bool force) {
    // Decide about every file before writing any, so a refusal leaves the folder as it was.
    std::vector<WrittenFile> out;
    for (const auto& f : files) {
        auto path = dir / f.path;
        auto current = existing_content(path);
        if (current && *current != f.content && !force)
            fail(Errc::usage,
                 path.string() + ": exists with different content; not overwritten (use --force to replace it)");
        out.push_back({path, !current || *current != f.content});
    }
    for (std::size_t i = 0; i < files.size(); ++i) {
        if (!out[i].changed) continue;
        std::error_code ec;
        std::filesystem::create_directories(out[i].path.parent_path(), ec);
        if (ec) fail(Errc::io, out[i].path.parent_path().string() + ": cannot create the folder: " + ec.message());
        write_file_atomically(out[i].path, files[i].content);
    }
    return out;
}

}  // namespace sealift::mirror::runtime_config
