#include <algorithm>

#include "core/error.hpp"
#include "core/file.hpp"
#include "manifests/semver.hpp"
#include "mirror/store/store_state.hpp"

namespace sealift::mirror::store {
using manifests::Descriptor;

std::shared_ptr<const ReleaseContent> RecordCache::get(const StorePaths& paths, const Digest& manifest) {
    if (auto it = records_.find(manifest); it != records_.end()) return it->second;
    auto path = paths.release_record(manifest);
    auto content = std::make_shared<const ReleaseContent>(
        ReleaseContent::from_json(parse_json_strict(read_small_file(path), path.string()), path.string()));
    records_.emplace(manifest, content);
    return content;
}

namespace {

void add_referrer(std::vector<Descriptor>& list, const Descriptor& d) {
    auto at = std::lower_bound(list.begin(), list.end(), d.digest,
                               [](const Descriptor& x, const Digest& y) { return x.digest < y; });
    if (at == list.end() || at->digest != d.digest) list.insert(at, d);
}

void merge(Repository& into, const Repository& from) {
    for (const auto& [tag, d] : from.tags) into.tags[tag] = d;
    for (const auto& [digest, d] : from.manifests) into.manifests.emplace(digest, d);
    for (const auto& [digest, size] : from.blobs) into.blobs.emplace(digest, size);
    for (const auto& [subject, list] : from.referrers)
        for (const auto& d : list) add_referrer(into.referrers[subject], d);
}

}  // namespace

Snapshot::Contents compose_contents(const StorePaths& paths, const State& state, RecordCache& records) {
    Snapshot::Contents out;
    out.generation = state.generation;
    for (const auto& c : state.cached) {
        Repository& repo = out.repositories[c.repository];
        repo.manifests.emplace(c.manifest.digest, c.manifest);
        if (!Digest::valid(c.reference)) repo.tags[c.reference] = c.manifest;
        for (const auto& [digest, size] : c.blobs) repo.blobs.emplace(digest, size);
    }
    std::vector<const ReleaseEntry*> order;
    for (const auto& r : state.releases) order.push_back(&r);
    auto is_current = [&](const ReleaseEntry* r) {
        auto it = state.current.find(State::channel_key(r->name, r->channel));
        return it != state.current.end() && it->second == r->manifest_digest;
    };
    std::stable_sort(order.begin(), order.end(), [&](const ReleaseEntry* a, const ReleaseEntry* b) {
        bool ca = is_current(a), cb = is_current(b);
        return ca != cb ? cb : a->sequence < b->sequence;
    });
    for (const auto* r : order) {
        auto content = records.get(paths, r->manifest_digest);
        for (const auto& [name, repo] : content->repositories) merge(out.repositories[name], repo);
        out.releases.push_back(
            {r->name, r->version, r->channel, r->manifest_digest, r->imported_at, r->signer_keyids, is_current(r)});
    }
    std::sort(out.releases.begin(), out.releases.end(), [](const ReleaseRecord& a, const ReleaseRecord& b) {
        if (a.name != b.name) return a.name < b.name;
        if (a.channel != b.channel) return a.channel < b.channel;
        return manifests::SemVer::parse(a.version) < manifests::SemVer::parse(b.version);
    });
    return out;
}

}  // namespace sealift::mirror::store
