// SiteContent over one snapshot of the embedded store: what its state lists, and
// the blob files behind it, read from disk and hashed (a check of the store's own
// copy, which a damaged disk or a hand can change behind its back).
#include <algorithm>
#include <vector>

#include "core/file.hpp"
#include "manifests/oci.hpp"
#include "mirror/import/site_content.hpp"
#include "mirror/store/store.hpp"

namespace sealift::mirror {
namespace {

class StoreContent : public SiteContent {
public:
    explicit StoreContent(std::shared_ptr<const store::Snapshot> snapshot) : snap_(std::move(snapshot)) {}

    std::optional<Digest> resolve_tag(const std::string& repository, const std::string& tag) override {
        auto d = snap_->resolve_tag(repository, tag);
        if (!d) return std::nullopt;
        return d->digest;
    }

    bool has_manifest(const std::string& repository, const Digest& digest) override {
        return snap_->resolve_digest(repository, digest) && file_exists(digest);
    }

    bool has_blob(const std::string& repository, const Digest& digest) override {
        return snap_->blob_size(repository, digest) && file_exists(digest);
    }

    std::vector<Digest> referrers(const std::string& repository, const Digest& subject) override {
        std::vector<Digest> out;
        for (const auto& d : snap_->referrers(repository, subject)) out.push_back(d.digest);
        return out;  // the snapshot keeps them sorted by digest
    }

    void read_blob(const std::string& repository, const Digest& digest, std::uint64_t size, const Sink& sink) override {
        auto path = part_of(repository, digest);
        File f = File::open_regular(path);
        Sha256 hash;
        std::uint64_t read = 0;
        std::vector<char> buf(256 * 1024);
        for (std::size_t n; (n = f.read_some(buf.data(), buf.size())) > 0; read += n) {
            hash.update(buf.data(), n);
            if (sink) sink(buf.data(), n);
        }
        check(path, digest, hash.finish());
        if (read != size)
            fail(Errc::integrity,
                 "file " + path.string() + " is " + std::to_string(read) + " bytes, expected " + std::to_string(size));
    }

    std::string read_manifest(const std::string& repository, const Digest& digest) override {
        auto path = part_of(repository, digest);
        std::string bytes = read_small_file(path, manifests::max_manifest_size);
        check(path, digest, Sha256::of(bytes));
        return bytes;
    }

    std::string display_name(const std::string& repository) const override { return repository; }

    std::string why_absent(const std::string& repository, const Digest& digest) override {
        if (!snap_->blob_size(repository, digest)) return "not part of the repository in the store";
        if (!file_exists(digest)) return "file " + snap_->blob_path(digest).string() + " is missing";
        return "";
    }

    // The file's content changed: the store holds something else under the blob's name.
    std::string failed_read_state(const Error& e) const override {
        return e.code() == Errc::integrity ? "different" : "unreadable";
    }

private:
    bool file_exists(const Digest& digest) const {
        std::error_code ec;
        return std::filesystem::exists(snap_->blob_path(digest), ec);
    }

    // The blob's file, for a blob or manifest the repository holds; its path is meaningless otherwise.
    std::filesystem::path part_of(const std::string& repository, const Digest& digest) const {
        if (!snap_->blob_size(repository, digest))
            fail(Errc::io, repository + "@" + digest.str() + ": not part of the repository in the store");
        return snap_->blob_path(digest);
    }

    static void check(const std::filesystem::path& path, const Digest& expected, const Digest& got) {
        if (got != expected) fail(Errc::integrity, "file " + path.string() + " has digest " + got.str());
    }

    std::shared_ptr<const store::Snapshot> snap_;
};

}  // namespace

std::unique_ptr<SiteContent> store_content(std::shared_ptr<const store::Snapshot> snapshot) {
    return std::make_unique<StoreContent>(std::move(snapshot));
}

}  // namespace sealift::mirror
