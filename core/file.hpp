// Files as Sealift handles them: read through one descriptor that was checked
// to be a regular file (no symlink swapped in between check and use), and
// written atomically (temporary file, fsync, rename, fsync of the folder) so a
// crash or an error never leaves a partial file under the final name.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace sealift {

class File {
public:
    File() = default;
    explicit File(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
    ~File();
    File(File&& o) noexcept : fd_(o.fd_), path_(std::move(o.path_)) { o.fd_ = -1; }
    File& operator=(File&& o) noexcept;
    File(const File&) = delete;
    File& operator=(const File&) = delete;

    // Opens for reading with O_NOFOLLOW and refuses anything but a regular file.
    static File open_regular(const std::filesystem::path& path);
    static File create(const std::filesystem::path& path, int mode = 0644);

    int fd() const { return fd_; }
    const std::string& path() const { return path_; }
    std::uint64_t size() const;

    // Reads up to `size` bytes; returns 0 only at end of file.
    std::size_t read_some(void* buf, std::size_t size);
    // Reads exactly `size` bytes at `offset`, or fails naming the file.
    void pread_exact(void* buf, std::size_t size, std::uint64_t offset) const;
    void write_all(const void* buf, std::size_t size);
    void write_all(std::string_view s) { write_all(s.data(), s.size()); }
    void sync();
    void close();

private:
    int fd_ = -1;
    std::string path_;
};

// Reads a whole small file (manifests, keys, JSON), refusing files above max_bytes.
std::string read_small_file(const std::filesystem::path& path, std::size_t max_bytes = 64u << 20);

// A file written under a temporary name beside its destination and renamed into
// place by commit(); destroyed uncommitted, it removes the temporary file.
class AtomicFile {
public:
    explicit AtomicFile(std::filesystem::path destination, int mode = 0644);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    File& file() { return file_; }
    const std::filesystem::path& temp_path() const { return temp_; }
    // durable: fsync the file and its folder, so the new content survives a
    // power loss. Without it the rename still makes the file appear whole or not
    // at all; only a crash of the machine itself can lose it.
    void commit(bool durable = true);

private:
    std::filesystem::path destination_;
    std::filesystem::path temp_;
    File file_;
    bool committed_ = false;
};

void write_file_atomically(const std::filesystem::path& path, std::string_view content, int mode = 0644);
void fsync_directory(const std::filesystem::path& dir);

}  // namespace sealift
