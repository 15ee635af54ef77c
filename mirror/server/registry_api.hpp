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

#include "core/json.hpp"
#include "manifests/oci.hpp"
#include "mirror/http/http_message.hpp"
#include "mirror/server/repository_resolver.hpp"
#include "mirror/server/server.hpp"
#include "mirror/store/store.hpp"

namespace sealift::mirror::server {

class RegistryApi {
public:
    // `corrupt`: where blobs found corrupt are flagged and refusals counted; null: refused all the same, unrecorded.
    RegistryApi(SnapshotSource snapshots, std::string default_registry,
                std::shared_ptr<store::CorruptBlobs> corrupt = nullptr);
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
    // Manifest bytes by digest (immutable), kept in memory up to a budget; checked against their digest.
    std::shared_ptr<const std::string> manifest_bytes(const store::Snapshot& snapshot, const manifests::Descriptor& d,
                                                      const std::string& name) const;
    // 404 for a blob or manifest ("blob", "manifest") flagged corrupt (store/corrupt_blobs.hpp).
    void refuse_if_flagged(const store::Snapshot& snapshot, const Digest& digest, const std::string& kind,
                           const std::string& name) const;
    // Flags what a read found corrupt, then answers 404.
    [[noreturn]] void found_corrupt(const store::Snapshot& snapshot, const Digest& digest, const std::string& kind,
                                    const std::string& name, const std::string& problem, Json details) const;

    SnapshotSource snapshots_;
    RepositoryResolver resolver_;
    std::shared_ptr<store::CorruptBlobs> corrupt_;
    mutable std::mutex cache_mutex_;
    mutable std::unordered_map<Digest, std::shared_ptr<const std::string>> manifest_cache_;
    mutable std::size_t cache_bytes_ = 0;
};

}  // namespace sealift::mirror::server
