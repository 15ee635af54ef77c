#include "mirror/store/blob_store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <vector>

#include "core/error.hpp"
#include "mirror/store/corrupt_blobs.hpp"

namespace sealift::mirror::store {
namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail_errno(const std::string& what, const fs::path& path, int err) {
    fail(Errc::io, path.string() + ": " + what + ": " + std::strerror(err));
}

std::string random_name() {
    std::random_device rd;
    return std::to_string(::getpid()) + "-" + std::to_string(rd() % 1000000000u);
}

}  // namespace

Digest hash_blob_file(const fs::path& path) {
    File f = File::open_regular(path);
    Sha256 hash;
    std::vector<char> buf(256 * 1024);
    for (std::size_t n; (n = f.read_some(buf.data(), buf.size())) > 0;) hash.update(buf.data(), n);
    return hash.finish();
}

BlobStore::BlobStore(const fs::path& root) : dir_(root / "blobs" / "sha256"), temp_root_(root / "tmp") {}

fs::path BlobStore::path_of(const Digest& d) const { return dir_ / std::string(d.hex()); }

std::optional<std::uint64_t> BlobStore::size_of(const Digest& d) const {
    struct stat st {};
    if (::lstat(path_of(d).c_str(), &st) != 0) {
        if (errno == ENOENT) return std::nullopt;
        fail_errno("cannot stat blob", path_of(d), errno);
    }
    if (!S_ISREG(st.st_mode)) fail(Errc::io, path_of(d).string() + ": not a regular file");
    return static_cast<std::uint64_t>(st.st_size);
}

void BlobStore::place(const fs::path& staged, const Digest& d) const {
    if (::rename(staged.c_str(), path_of(d).c_str()) != 0)
        fail_errno("cannot rename blob into place", path_of(d), errno);
    clear_corrupt_flag(path_of(d));  // verified bytes are under the name now
}

std::uint64_t BlobStore::remove(const Digest& d) const {
    auto size = size_of(d);
    if (!size) return 0;
    if (::unlink(path_of(d).c_str()) != 0 && errno != ENOENT) fail_errno("cannot delete blob", path_of(d), errno);
    clear_corrupt_flag(path_of(d));
    return *size;
}

void BlobStore::sync() const { fsync_directory(dir_); }

std::uint64_t BlobStore::clean_abandoned_staging() const {
    std::uint64_t removed = 0;
    std::error_code ec;
    std::vector<fs::path> entries;
    for (const auto& e : fs::directory_iterator(temp_root_, ec)) entries.push_back(e.path());
    if (ec) fail(Errc::io, temp_root_.string() + ": cannot list: " + ec.message());
    for (const auto& p : entries) {
        if (p.extension() == ".lock") {
            int fd = ::open(p.c_str(), O_RDWR | O_NOFOLLOW | O_CLOEXEC);
            if (fd < 0) continue;  // another cleaner removed it
            if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
                // Its writer is gone: remove its folder, then the lock, while holding it.
                fs::path dir = p;
                dir.replace_extension();
                fs::remove_all(dir, ec);
                ::unlink(p.c_str());
                ++removed;
            }
            ::close(fd);
        } else if (fs::is_directory(p, ec) && !fs::exists(fs::path(p.string() + ".lock"), ec)) {
            fs::remove_all(p, ec);  // its lock went first: an abandoned folder
            ++removed;
        }
    }
    return removed;
}

