// Blobs the store knows are corrupt: the bytes under blobs/sha256/<hex> no
// longer hash to <hex> (a damaged disk, a hand). A flag file beside the blob,
// blobs/sha256/<hex>.corrupt (a JSON record: when, who found it, what was
// found), marks it; fsck --repair also moves the bytes to STORE/quarantine/.
// While a blob is flagged the server answers 404 for it, an import rewrites it
// from a bundle carrying it, the pull-through cache fetches it again and the
// inventory does not offer it to the vendor. Placing a verified copy
// (BlobStore::place) clears the flag. Flags need no store lock: a flag file
// appears or goes by one rename or unlink.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "core/digest.hpp"
#include "core/json.hpp"
#include "mirror/store/blob_store.hpp"

namespace sealift::mirror::store {

// What reading one blob file back found.
struct BlobCheck {
    Digest digest;  // its name
    Digest actual;  // what its bytes hash to
    std::uint64_t size = 0;
    ino_t inode = 0;  // the file that was read (to flag it only if it is still the one under the name)
    bool ok() const { return actual == digest; }
};

// Reads the blob back through a fixed buffer. `pace` is called after each chunk
// with its size (the scrubber's rate limit) and may stop the read by returning
// false. nullopt when the file is absent, or when `pace` stopped the read.
std::optional<BlobCheck> check_blob(const BlobStore& blobs, const Digest& digest,
                                    const std::function<bool(std::size_t)>& pace = {});
// True when the file under the blob's name is still the one `check` read.
bool still_same_file(const BlobStore& blobs, const BlobCheck& check);

std::filesystem::path corrupt_flag_path(const std::filesystem::path& blob_path);  // "<blob path>.corrupt"
// Whether the blob at `blob_path` is flagged (one stat; a stat error counts as flagged:
// a blob whose flag cannot be read is not served).
bool flagged_corrupt(const std::filesystem::path& blob_path);
// The flag's record; an empty object when absent or unreadable.
Json corrupt_flag_record(const std::filesystem::path& blob_path);
// Removes the flag; true when there was one.
bool clear_corrupt_flag(const std::filesystem::path& blob_path);

// Flags and refusals of one process, with the audit lines and the counts its metrics show. Thread-safe.
class CorruptBlobs {
public:
    explicit CorruptBlobs(std::filesystem::path store_root);

    // Flags the blob (once) and writes the audit line; true when it was not flagged before.
    // `found_by`: "fsck", "scrub", "serve"; `reason`: what was found, one line.
    bool flag(const Digest& digest, const std::string& found_by, const std::string& reason,
              Json details = Json::object());
    // A flagged blob was asked for and refused: counted; the first refusal of each
    // digest by this process is written to the audit log, not every retry of a client.
    void refused(const Digest& digest, const std::string& request);

    std::uint64_t found() const { return found_; }
    std::uint64_t refusals() const { return refusals_; }
    const std::filesystem::path& root() const { return root_; }

private:
    std::filesystem::path root_;
    BlobStore blobs_;
    std::atomic<std::uint64_t> found_{0}, refusals_{0};
    std::mutex mutex_;
    std::set<Digest> refusals_audited_;
};

}  // namespace sealift::mirror::store
