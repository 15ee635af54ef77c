// The embedded registry server (`sealift mirror serve`): the distribution
// spec's pull side over a store, as a containerd / CRI-O mirror, with
// /healthz, /readyz and /metrics. The daemon builds its own server from the
// same parts: more listeners (admin API) each with its own router, TLS through
// a TransportFactory, its own metrics collectors.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "mirror/http/http_server.hpp"
#include "mirror/http/metrics.hpp"
#include "mirror/http/router.hpp"
#include "mirror/store/store.hpp"

namespace sealift::mirror::store {
class CorruptBlobs;
}

namespace sealift::mirror::server {

// The snapshot to serve a request from; null while no store is open.
using SnapshotSource = std::function<std::shared_ptr<const store::Snapshot>()>;

// The registry API under /v2/. `default_registry`: the host tried first for a
// path without host ("registry.example.com"), may be empty. Blobs and manifests
// flagged corrupt are answered 404; `corrupt`, when given, records what the
// server finds corrupt (flag, audit line) and counts refusals.
void add_registry_routes(http::Router& router, SnapshotSource snapshots, std::string default_registry,
                         std::shared_ptr<store::CorruptBlobs> corrupt = nullptr);

// GET /healthz (the process answers), /readyz (`ready()`), /metrics.
void add_health_routes(http::Router& router, std::function<bool()> ready, std::shared_ptr<const http::Metrics> metrics);

// Appends the store's size (blobs and bytes referenced by its repositories) to a scrape.
void add_store_metrics(http::Metrics& metrics, SnapshotSource snapshots);
// Corrupt blobs this process found (server, scrubber) and the requests it refused for them.
void add_corrupt_blob_metrics(http::Metrics& metrics, std::shared_ptr<const store::CorruptBlobs> corrupt);

struct MirrorServerOptions {
    std::string listen = "127.0.0.1:5000";
    std::filesystem::path store;   // opened, or created empty when missing
    std::string default_registry;  // see add_registry_routes
    http::ServerLimits limits;
};

class MirrorServer {
public:
    // Opens the store and binds the listener; throws sealift::Error naming the
    // folder or address.
    explicit MirrorServer(const MirrorServerOptions& options);

    std::string address() const { return http_->bound_address(0); }

    void start() { http_->start(); }
    void stop(std::chrono::milliseconds drain = std::chrono::seconds(10)) { http_->stop(drain); }
    void wait() { http_->wait(); }

private:
    std::unique_ptr<http::HttpServer> http_;
};

}  // namespace sealift::mirror::server
