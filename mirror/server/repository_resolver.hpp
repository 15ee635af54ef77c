// Maps what a client asks for onto a stored repository key (the original
// name, host included: "registry.example.com/platform/api"):
//   ?ns=HOST (containerd's hosts.toml)  -> HOST/<name>; unknown HOST is 404
//   no ns                               -> DEFAULT/<name>, else the one host holding
//                                          <name>, else <name> as a key itself
//                                          ("registry.example.com/platform/api", "charts/x")
// It never contacts a host a client names.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "mirror/store/store.hpp"

namespace sealift::mirror::server {

class RepositoryResolver {
public:
    explicit RepositoryResolver(std::string default_registry) : default_registry_(std::move(default_registry)) {}

    // The stored key for `name` (already grammar-checked) and `ns` ("" or lower-cased,
    // grammar-checked); throws RegistryError NAME_UNKNOWN naming what was tried.
    std::string resolve(const std::shared_ptr<const store::Snapshot>& snapshot, const std::string& name,
                        const std::string& ns) const;

private:
    // Per snapshot: which hosts hold a path, and which hosts exist at all.
    struct Index {
        std::map<std::string, std::vector<std::string>> hosts_by_path;
        std::set<std::string> hosts;
    };
    std::shared_ptr<const Index> index_for(const std::shared_ptr<const store::Snapshot>& snapshot) const;

    std::string default_registry_;
    mutable std::mutex mutex_;
    mutable std::shared_ptr<const store::Snapshot> indexed_;
    mutable std::shared_ptr<const Index> index_;
};

}  // namespace sealift::mirror::server
