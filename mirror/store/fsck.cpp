#include "mirror/store/fsck.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>

#include "core/error.hpp"
#include "core/file.hpp"
#include "mirror/store/audit_log.hpp"
#include "mirror/store/blob_store.hpp"
#include "mirror/store/corrupt_blobs.hpp"
#include "mirror/store/store_state.hpp"

namespace sealift::mirror::store {
namespace fs = std::filesystem;

namespace {

struct References {
    std::map<Digest, std::vector<BlobReference>> by_blob;
    std::map<Digest, std::uint64_t> sizes;
    void add(const Digest& d, std::uint64_t size, const BlobReference& r) {
        by_blob[d].push_back(r);
        sizes.emplace(d, size);
    }
};

References collect_references(const StorePaths& paths, const State& state) {
    References out;
    RecordCache records;
    for (const auto& r : state.releases) {
        auto content = records.get(paths, r.manifest_digest);
        std::string release = r.name + " " + r.version + " (" + r.channel + ")";
        for (const auto& [name, repo] : content->repositories) {
            BlobReference ref{release, name, {}};
            for (const auto& a : content->artifacts)
                if (a.repository == name) ref.artifacts.push_back(a.kind + " " + a.source);
            for (const auto& [d, desc] : repo.manifests) out.add(d, desc.size, ref);
            for (const auto& [d, size] : repo.blobs) out.add(d, size, ref);
        }
    }
    for (const auto& c : state.cached) {
        BlobReference ref{"pull-through cache", c.repository, {"cached " + c.repository + ":" + c.reference}};
        out.add(c.manifest.digest, c.manifest.size, ref);
        for (const auto& [d, size] : c.blobs) out.add(d, size, ref);
    }
    return out;
}

std::vector<Digest> blob_names(const BlobStore& blobs) {
    std::vector<Digest> out;
    std::error_code ec;
    for (fs::directory_iterator it(blobs.dir(), ec), end; !ec && it != end; it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (Digest::valid("sha256:" + name)) out.push_back(Digest::from_hex(name));
    }
    if (ec) fail(Errc::io, blobs.dir().string() + ": cannot list the store's blobs: " + ec.message());
    std::sort(out.begin(), out.end());
    return out;
}

fs::path quarantine_dir(const fs::path& store) { return store / "quarantine"; }

// Flags the blob, then moves its bytes out of blobs/ (the flag first: a crash between
// leaves a flagged blob in place, which is refused all the same).
void quarantine(const fs::path& store, const BlobStore& blobs, CorruptBlobs& corrupt, FsckFinding& f) {
    auto to = quarantine_dir(store) / std::string(f.digest.hex());
    corrupt.flag(f.digest, "fsck",
                 "blob " + f.digest.str() + " hashes to " + f.actual->str() + " (" + std::to_string(f.size) +
                     " bytes); moved to " + to.string(),
                 Json{{"actualDigest", f.actual->str()}, {"size", f.size}, {"quarantine", to.string()}});
    if (::rename(blobs.path_of(f.digest).c_str(), to.c_str()) != 0)
        fail(Errc::io,
             blobs.path_of(f.digest).string() + ": cannot move to " + to.string() + ": " + std::strerror(errno));
    f.flagged = f.quarantined = true;
}

}  // namespace

FsckReport fsck(const fs::path& dir, const FsckOptions& o) {
    StorePaths paths(dir);
    if (!is_store(paths)) fail(Errc::io, dir.string() + ": not a Sealift store (no blobs/sha256 folder)");
    BlobStore blobs(dir);
    References refs = collect_references(paths, State::load(paths));
    auto describe = [&](FsckFinding& f) {
        if (auto it = refs.by_blob.find(f.digest); it != refs.by_blob.end()) f.referenced_by = it->second;
        if (auto it = refs.sizes.find(f.digest); it != refs.sizes.end()) f.recorded_size = it->second;
        f.flagged = flagged_corrupt(blobs.path_of(f.digest));
        std::error_code ec;
        f.quarantined = fs::exists(quarantine_dir(dir) / std::string(f.digest.hex()), ec);
    };

    FsckReport report;
    std::vector<Digest> flagged_but_sound;
    for (const auto& d : blob_names(blobs)) {
        auto check = check_blob(blobs, d);
        if (!check) continue;  // removed meanwhile (gc): the missing check below sees whether it mattered
        ++report.blobs_checked;
        report.bytes_checked += check->size;
        if (o.on_bytes) o.on_bytes(check->size);
        if (check->ok()) {
            if (flagged_corrupt(blobs.path_of(d))) flagged_but_sound.push_back(d);
            continue;
        }
        FsckFinding f{d, check->actual, check->size};
        describe(f);
        f.quarantined = false;  // these bytes are still under blobs/
        report.corrupt.push_back(std::move(f));
    }

    report.flagged_sound = flagged_but_sound;
    if (o.repair && (!report.corrupt.empty() || !flagged_but_sound.empty())) {
        StoreLock lock(paths);  // no import places a blob while this moves them
        CorruptBlobs corrupt(dir);
        fs::create_directories(quarantine_dir(dir));
        for (auto& f : report.corrupt) {
            auto again = check_blob(blobs, f.digest);  // an import may have replaced it meanwhile
            if (!again || again->ok()) continue;
            quarantine(dir, blobs, corrupt, f);
        }
        for (const auto& d : flagged_but_sound)
            if (auto again = check_blob(blobs, d); again && again->ok() && clear_corrupt_flag(blobs.path_of(d))) {
                report.flags_cleared.push_back(d);
                append_audit(paths,
                             AuditEvent{"fsck",
                                        "done",
                                        "blob " + d.str() + " was flagged corrupt and hashes right: flag cleared",
                                        {},
                                        "",
                                        "",
                                        "",
                                        {},
                                        Json{{"digest", d.str()}}});
            }
        blobs.sync();
        fsync_directory(quarantine_dir(dir));
    }

    auto reported = [&](const Digest& d) {
        return std::any_of(report.corrupt.begin(), report.corrupt.end(),
                           [&](const FsckFinding& f) { return f.digest == d; });
    };
    for (const auto& [d, list] : refs.by_blob) {
        if (blobs.size_of(d) || reported(d)) continue;  // a blob quarantined just now is reported as corrupt
        FsckFinding f{d};
        describe(f);
        report.missing.push_back(std::move(f));
    }
    return report;
}

}  // namespace sealift::mirror::store
