#include "mirror/store/corrupt_blobs.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "core/error.hpp"
#include "core/file.hpp"
#include "core/time.hpp"
#include "mirror/store/audit_log.hpp"
#include "mirror/store/store_state.hpp"

namespace sealift::mirror::store {
namespace fs = std::filesystem;

std::optional<BlobCheck> check_blob(const BlobStore& blobs, const Digest& digest,
                                    const std::function<bool(std::size_t)>& pace) {
    File f;
    try {
        f = File::open_regular(blobs.path_of(digest));
    } catch (const Error&) {
        if (!blobs.size_of(digest)) return std::nullopt;  // gone (gc, quarantine) meanwhile
        throw;
    }
    struct stat st {};
    if (::fstat(f.fd(), &st) != 0) fail(Errc::io, f.path() + ": cannot stat: " + std::strerror(errno));
    BlobCheck check{digest, {}, 0, st.st_ino};
    Sha256 hash;
    std::vector<char> buf(256 * 1024);
    for (std::size_t n; (n = f.read_some(buf.data(), buf.size())) > 0;) {
        hash.update(buf.data(), n);
        check.size += n;
        if (pace && !pace(n)) return std::nullopt;
    }
    check.actual = hash.finish();
    return check;
}

bool still_same_file(const BlobStore& blobs, const BlobCheck& check) {
    struct stat st {};
    return ::lstat(blobs.path_of(check.digest).c_str(), &st) == 0 && st.st_ino == check.inode;
}

fs::path corrupt_flag_path(const fs::path& blob_path) { return fs::path(blob_path.string() + ".corrupt"); }

bool flagged_corrupt(const fs::path& blob_path) {
    struct stat st {};
    return ::lstat(corrupt_flag_path(blob_path).c_str(), &st) == 0 || errno != ENOENT;
}

Json corrupt_flag_record(const fs::path& blob_path) {
    try {
        Json j = parse_json_strict(read_small_file(corrupt_flag_path(blob_path), 64 * 1024),
                                   corrupt_flag_path(blob_path).string());
        if (j.is_object()) return j;
    } catch (const Error&) {}
    return Json::object();
}

bool clear_corrupt_flag(const fs::path& blob_path) {
    auto flag = corrupt_flag_path(blob_path);
    if (::unlink(flag.c_str()) == 0) return true;
    if (errno != ENOENT)
        fail(Errc::io, flag.string() + ": cannot remove the corrupt-blob flag: " + std::strerror(errno));
    return false;
}

CorruptBlobs::CorruptBlobs(fs::path store_root) : root_(std::move(store_root)), blobs_(root_) {}

bool CorruptBlobs::flag(const Digest& digest, const std::string& found_by, const std::string& reason, Json details) {
    auto blob = blobs_.path_of(digest);
    {
        std::lock_guard lock(mutex_);
        struct stat st {};
        if (::lstat(corrupt_flag_path(blob).c_str(), &st) == 0) return false;
        Json record = {{"digest", digest.str()},
                       {"flagged", format_time(now_seconds())},
                       {"foundBy", found_by},
                       {"reason", reason}};
        for (const auto& [k, v] : details.items()) record[k] = v;
        write_file_atomically(corrupt_flag_path(blob), dump_json_safe(record, 1) + "\n");
    }
    ++found_;
    details["digest"] = digest.str();
    details["foundBy"] = found_by;
    append_audit(StorePaths(root_), AuditEvent{"corrupt-blob", "flagged", reason, {}, "", "", "", {}, details});
    return true;
}

void CorruptBlobs::refused(const Digest& digest, const std::string& request) {
    ++refusals_;
    {
        std::lock_guard lock(mutex_);
        if (!refusals_audited_.insert(digest).second) return;
    }
    append_audit(StorePaths(root_), AuditEvent{"serve",
                                               "refused",
                                               "blob " + digest.str() +
                                                   " is flagged corrupt; answered 404 (later refusals are counted in "
                                                   "sealift_corrupt_blob_refusals_total, not logged)",
                                               {},
                                               "",
                                               "",
                                               "",
                                               {},
                                               Json{{"digest", digest.str()}, {"request", request}}});
}

}  // namespace sealift::mirror::store
