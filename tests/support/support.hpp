// Test helpers: temporary folders that clean up after themselves, and running
// real commands (the sealift binary, tar, openssl, skopeo) with their output.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

namespace sealift::test {

class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

struct CommandResult {
    int exit_code;
    std::string out;  // stdout
    std::string err;  // stderr
};

// Runs `command` through /bin/sh.
CommandResult run(const std::string& command);

std::string sealift_binary();

// The message of the sealift::Error that `f` throws, or `none` when it throws none.
std::string error_of(const std::function<void()>& f, const std::string& none = "NO ERROR");
std::filesystem::path source_dir();

void write_text(const std::filesystem::path& path, const std::string& text);
std::string read_text(const std::filesystem::path& path);

}  // namespace sealift::test
