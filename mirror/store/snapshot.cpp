#include "mirror/store/store.hpp"

#include <algorithm>

namespace sealift::mirror::store {
using manifests::Descriptor;

Snapshot::Snapshot(std::filesystem::path blobs_dir, Contents contents)
    : blobs_dir_(std::move(blobs_dir)),
      generation_(contents.generation),
      repositories_(std::move(contents.repositories)),
      releases_(std::move(contents.releases)) {
    for (const auto& [name, repo] : repositories_) repository_names_.push_back(name);
}

const Repository* Snapshot::repository(const std::string& name) const {
    auto it = repositories_.find(name);
    return it == repositories_.end() ? nullptr : &it->second;
}

std::vector<std::string> Snapshot::tags(const std::string& repository_name) const {
    std::vector<std::string> out;
    if (const auto* r = repository(repository_name))
        for (const auto& [tag, d] : r->tags) out.push_back(tag);
    return out;
}

std::optional<Descriptor> Snapshot::resolve(const std::string& repository_name, const std::string& reference) const {
    if (Digest::valid(reference)) return resolve_digest(repository_name, Digest::parse(reference));
    return resolve_tag(repository_name, reference);
}

std::optional<Descriptor> Snapshot::resolve_tag(const std::string& repository_name, const std::string& tag) const {
    const auto* r = repository(repository_name);
    if (!r) return std::nullopt;
    auto it = r->tags.find(tag);
    if (it == r->tags.end()) return std::nullopt;
    return it->second;
}

std::optional<Descriptor> Snapshot::resolve_digest(const std::string& repository_name, const Digest& digest) const {
    const auto* r = repository(repository_name);
    if (!r) return std::nullopt;
    auto it = r->manifests.find(digest);
    if (it == r->manifests.end()) return std::nullopt;
    return it->second;
}

std::optional<std::uint64_t> Snapshot::blob_size(const std::string& repository_name, const Digest& digest) const {
    const auto* r = repository(repository_name);
    if (!r) return std::nullopt;
    if (auto it = r->blobs.find(digest); it != r->blobs.end()) return it->second;
    if (auto it = r->manifests.find(digest); it != r->manifests.end()) return it->second.size;
    return std::nullopt;
}

std::vector<Descriptor> Snapshot::referrers(const std::string& repository_name, const Digest& subject,
                                            const std::string& artifact_type) const {
    std::vector<Descriptor> out;
    const auto* r = repository(repository_name);
    if (!r) return out;
    auto it = r->referrers.find(subject);
    if (it == r->referrers.end()) return out;
    for (const auto& d : it->second)
        if (artifact_type.empty() || d.artifact_type == artifact_type) out.push_back(d);
    return out;
}

std::filesystem::path Snapshot::blob_path(const Digest& digest) const { return blobs_dir_ / std::string(digest.hex()); }

}  // namespace sealift::mirror::store