Staging::Staging(const BlobStore& blobs) {
    for (int attempt = 0;; ++attempt) {
        std::string name = random_name();
        lock_path_ = blobs.temp_root() / (name + ".lock");
        dir_ = blobs.temp_root() / name;
        lock_fd_ = ::open(lock_path_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (lock_fd_ < 0) {
            if (errno == EEXIST && attempt < 8) continue;
            fail_errno("cannot create staging lock", lock_path_, errno);
        }
        if (::flock(lock_fd_, LOCK_EX) != 0) fail_errno("cannot lock", lock_path_, errno);
        // A cleaner may have taken the file between create and lock and removed it.
        struct stat held {
        }, named{};
        ::fstat(lock_fd_, &held);
        if (::stat(lock_path_.c_str(), &named) == 0 && named.st_ino == held.st_ino) break;
        ::close(lock_fd_);
        lock_fd_ = -1;
    }
    if (::mkdir(dir_.c_str(), 0700) != 0) fail_errno("cannot create staging folder", dir_, errno);
}

Staging::~Staging() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
    ::unlink(lock_path_.c_str());
    if (lock_fd_ >= 0) ::close(lock_fd_);
}

fs::path Staging::new_file_path() { return dir_ / std::to_string(counter_++); }

BlobWriter::BlobWriter(Staging& staging, Digest expected, bool check_digest)
    : expected_(std::move(expected)), path_(staging.new_file_path()), file_(File::create(path_, 0644)) {
    if (check_digest) hash_.emplace();
}

BlobWriter::~BlobWriter() {
    if (!finished_) {
        file_ = File();
        ::unlink(path_.c_str());
    }
}

void BlobWriter::write(const char* data, std::size_t size) {
    if (hash_) hash_->update(data, size);
    file_.write_all(data, size);
    written_ += size;
}

File BlobWriter::finish() {
    if (hash_) {
        Digest got = hash_->finish();
        if (got != expected_) fail(Errc::integrity, "blob " + expected_.str() + ": content has digest " + got.str());
    }
    finished_ = true;
    return std::move(file_);
}

SyncWorker::SyncWorker() : thread_([this] { run(); }) {}

SyncWorker::~SyncWorker() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void SyncWorker::submit(File file) {
    {
        std::unique_lock lock(mutex_);
        room_.wait(lock, [&] { return queue_.size() < kMaxQueued; });
        queue_.push_back(std::move(file));
    }
    wake_.notify_one();
}

void SyncWorker::wait() {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [&] { return queue_.empty() && !busy_; });
    if (failure_) fail(Errc::io, *failure_);
}

void SyncWorker::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [&] { return stop_ || !queue_.empty(); });
        if (queue_.empty()) return;
        File file = std::move(queue_.front());
        queue_.pop_front();
        room_.notify_one();
        busy_ = true;
        lock.unlock();
        std::optional<std::string> error;
        if (::fdatasync(file.fd()) != 0) error = file.path() + ": fdatasync failed: " + std::strerror(errno);
        file = File();
        lock.lock();
        busy_ = false;
        if (error && !failure_) failure_ = error;
        if (queue_.empty()) idle_.notify_all();
    }
}

std::uint64_t ingest(const BlobStore& blobs, Staging& staging, ByteSource& source, const Digest& expected,
                     std::optional<std::uint64_t> expected_size, bool check_digest) {
    // A copy known corrupt is written again, and replaces the bad one when it checked out.
    if (auto size = blobs.size_of(expected); size && !flagged_corrupt(blobs.path_of(expected))) return *size;
    BlobWriter writer(staging, expected, check_digest);
    std::vector<char> buf(256 * 1024);
    for (std::size_t n; (n = source.read(buf.data(), buf.size())) > 0;) {
        if (expected_size && writer.written() + n > *expected_size)
            fail(Errc::integrity,
                 "blob " + expected.str() + ": more than the expected " + std::to_string(*expected_size) + " bytes");
        writer.write(buf.data(), n);
    }
    if (expected_size && writer.written() != *expected_size)
        fail(Errc::integrity, "blob " + expected.str() + ": " + std::to_string(writer.written()) + " bytes, expected " +
                                  std::to_string(*expected_size));
    File staged = writer.finish();
    staged.sync();
    staged.close();
    blobs.place(writer.path(), expected);
    blobs.sync();
    return writer.written();
}

}  // namespace sealift::mirror::store
