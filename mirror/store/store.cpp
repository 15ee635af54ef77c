#include "mirror/store/store.hpp"

#include <sys/stat.h>

#include <mutex>

#include "core/error.hpp"
#include "core/file.hpp"
#include "manifests/oci.hpp"
#include "mirror/store/blob_store.hpp"
#include "mirror/store/store_state.hpp"

namespace sealift::mirror::store {
namespace fs = std::filesystem;

struct Store::Impl {
    explicit Impl(const fs::path& root) : paths(root), blobs(root) {}

    // The state file's identity: a commit renames a new file into place.
    struct Identity {
        ino_t inode = 0;
        off_t size = 0;
        long long mtime_ns = 0;
        bool operator==(const Identity&) const = default;
    };
    Identity identity() const {
        struct stat st {};
        if (::stat(paths.state().c_str(), &st) != 0) return {};
        return {st.st_ino, st.st_size, static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec};
    }

    std::shared_ptr<const Snapshot> reload_if_changed() {
        Identity now = identity();
        if (current && now == seen) return current;
        // Read until the state is stable: a commit between stat and read shows up as a new identity.
        for (;;) {
            std::optional<Snapshot::Contents> contents;
            try {
                contents = compose_contents(paths, State::load(paths), records);
            } catch (const Error&) {
                // A gc that committed meanwhile may have removed a record the state we read listed.
                if (identity() == now) throw;
            }
            Identity after = identity();
            if (contents && (after == now || after == Identity{})) {
                current = std::make_shared<const Snapshot>(blobs.dir(), std::move(*contents));
                seen = now;
                return current;
            }
            now = after;
        }
    }

    StorePaths paths;
    BlobStore blobs;
    std::mutex mutex;  // guards what follows
    std::shared_ptr<const Snapshot> current;
    Identity seen;
    std::chrono::steady_clock::time_point last_check;
    RecordCache records;
    std::optional<Staging> cache_staging;
};

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

bool is_store_folder(const fs::path& root) { return is_store(StorePaths(root)); }

void require_store(const fs::path& root) {
    if (!is_store_folder(root))
        fail(Errc::io, root.string() + ": not a Sealift store (create one with `sealift mirror init --store " +
                           root.string() + "`)");
}

void check_store_creatable(const fs::path& root) {
    if (is_store_folder(root)) return;
    std::error_code ec;
    auto status = fs::status(root, ec);
    if (fs::exists(status)) {
        if (!fs::is_directory(status)) fail(Errc::io, root.string() + ": not a folder; a store is a folder");
        // Empty, or holding only the layout's folders an interrupted creation made.
        bool empty = true;
        for (const auto& e : fs::directory_iterator(root, ec)) {
            auto name = e.path().filename().string();
            std::error_code type_ec;
            bool layout = (name == "blobs" || name == "tmp" || name == "releases" || name == "trust") &&
                          e.is_directory(type_ec) && !e.is_symlink(type_ec);
            empty = empty && layout;
        }
        if (ec) fail(Errc::io, root.string() + ": cannot list the folder: " + ec.message());
        if (!empty)
            fail(Errc::io, root.string() +
                               ": holds files but is not a Sealift store; a store is created in a missing or empty "
                               "folder only");
    }
}

bool create_store(const fs::path& root) {
    if (is_store_folder(root)) return false;
    check_store_creatable(root);
    create_layout(StorePaths(root));
    return true;
}

std::shared_ptr<Store> Store::open(const fs::path& root) {
    require_store(root);
    return std::shared_ptr<Store>(new Store(std::make_unique<Impl>(root)));
}

const fs::path& Store::root() const { return impl_->paths.root; }

std::shared_ptr<const Snapshot> Store::snapshot(std::chrono::milliseconds recheck) {
    std::lock_guard lock(impl_->mutex);
    auto now = std::chrono::steady_clock::now();
    if (impl_->current && now - impl_->last_check < recheck) return impl_->current;
    impl_->last_check = now;
    return impl_->reload_if_changed();
}

std::shared_ptr<const Snapshot> Store::refresh() { return snapshot(std::chrono::milliseconds(0)); }

std::uint64_t Store::ingest_blob(ByteSource& source, const Digest& expected, std::optional<std::uint64_t> expected_size,
                                 bool source_verified) {
    Staging* staging;
    {
        std::lock_guard lock(impl_->mutex);
        if (!impl_->cache_staging) impl_->cache_staging.emplace(impl_->blobs);
        staging = &*impl_->cache_staging;
    }
    return ingest(impl_->blobs, *staging, source, expected, expected_size, !source_verified);
}

void Store::record_cached_manifest(const std::string& repository, const std::string& reference, const Digest& digest,
                                   const std::string& media_type) {
    auto size = impl_->blobs.size_of(digest);
    if (!size)
        fail(Errc::internal,
             repository + "@" + digest.str() + ": cached manifest recorded before its bytes were ingested");
    std::string bytes = read_small_file(impl_->blobs.path_of(digest), manifests::max_manifest_size);
    CachedManifest cached{repository, reference, {media_type, digest, *size, {}, {}}, {}};
    auto parsed = manifests::parse_manifest_or_index(bytes, media_type, repository + "@" + digest.str());
    if (auto* m = std::get_if<manifests::ImageManifest>(&parsed)) {
        cached.manifest.artifact_type = m->artifact_type;
        cached.blobs[m->config.digest] = m->config.size;
        for (const auto& l : m->layers) cached.blobs[l.digest] = l.size;
    } else {
        for (const auto& c : std::get<manifests::ImageIndex>(parsed).manifests) cached.blobs[c.digest] = c.size;
    }
    StoreLock lock(impl_->paths);
    State state = State::load(impl_->paths);
    std::erase_if(state.cached,
                  [&](const CachedManifest& c) { return c.repository == repository && c.reference == reference; });
    state.cached.push_back(std::move(cached));
    state.commit(impl_->paths);
}

}  // namespace sealift::mirror::store
