#include "core/file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

#include "core/error.hpp"
#include "core/interrupt_cleanup.hpp"

namespace sealift {
namespace {

[[noreturn]] void fail_errno(const std::string& what, const std::string& path, int err) {
    fail(Errc::io, path + ": " + what + ": " + std::strerror(err));
}

const char* file_kind(mode_t mode) {
    if (S_ISDIR(mode)) return "is a folder";
    if (S_ISFIFO(mode)) return "is a FIFO (named pipe)";
    if (S_ISSOCK(mode)) return "is a socket";
    if (S_ISCHR(mode) || S_ISBLK(mode)) return "is a device";
    return "is a special file";
}

}  // namespace

File::~File() {
    if (fd_ >= 0) ::close(fd_);
}

File& File::operator=(File&& o) noexcept {
    if (this != &o) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = o.fd_;
        path_ = std::move(o.path_);
        o.fd_ = -1;
    }
    return *this;
}

File File::open_regular(const std::filesystem::path& path) {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever;
    // opened without waiting, fstat names it and it is refused before any read.
    int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        int err = errno;
        if (err == ELOOP) fail(Errc::io, path.string() + ": is a symbolic link, refusing to follow it");
        fail_errno("cannot open", path.string(), err);
    }
    File f(fd, path.string());
    struct stat st {};
    if (::fstat(fd, &st) != 0) fail_errno("cannot stat", f.path_, errno);
    if (!S_ISREG(st.st_mode)) fail(Errc::io, f.path_ + ": " + file_kind(st.st_mode) + ", not a regular file");
    // Reads of a regular file ignore O_NONBLOCK; cleared all the same, so the descriptor is an ordinary one.
    int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0)
        fail_errno("cannot set file flags", f.path_, errno);
    return f;
}

File File::create(const std::filesystem::path& path, int mode) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0) fail_errno("cannot create", path.string(), errno);
    return File(fd, path.string());
}

std::uint64_t File::size() const {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) fail_errno("cannot stat", path_, errno);
    return static_cast<std::uint64_t>(st.st_size);
}

std::size_t File::read_some(void* buf, std::size_t size) {
    for (;;) {
        ssize_t n = ::read(fd_, buf, size);
        if (n >= 0) return static_cast<std::size_t>(n);
        if (errno != EINTR) fail_errno("read failed", path_, errno);
    }
}

void File::pread_exact(void* buf, std::size_t size, std::uint64_t offset) const {
    auto* p = static_cast<char*>(buf);
    while (size > 0) {
        ssize_t n = ::pread(fd_, p, size, static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail_errno("read failed", path_, errno);
        if (n == 0) fail(Errc::io, path_ + ": unexpected end of file at offset " + std::to_string(offset));
        p += n;
        size -= static_cast<std::size_t>(n);
        offset += static_cast<std::uint64_t>(n);
    }
}

void File::write_all(const void* buf, std::size_t size) {
    const auto* p = static_cast<const char*>(buf);
    while (size > 0) {
        ssize_t n = ::write(fd_, p, size);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail_errno("write failed", path_, errno);
        p += n;
        size -= static_cast<std::size_t>(n);
    }
}

void File::sync() {
    if (::fsync(fd_) != 0) fail_errno("fsync failed", path_, errno);
}

void File::close() {
    if (fd_ >= 0) {
        int rc = ::close(fd_);
        fd_ = -1;
        if (rc != 0) fail_errno("close failed", path_, errno);
    }
}

std::string read_small_file(const std::filesystem::path& path, std::size_t max_bytes) {
    File f = File::open_regular(path);
    std::uint64_t size = f.size();
    if (size > max_bytes)
        fail(Errc::format, path.string() + ": file is " + std::to_string(size) + " bytes, more than the " +
                               std::to_string(max_bytes) + " allowed");
    std::string out(size, '\0');
    if (size) f.pread_exact(out.data(), size, 0);
    return out;
}

void fsync_directory(const std::filesystem::path& dir) {
    int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) fail_errno("cannot open folder", dir.string(), errno);
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0) fail_errno("fsync failed", dir.string(), err);
}

AtomicFile::AtomicFile(std::filesystem::path destination, int mode) : destination_(std::move(destination)) {
    std::random_device rd;
    for (int attempt = 0;; ++attempt) {
        temp_ = destination_;
        temp_ += ".tmp-" + std::to_string(rd() % 1000000000u);
        int fd = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
        if (fd >= 0) {
            file_ = File(fd, temp_.string());
            remove_on_interrupt(temp_);
            return;
        }
        if (errno != EEXIST || attempt > 8) fail_errno("cannot create", temp_.string(), errno);
    }
}

AtomicFile::~AtomicFile() {
    if (!committed_) {
        file_ = File();
        ::unlink(temp_.c_str());
        keep_on_interrupt(temp_);
    }
}

void AtomicFile::commit(bool durable) {
    if (durable) file_.sync();
    file_.close();
    if (::rename(temp_.c_str(), destination_.c_str()) != 0)
        fail_errno("cannot rename into place", destination_.string(), errno);
    committed_ = true;
    keep_on_interrupt(temp_);
    if (durable) fsync_directory(destination_.parent_path());
}

void write_file_atomically(const std::filesystem::path& path, std::string_view content, int mode) {
    AtomicFile out(path, mode);
    out.file().write_all(content);
    out.commit();
}

}  // namespace sealift
