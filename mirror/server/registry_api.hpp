// The distribution spec's pull side over a store snapshot: /v2/, manifests and
// blobs (GET, HEAD, ranges), tags/list and _catalog with pagination, and the
// referrers API. Read-only: pushes and deletes are UNSUPPORTED. Private to
// mirror/server; server.hpp exposes it as add_registry_routes().
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "manifests/oci.hpp"
#include "mirror/http/http_message.hpp"
#include "mirror/server/repository_resolver.hpp"
#include "mirror/server/server.hpp"
#include "mirror/store/store.hpp"

namespace sealift::mirror::server {

class RegistryApi {
public:
    RegistryApi(SnapshotSource snapshots, std::string default_registry);
    void handle(const http::Request& request, http::Response& response) const;

private:
    void serve(const http::Request& request, http::Response& response) const;
    void catalog(const http::Request& request, http::Response& response, const store::Snapshot& snapshot) const;
    void tags(const http::Request& request, http::Response& response, const store::Snapshot& snapshot,
              const std::string& name, const std::string& key) const;
    void manifest(http::Response& response, const store::Snapshot& snapshot, const std::string& name,
                  const std::string& key, const std::string& reference, const http::Request& request) const;
    void blob(const http::Request& request, http::Response& response, const store::Snapshot& snapshot,
              const std::string& name, const std::string& key, const std::string& reference) const;
    void referrers(const http::Request& request, http::Response& response, const store::Snapshot& snapshot,
                   const std::string& key, const std::string& reference) const;
    // Manifest bytes by digest (immutable), kept in memory up to a budget.
    std::shared_ptr<const std::string> manifest_bytes(const store::Snapshot& snapshot,
                                                      const manifests::Descriptor& d) const;

    SnapshotSource snapshots_;
    RepositoryResolver resolver_;
    mutable std::mutex cache_mutex_;
    mutable std::unordered_map<Digest, std::shared_ptr<const std::string>> manifest_cache_;
    mutable std::size_t cache_bytes_ = 0;
};

}  // namespace sealift::mirror::server
