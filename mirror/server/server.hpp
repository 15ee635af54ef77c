// The embedded registry server (`sealift mirror serve`): the distribution
// spec's pull side over a store, as a containerd / CRI-O mirror, with
// /healthz, /readyz and /metrics. The daemon builds on it: more listeners
// (admin API) each with its own router, TLS through a TransportFactory, its
// own metrics collectors, and stop() for SIGTERM.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "mirror/server/http_server.hpp"
#include "mirror/server/metrics.hpp"
#include "mirror/server/router.hpp"
#include "mirror/store/store.hpp"

namespace sealift::mirror::server {

// The snapshot to serve a request from; null while no store is open.
using SnapshotSource = std::function<std::shared_ptr<const store::Snapshot>()>;

// The registry API under /v2/. `default_registry`: the host tried first for a
// path without host ("registry.example.com"), may be empty.
void add_registry_routes(Router& router, SnapshotSource snapshots, std::string default_registry);

// GET /healthz (the process answers), /readyz (`ready()`), /metrics.
void add_health_routes(Router& router, std::function<bool()> ready, std::shared_ptr<const Metrics> metrics);

// Appends the store's size (blobs and bytes referenced by its repositories) to a scrape.
void add_store_metrics(Metrics& metrics, SnapshotSource snapshots);

struct MirrorServerOptions {
    std::string listen = "127.0.0.1:5000";
    std::filesystem::path store;      // opened, or created empty when missing
    std::string default_registry;     // see add_registry_routes
    ServerLimits limits;
    std::vector<ListenerConfig> extra_listeners;  // e.g. the daemon's admin API
    std::function<void(const RequestRecord&)> on_request;  // besides the metrics (access logs)
    std::function<void(const std::string&)> on_error;      // default: stderr
};

class MirrorServer {
public:
    // Opens the store and binds every listener; throws sealift::Error naming the
    // folder or address. The registry listener is listener 0.
    explicit MirrorServer(MirrorServerOptions options);

    std::string address() const { return http_->bound_address(0); }
    int port() const { return http_->bound_port(0); }
    HttpServer& http() { return *http_; }
    Metrics& metrics() { return *metrics_; }
    const std::shared_ptr<store::Store>& store() const { return store_; }

    void start() { http_->start(); }
    void stop(std::chrono::milliseconds drain = std::chrono::seconds(10)) { http_->stop(drain); }
    void wait() { http_->wait(); }

private:
    std::shared_ptr<store::Store> store_;
    std::shared_ptr<Metrics> metrics_;
    std::unique_ptr<HttpServer> http_;
};

}  // namespace sealift::mirror::server
