#include "mirror/server/server.hpp"

#include <set>

#include "mirror/http/metrics.hpp"
#include "mirror/server/registry_api.hpp"
#include "mirror/store/corrupt_blobs.hpp"

namespace sealift::mirror::server {

void add_registry_routes(http::Router& router, SnapshotSource snapshots, std::string default_registry,
                         std::shared_ptr<store::CorruptBlobs> corrupt) {
    auto api =
        std::make_shared<const RegistryApi>(std::move(snapshots), std::move(default_registry), std::move(corrupt));
    auto handler = [api](const http::Request& request, http::Response& response) { api->handle(request, response); };
    router.add_prefix("/v2/", "registry", handler);
    router.add_prefix("/v2", "registry", handler);  // "/v2" itself; longer prefixes win
}

void add_health_routes(http::Router& router, std::function<bool()> ready,
                       std::shared_ptr<const http::Metrics> metrics) {
    router.add("GET", "/healthz", "healthz", [](const http::Request&, http::Response& response) {
        response.set_body("ok\n", "text/plain; charset=utf-8");
    });
    router.add("GET", "/readyz", "readyz", [ready = std::move(ready)](const http::Request&, http::Response& response) {
        bool ok = ready();
        response.status = ok ? 200 : 503;
        response.set_body(ok ? "ready\n" : "not ready: the store is not open\n", "text/plain; charset=utf-8");
    });
    router.add("GET", "/metrics", "metrics",
               [metrics = std::move(metrics)](const http::Request&, http::Response& response) {
                   response.set_body(metrics->render(), "text/plain; version=0.0.4; charset=utf-8");
               });
}

void add_store_metrics(http::Metrics& metrics, SnapshotSource snapshots) {
    metrics.add_collector([snapshots = std::move(snapshots)](std::string& out) {
        auto snapshot = snapshots();
        if (!snapshot) return;
        std::set<Digest> seen;
        std::uint64_t bytes = 0;
        for (const auto& name : snapshot->repositories()) {
            const auto* repo = snapshot->repository(name);
            for (const auto& [digest, d] : repo->manifests)
                if (seen.insert(digest).second) bytes += d.size;
            for (const auto& [digest, size] : repo->blobs)
                if (seen.insert(digest).second) bytes += size;
        }
        http::append_metric(out, "sealift_store_blobs", "gauge",
                            "Distinct blobs (manifests included) the store's repositories reference.", seen.size());
        http::append_metric(out, "sealift_store_bytes", "gauge", "Bytes of those blobs.", bytes);
        http::append_metric(out, "sealift_store_repositories", "gauge", "Repositories in the store.",
                            snapshot->repositories().size());
        http::append_metric(out, "sealift_store_generation", "gauge", "The store state's generation being served.",
                            snapshot->generation());
    });
}

void add_corrupt_blob_metrics(http::Metrics& metrics, std::shared_ptr<const store::CorruptBlobs> corrupt) {
    metrics.add_collector([corrupt = std::move(corrupt)](std::string& out) {
        http::append_metric(out, "sealift_corrupt_blobs_found_total", "counter",
                            "Blobs this process found corrupt (serving, scrubbing) and flagged.", corrupt->found());
        http::append_metric(out, "sealift_corrupt_blob_refusals_total", "counter",
                            "Requests answered 404 because the blob is flagged corrupt.", corrupt->refusals());
    });
}

MirrorServer::MirrorServer(const MirrorServerOptions& options) {
    auto store = store::Store::open(options.store);
    auto metrics = std::make_shared<http::Metrics>();
    SnapshotSource snapshots = [store] { return store->snapshot(); };
    auto router = std::make_shared<http::Router>();
    auto corrupt = std::make_shared<store::CorruptBlobs>(store->root());
    add_registry_routes(*router, snapshots, options.default_registry, corrupt);
    add_health_routes(
        *router, [snapshots] { return snapshots() != nullptr; }, metrics);
    add_store_metrics(*metrics, snapshots);
    add_corrupt_blob_metrics(*metrics, corrupt);
    http::ServerHooks hooks;
    hooks.on_request = [metrics](const http::RequestRecord& r) { metrics->record(r); };
    http_ = std::make_unique<http::HttpServer>(
        std::vector<http::ListenerConfig>{{"registry", options.listen, router, {}}}, options.limits, std::move(hooks));
}

}  // namespace sealift::mirror::server
