// Puts the daemon together from the server's public parts (its own listeners,
// routers and hooks rather than MirrorServer, so that the registry listener can
// have TLS and the pull-through wrapper), the import service and the admin API.
#include "mirror/daemon/daemon.hpp"

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <iostream>
#include <optional>

#include "core/error.hpp"
#include "mirror/daemon/admin_api.hpp"
#include "mirror/daemon/import_service.hpp"
#include "mirror/daemon/json_log.hpp"
#include "mirror/daemon/pull_through.hpp"
#include "mirror/daemon/scrubber.hpp"
#include "mirror/daemon/tls_transport.hpp"
#include "mirror/http/metrics.hpp"
#include "mirror/import/import.hpp"
#include "mirror/server/server.hpp"
#include "mirror/store/corrupt_blobs.hpp"
#include "mirror/store/store.hpp"
#include "trust/trust.hpp"

namespace sealift::mirror::daemon {

namespace fs = std::filesystem;
constexpr std::size_t admin_max_body = 64u << 10;  // above: 413

struct ImportCounters {
    std::atomic<std::uint64_t> imported{0}, already_imported{0}, rejected{0};
};

struct MirrorDaemon::Impl {
    DaemonConfig config;
    JsonLog log;
    std::shared_ptr<store::Store> store;
    std::optional<trust::TrustRoot> trust_root;
    std::shared_ptr<http::Metrics> metrics = std::make_shared<http::Metrics>();
    std::shared_ptr<ImportCounters> counters = std::make_shared<ImportCounters>();
    std::unique_ptr<ImportService> imports;
    std::shared_ptr<store::CorruptBlobs> corrupt;
    std::unique_ptr<Scrubber> scrubber;
    std::unique_ptr<http::HttpServer> http;
    bool has_admin = false;
    bool started = false, stopped = false;

    explicit Impl(DaemonConfig c) : config(std::move(c)), log(log_level_named(config.log_level)) {}

    std::string import_bundle(const fs::path& bundle) {
        mirror::StoreImportOptions o;
        o.bundle = bundle;
        o.store = config.store;
        o.quiet = true;
        try {
            auto report = mirror::import_to_store(o, trust_root ? &*trust_root : nullptr);
            (report.already_imported ? counters->already_imported : counters->imported)++;
            return report.name + " " + report.version + " (" + report.channel + ")" +
                   (report.already_imported ? ", already imported" : "");
        } catch (const Error&) {
            counters->rejected++;
            throw;  // the import service records and logs the reason
        }
    }

    void add_import_metrics() {
        metrics->add_collector([counters = counters](std::string& out) {
            out += "# HELP sealift_imports_total Bundle imports by verdict.\n# TYPE sealift_imports_total counter\n";
            out += "sealift_imports_total{verdict=\"imported\"} " + std::to_string(counters->imported.load()) + "\n";
            out += "sealift_imports_total{verdict=\"already_imported\"} " +
                   std::to_string(counters->already_imported.load()) + "\n";
            out += "sealift_imports_total{verdict=\"rejected\"} " + std::to_string(counters->rejected.load()) + "\n";
        });
    }

    void add_scrub_metrics() {
        metrics->add_collector([this](std::string& out) {
            http::append_metric(out, "sealift_scrub_passes_total", "counter", "Completed background scrub passes.",
                                scrubber->passes_completed());
            http::append_metric(out, "sealift_scrub_bytes_total", "counter",
                                "Bytes of blobs the background scrub read back.", scrubber->bytes_checked());
        });
    }

    void log_request(const http::RequestRecord& r) const {
        auto level = r.status >= 500 ? LogLevel::warn : LogLevel::info;
        if (!log.enabled(level)) return;
        log.write(level, "request",
                  {{"listener", std::string(r.listener)},
                   {"method", std::string(r.method)},
                   {"target", std::string(r.target)},
                   {"route", std::string(r.route)},
                   {"status", r.status},
                   {"bytes", r.body_bytes},
                   {"ms", std::chrono::duration<double, std::milli>(r.duration).count()},
                   {"peer", std::string(r.peer)},
                   {"completed", r.completed}});
    }

    Json status_extra() const {
        Json listeners = {{"registry", http->bound_address(0)}};
        if (has_admin) listeners["admin"] = http->bound_address(1);
        Json upstreams = Json::object();
        for (const auto& [host, up] : config.upstreams) upstreams[host] = up.url;
        return {{"listeners", listeners},
                {"drop_folder", config.drop_folder.string()},
                {"upstreams", upstreams},
                {"tls", !config.tls_cert.empty()}};
    }

