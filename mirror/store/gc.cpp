#include <algorithm>
#include <set>

#include "core/error.hpp"
#include "manifests/semver.hpp"
#include "mirror/store/audit_log.hpp"
#include "mirror/store/blob_store.hpp"
#include "mirror/store/store.hpp"
#include "mirror/store/store_state.hpp"

namespace sealift::mirror::store {
namespace fs = std::filesystem;

namespace {

// Per (name, channel): the newest `keep` versions and the current one stay.
std::vector<ReleaseEntry> drop_old_releases(State& state, unsigned keep) {
    std::map<std::string, std::vector<const ReleaseEntry*>> groups;
    for (const auto& r : state.releases) groups[State::channel_key(r.name, r.channel)].push_back(&r);
    std::set<Digest> dropped_digests;
    for (auto& [key, list] : groups) {
        std::sort(list.begin(), list.end(), [](const ReleaseEntry* a, const ReleaseEntry* b) {
            return manifests::SemVer::parse(b->version) < manifests::SemVer::parse(a->version);
        });
        auto current = state.current.find(key);
        for (std::size_t i = keep; i < list.size(); ++i)
            if (current == state.current.end() || current->second != list[i]->manifest_digest)
                dropped_digests.insert(list[i]->manifest_digest);
    }
    std::vector<ReleaseEntry> dropped;
    std::erase_if(state.releases, [&](const ReleaseEntry& r) {
        if (!dropped_digests.count(r.manifest_digest)) return false;
        dropped.push_back(r);
        return true;
    });
    return dropped;
}

std::set<Digest> referenced_blobs(const Snapshot::Contents& contents) {
    std::set<Digest> out;
    for (const auto& [name, repo] : contents.repositories) {
        for (const auto& [d, desc] : repo.manifests) out.insert(d);
        for (const auto& [d, size] : repo.blobs) out.insert(d);
    }
    return out;
}

// Temporary files of atomic writes a killed process left beside the state and records.
std::uint64_t remove_stray_temp_files(const StorePaths& paths) {
    std::uint64_t removed = 0;
    for (const auto& dir : {paths.root, paths.releases(), paths.root / "trust"})
        for (const auto& e : fs::directory_iterator(dir))
            if (e.path().filename().string().find(".tmp-") != std::string::npos && fs::remove(e.path())) ++removed;
    return removed;
}

// Release records the committed state does not list: the ones this gc dropped,
// and any an import or a gc killed between writing the record and committing,
// or between committing and removing it, left behind. Run under the store's
// lock, so no import is between writing its record and its commit.
void remove_unlisted_records(const StorePaths& paths, const State& state) {
    for (const auto& e : fs::directory_iterator(paths.releases())) {
        if (e.path().extension() != ".json" || !Digest::valid("sha256:" + e.path().stem().string())) continue;
        if (!state.find(Digest::from_hex(e.path().stem().string()))) fs::remove(e.path());
    }
}

}  // namespace

GcReport gc(const fs::path& dir, const GcOptions& o) {
    StorePaths paths(dir);
    require_store(dir);
    BlobStore blobs(dir);
    TimePoint now = o.now.value_or(now_seconds());
    GcReport report;
    StoreLock lock(paths);  // no import commits, no other gc, while this runs
    report.temp_files_removed = blobs.clean_abandoned_staging() + remove_stray_temp_files(paths);
    State state = State::load(paths);
    report.releases_dropped = [&] {
        std::vector<ReleaseRecord> out;
        for (const auto& r : drop_old_releases(state, o.keep))
            out.push_back({r.name, r.version, r.channel, r.manifest_digest, r.imported_at, r.signer_keyids, false});
        return out;
    }();
    RecordCache records;
    auto referenced = referenced_blobs(compose_contents(paths, state, records));

    // Two phases: a blob first seen unreferenced is marked; a later gc deletes it
    // once the grace period passed and it is still unreferenced, so a pull that
    // resolved a manifest just before has that long to fetch its blobs.
    std::vector<Digest> to_delete;
    std::erase_if(state.gc_marks, [&](const auto& mark) { return referenced.count(mark.first) > 0; });
    for (const auto& e : fs::directory_iterator(blobs.dir())) {
        auto name = e.path().filename().string();
        if (!Digest::valid("sha256:" + name)) continue;
        Digest d = Digest::from_hex(name);
        if (referenced.count(d)) continue;
        auto mark = state.gc_marks.find(d);
        if (mark == state.gc_marks.end()) {
            state.gc_marks[d] = format_time(now);
            ++report.blobs_marked;
        } else if (now - parse_time(mark->second) >= o.grace) {
            to_delete.push_back(d);
            state.gc_marks.erase(mark);
        }
    }
    state.commit(paths);
    for (const auto& d : to_delete) {
        report.bytes_deleted += blobs.remove(d);
        ++report.blobs_deleted;
    }
    if (!to_delete.empty()) blobs.sync();
    remove_unlisted_records(paths, state);

    Json dropped = Json::array();
    for (const auto& r : report.releases_dropped) dropped.push_back(r.name + " " + r.version + " (" + r.channel + ")");
    AuditEvent audit{"gc",
                     "done",
                     "keep " + std::to_string(o.keep) + ", grace " + std::to_string(o.grace.count()) + "s",
                     {},
                     "",
                     "",
                     "",
                     {},
                     Json{{"releasesDropped", dropped},
                          {"blobsMarked", report.blobs_marked},
                          {"blobsDeleted", report.blobs_deleted},
                          {"bytesDeleted", report.bytes_deleted}}};
    append_audit(paths, audit);
    return report;
}

}  // namespace sealift::mirror::store
