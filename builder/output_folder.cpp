#include "builder/output_folder.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "core/error.hpp"
#include "core/interrupt_cleanup.hpp"
#include "core/text.hpp"
#include "manifests/bundle_manifest.hpp"

namespace sealift::builder {
namespace {

namespace fs = std::filesystem;

// "NAME.tmp-123" (AtomicFile) or "NAME.001.tmp-123" (a split part): only files this
// build itself would write, never another bundle's.
bool is_stale_temp_of(std::string_view file, const std::string& bundle_name) {
    if (file.size() <= bundle_name.size() + 1 || file.substr(0, bundle_name.size() + 1) != bundle_name + ".")
        return false;
    std::string_view rest = file.substr(bundle_name.size() + 1);
    if (rest.size() > 4 && rest[3] == '.' && all_digits(rest.substr(0, 3))) rest.remove_prefix(4);
    return rest.substr(0, 4) == "tmp-" && all_digits(rest.substr(4));
}

}  // namespace

OutputFolder::OutputFolder(const fs::path& dir, const std::string& bundle_name) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) fail(Errc::io, dir.string() + ": " + ec.message() + " (cannot create the output folder)");
    lock_path_ = dir / ("." + bundle_name + ".lock");
    // The holder removes the lock file when done: a lock taken on a file that was
    // removed meanwhile is no lock, so take it again on the file now there.
    for (;;) {
        int fd = ::open(lock_path_.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0) fail(Errc::io, lock_path_.string() + ": cannot open the build lock: " + std::strerror(errno));
        lock_ = File(fd, lock_path_.string());
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            if (errno == EWOULDBLOCK)
                fail(Errc::io, (dir / bundle_name).string() +
                                   ": another sealift build of this bundle is writing it now (it holds " +
                                   lock_path_.string() + ")");
            fail(Errc::io, lock_path_.string() + ": cannot lock: " + std::strerror(errno));
        }
        struct stat held {
        }, named{};
        if (::fstat(fd, &held) == 0 && ::stat(lock_path_.c_str(), &named) == 0 && held.st_ino == named.st_ino &&
            held.st_dev == named.st_dev)
            break;
    }
    remove_on_interrupt(lock_path_);
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (!entry.is_regular_file(ec) || !is_stale_temp_of(entry.path().filename().string(), bundle_name)) continue;
        if (fs::remove(entry.path(), ec)) removed_.push_back(entry.path());
    }
}

OutputFolder::~OutputFolder() {
    ::unlink(lock_path_.c_str());
    keep_on_interrupt(lock_path_);
}

OutputFolder::Existing OutputFolder::compare(const File& built, const std::vector<fs::path>& existing) {
    if (existing.empty()) return Existing::none;
    std::uint64_t existing_size = 0;
    std::vector<File> parts;
    for (const auto& path : existing) {
        parts.push_back(File::open_regular(path));
        existing_size += parts.back().size();
    }
    if (existing_size != built.size()) return Existing::different;
    std::vector<char> mine(1u << 20), theirs(1u << 20);
    std::uint64_t offset = 0;
    for (auto& part : parts) {
        for (std::uint64_t at = 0, size = part.size(); at < size;) {
            std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(size - at, mine.size()));
            part.pread_exact(theirs.data(), n, at);
            built.pread_exact(mine.data(), n, offset);
            if (std::memcmp(mine.data(), theirs.data(), n) != 0) return Existing::different;
            at += n;
            offset += n;
        }
    }
    return Existing::identical;
}

std::vector<fs::path> OutputFolder::existing_files(const fs::path& bundle, bool split) {
    std::vector<fs::path> found;
    std::error_code ec;
    if (!split) {
        if (fs::exists(fs::symlink_status(bundle, ec))) found.push_back(bundle);
        return found;
    }
    for (unsigned n = 1; n <= manifests::kMaxSplitParts; ++n) {
        fs::path part = manifests::split_part_name(bundle.string(), n);
        if (!fs::exists(fs::symlink_status(part, ec))) break;
        found.push_back(part);
    }
    return found;
}

}  // namespace sealift::builder