    void build() {
        check_daemon_paths(config);
        if (config.create_store) store::create_store(config.store);
        store = store::Store::open(config.store);
        if (!config.trust_root.empty()) trust_root = trust::TrustRoot::load(config.trust_root);
        server::SnapshotSource snapshots = [s = store] { return s->snapshot(); };
        corrupt = std::make_shared<store::CorruptBlobs>(store->root());
        scrubber = std::make_unique<Scrubber>(
            store->root(), corrupt,
            ScrubOptions{config.scrub_interval, config.scrub_max_bytes_per_second, std::chrono::minutes(1)}, log);

        http::TransportFactory transport;
        if (!config.tls_cert.empty())
            transport = make_tls_transport_factory(config.tls_cert, config.tls_key, [this](const std::string& line) {
                log.write(LogLevel::warn, "plain_http_on_tls_port", {{"message", line}});
            });

        auto registry = std::make_shared<http::Router>();
        if (config.upstreams.empty())
            server::add_registry_routes(*registry, snapshots, config.default_registry, corrupt);
        else
            add_pull_through_routes(*registry, store, config, log, corrupt);
        server::add_health_routes(
            *registry, [snapshots] { return snapshots() != nullptr; }, metrics);
        server::add_store_metrics(*metrics, snapshots);
        server::add_corrupt_blob_metrics(*metrics, corrupt);
        add_import_metrics();
        add_scrub_metrics();

        imports = std::make_unique<ImportService>(
            ImportServiceOptions{config.drop_folder, config.import_folder, config.settle_time},
            [this](const fs::path& bundle) { return import_bundle(bundle); }, log);

        std::vector<http::ListenerConfig> listeners;
        listeners.push_back({"registry", config.listen, registry, transport});
        if (!config.admin_listen.empty()) {
            AdminContext admin;
            admin.token = read_admin_token(config.admin_token_file);
            admin.store = store;
            admin.imports = imports.get();
            admin.status_extra = [this] { return status_extra(); };
            // The admin API's requests are small JSON objects; the pull listener reads no body at all.
            listeners.push_back(
                {"admin", config.admin_listen, make_admin_router(std::move(admin)), transport, admin_max_body});
            has_admin = true;
        }

        http::ServerLimits limits;
        limits.threads = config.threads;
        limits.max_connections = config.max_connections;
        limits.idle_timeout = config.idle_timeout;
        limits.header_timeout = config.header_timeout;
        http::ServerHooks hooks;
        hooks.on_request = [this](const http::RequestRecord& r) {
            metrics->record(r);
            log_request(r);
        };
        hooks.on_error = [this](const std::string& message) {
            log.write(LogLevel::error, "server_error", {{"error", message}});
        };
        http = std::make_unique<http::HttpServer>(std::move(listeners), limits, std::move(hooks));
    }
};

MirrorDaemon::MirrorDaemon(DaemonConfig config) : impl_(std::make_unique<Impl>(std::move(config))) { impl_->build(); }

MirrorDaemon::~MirrorDaemon() { stop(); }

void MirrorDaemon::start() {
    impl_->http->start();
    impl_->imports->start();
    impl_->scrubber->start();
    impl_->started = true;
    impl_->log.write(LogLevel::info, "started", impl_->status_extra());
}

void MirrorDaemon::stop() {
    if (!impl_->started || impl_->stopped) return;
    impl_->stopped = true;
    // The import first, with the pull port still serving: stopping the listeners at
    // once would be an outage for the cluster for as long as a large import takes.
    // Bundles not started stay in the drop folder; then the server drains its requests.
    impl_->log.write(LogLevel::info, "stopping_imports");
    impl_->imports->stop();
    impl_->scrubber->stop();
    impl_->http->stop(std::chrono::duration_cast<std::chrono::milliseconds>(impl_->config.drain_timeout));
    impl_->http->wait();
    impl_->log.write(LogLevel::info, "stopped");
}

std::string MirrorDaemon::address() const { return impl_->http->bound_address(0); }

std::string MirrorDaemon::admin_address() const { return impl_->has_admin ? impl_->http->bound_address(1) : ""; }

int run_mirror_daemon(const DaemonConfig& config) {
    // Blocked before any thread starts, so only the sigwait below receives them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    MirrorDaemon daemon(config);
    daemon.start();
    std::cout << "registry " << daemon.address() << "\n";
    if (!daemon.admin_address().empty()) std::cout << "admin " << daemon.admin_address() << "\n";
    std::cout << std::flush;

    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    JsonLog(log_level_named(config.log_level))
        .write(LogLevel::info, "stopping", {{"signal", signal_number == SIGTERM ? "SIGTERM" : "SIGINT"}});
    daemon.stop();
    return 0;
}

}  // namespace sealift::mirror::daemon
