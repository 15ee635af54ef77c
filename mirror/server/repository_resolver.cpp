#include "mirror/server/repository_resolver.hpp"

#include "manifests/reference.hpp"
#include "mirror/server/registry_error.hpp"

namespace sealift::mirror::server {

std::shared_ptr<const RepositoryResolver::Index> RepositoryResolver::index_for(
    const std::shared_ptr<const store::Snapshot>& snapshot) const {
    std::lock_guard lock(mutex_);
    if (indexed_ != snapshot) {
        auto index = std::make_shared<Index>();
        for (const auto& key : snapshot->repositories()) {
            auto slash = key.find('/');
            if (slash == std::string::npos) continue;
            std::string host = key.substr(0, slash);
            if (!manifests::looks_like_registry_host(host)) continue;
            index->hosts.insert(host);
            index->hosts_by_path[key.substr(slash + 1)].push_back(host);
        }
        indexed_ = snapshot;
        index_ = std::move(index);
    }
    return index_;
}

std::string RepositoryResolver::resolve(const std::shared_ptr<const store::Snapshot>& snapshot, const std::string& name,
                                        const std::string& ns) const {
    // A key that exists answers without the index (and its lock): the common case.
    if (!ns.empty()) {
        std::string key = ns + "/" + name;
        if (manifests::looks_like_registry_host(ns) && snapshot->repository(key)) return key;
        if (!index_for(snapshot)->hosts.count(ns))
            throw RegistryError{404,
                                "NAME_UNKNOWN",
                                "namespace '" + ns + "' is not mirrored here (repository '" + name +
                                    "'); this mirror never contacts the hosts clients name",
                                {{"namespace", ns}, {"name", name}}};
        throw RegistryError{404,
                            "NAME_UNKNOWN",
                            "repository '" + name + "' of namespace '" + ns + "' is not known",
                            {{"namespace", ns}, {"name", name}}};
    }
    if (!default_registry_.empty()) {
        std::string key = default_registry_ + "/" + name;
        if (snapshot->repository(key)) return key;
    }
    auto index = index_for(snapshot);
    if (auto it = index->hosts_by_path.find(name); it != index->hosts_by_path.end()) {
        if (it->second.size() == 1) return it->second.front() + "/" + name;
        if (!snapshot->repository(name)) {
            std::string hosts;
            for (const auto& h : it->second) hosts += (hosts.empty() ? "" : ", ") + h;
            throw RegistryError{404,
                                "NAME_UNKNOWN",
                                "repository '" + name + "' is held under several registries (" + hosts +
                                    "): ask with ?ns=HOST or as HOST/" + name,
                                {{"name", name}}};
        }
    }
    if (snapshot->repository(name)) return name;
    throw RegistryError{404, "NAME_UNKNOWN", "repository '" + name + "' is not known to this mirror", {{"name", name}}};
}

}  // namespace sealift::mirror::server
