#include "support/support.hpp"

#include "core/error.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace sealift::test {

TempDir::TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "sealift-test-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

CommandResult run(const std::string& command) {
    TempDir io;
    auto out = io / "out", err = io / "err";
    std::string full = "( " + command + " ) >'" + out.string() + "' 2>'" + err.string() + "' </dev/null";
    int status = std::system(full.c_str());
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return {code, read_text(out), read_text(err)};
}

std::string sealift_binary() {
#ifdef SEALIFT_BINARY
    return SEALIFT_BINARY;
#else
    return "sealift";
#endif
}

std::filesystem::path source_dir() {
#ifdef SEALIFT_SOURCE_DIR
    return SEALIFT_SOURCE_DIR;
#else
    return std::filesystem::current_path();
#endif
}

void write_text(const std::filesystem::path& path, const std::string& text) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream f(path, std::ios::binary);
    f << text;
    if (!f) throw std::runtime_error("cannot write " + path.string());
}

std::string read_text(const std::filesystem::path& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

std::string error_of(const std::function<void()>& f, const std::string& none) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return none;
}

}  // namespace sealift::test
