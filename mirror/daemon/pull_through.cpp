#include "mirror/daemon/pull_through.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "core/digest.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "core/json.hpp"
#include "core/stream.hpp"
#include "core/text.hpp"
#include "manifests/reference.hpp"
#include "mirror/server/server.hpp"
#include "registry/registry_client.hpp"

namespace sealift::mirror::daemon {
namespace {

using http::Request;
using http::Response;

// What a request asks of an upstream: the registry host, the repository there,
// the store key it is cached under, and the manifest or blob reference.
struct UpstreamTarget {
    std::string host, repository, key, kind, reference;
};

std::shared_ptr<registry::RegistryClient> make_client(const UpstreamConfig& up) {
    registry::RegistryOptions o;
    o.host = up.url.substr(up.url.find("://") + 3);
    o.plain_http = up.url.rfind("http://", 0) == 0;
    o.ca_file = up.ca_file;
    o.credentials.username = up.username;
    if (!up.password_file.empty()) {
        std::string text = read_small_file(up.password_file, 4096);
        o.credentials.password = text.substr(0, text.find('\n'));
    }
    // A client waits for this answer: one retry, not the importer's patient backoff.
    o.max_retries = 1;
    return std::make_shared<registry::RegistryClient>(o);
}

// The spec's error answer for a blob a cached manifest names but the upstream could not deliver.
void blob_unknown(Response& response, const UpstreamTarget& t, const std::string& why) {
    response = Response{};
    response.route = "blobs";
    response.status = 404;
    response.set_header("Docker-Distribution-API-Version", "registry/2.0");
    Json entry = {{"code", "BLOB_UNKNOWN"},
                  {"message", "blob " + t.reference + " of '" + t.key + "' is not cached and upstream " + t.host +
                                  " did not deliver it: " + why},
                  {"detail", {{"digest", t.reference}}}};
    response.set_body(dump_json_safe(Json{{"errors", Json::array({entry})}}), "application/json");
}

class PullThrough : public std::enable_shared_from_this<PullThrough> {
public:
    PullThrough(std::shared_ptr<store::Store> store, const DaemonConfig& config, const JsonLog& log,
                std::shared_ptr<store::CorruptBlobs> corrupt)
        : store_(std::move(store)), default_registry_(config.default_registry), log_(log) {
        server::add_registry_routes(
            inner_, [s = store_] { return s->snapshot(); }, config.default_registry, std::move(corrupt));
        for (const auto& [host, up] : config.upstreams) clients_[host] = make_client(up);
    }

    // What the store has is served at once; a miss is fetched on a deferred
    // thread, so the event loop serves other clients while the upstream answers.
    void handle(const Request& request, Response& response) const {
        auto target = (request.method == "GET" || request.method == "HEAD") ? target_of(request) : std::nullopt;
        if (!target) return inner_.dispatch(request, response);
        std::optional<std::uint64_t> blob_size;
        if (target->kind == "blobs") {
            blob_size = missing_size(*target);
            if (!blob_size) return inner_.dispatch(request, response);
        } else {
            inner_.dispatch(request, response);
            if (response.status != 404) return;
        }
        response.deferred = [self = shared_from_this(), request, t = *target, blob_size](Response& r) {
            self->fetch_and_serve(request, t, blob_size, r);
        };
    }

private:
    // Null when the request is not for a manifest or blob of a configured upstream.
    std::optional<UpstreamTarget> target_of(const Request& request) const {
        const std::string& path = request.path;
        if (path.rfind("/v2/", 0) != 0) return std::nullopt;
        UpstreamTarget t;
        std::string name;
        for (const char* kind : {"manifests", "blobs"}) {
            auto at = path.rfind(std::string("/") + kind + "/");
            if (at == std::string::npos || at < 4) continue;
            name = path.substr(4, at - 4);
            t.kind = kind;
            t.reference = path.substr(at + std::string(kind).size() + 2);
            break;
        }
        if (name.empty() || t.reference.empty() || t.reference.find('/') != std::string::npos) return std::nullopt;
        // Only a tag or digest the upstream could hold is asked for; the store's 404 answers the rest.
        bool digest = t.reference.find(':') != std::string::npos;
        if (digest ? !Digest::valid(t.reference) : (t.kind == "blobs" || !manifests::valid_tag(t.reference)))
            return std::nullopt;
        std::string ns = ascii_lowercase(request.query_param("ns").value_or(""));
        auto first = name.substr(0, name.find('/'));
        if (!ns.empty()) {
            t.host = ns;
            t.repository = name;
        } else if (name.find('/') != std::string::npos && clients_.count(first)) {
            t.host = first;
            t.repository = name.substr(first.size() + 1);
        } else {
            t.host = default_registry_;
            t.repository = name;
        }
        if (!clients_.count(t.host)) return std::nullopt;
        // Docker Hub keeps official images under library/.
        if (t.host == "docker.io" && t.repository.find('/') == std::string::npos)
            t.repository = "library/" + t.repository;
        t.key = t.host + "/" + t.repository;
        return t;
    }

    // `blob_size`: for a blob, its size as missing_size() found it when the request came.
    void fetch_and_serve(const Request& request, const UpstreamTarget& t, std::optional<std::uint64_t> blob_size,
                         Response& response) const {
        try {
            if (t.kind == "blobs")
                fetch_blob_if_missing(t, *blob_size);
            else if (!fetch_manifest(t))
                return;  // the upstream has none either: the store's 404 stands
        } catch (const Error& e) {
            log_.write(
                LogLevel::warn, "pull_through_failed",
                {{"upstream", t.host}, {"repository", t.repository}, {"reference", t.reference}, {"error", e.what()}});
            if (t.kind == "blobs") blob_unknown(response, t, e.what());
            return;  // for a manifest, the store's own 404 is already in the response
        }
        response = Response{};
        inner_.dispatch(request, response);
    }

    // The size of a blob a cached manifest of the repository names but the store
    // does not hold; nullopt when it is there, or unknown here (the store's 404).
    std::optional<std::uint64_t> missing_size(const UpstreamTarget& t) const {
        if (!Digest::valid(t.reference)) return std::nullopt;
        Digest digest = Digest::parse(t.reference);
        auto snapshot = store_->snapshot();
        auto size = snapshot->blob_size(t.key, digest);
        if (!size || on_disk(*snapshot, digest)) return std::nullopt;
        return size;
    }

    // A copy flagged corrupt counts as missing: fetched again, it replaces the bad one.
    static bool on_disk(const store::Snapshot& s, const Digest& digest) {
        std::error_code ec;
        return std::filesystem::exists(s.blob_path(digest), ec) && !store::flagged_corrupt(s.blob_path(digest));
    }

    // One fetch per key at a time: later callers wait for the first, then find the content there.
    std::shared_ptr<std::mutex> flight(const std::string& key) const {
        std::lock_guard lock(flights_mutex_);
        auto& m = flights_[key];
        if (!m) m = std::make_shared<std::mutex>();
        return m;
    }
    void land(const std::string& key) const {
        std::lock_guard lock(flights_mutex_);
        auto it = flights_.find(key);
        if (it != flights_.end() && it->second.use_count() == 1) flights_.erase(it);
    }

    bool fetch_manifest(const UpstreamTarget& t) const {
        std::string flight_key = t.key + "@" + t.reference;
        bool fetched = false;
        {
            auto in_flight = flight(flight_key);
            std::lock_guard lock(*in_flight);
            if (store_->refresh()->resolve(t.key, t.reference)) return true;  // another request brought it
            std::string bytes;
            // The client hashes the bytes and refuses them when a digest reference or the
            // upstream's Docker-Content-Digest says otherwise: info->digest is theirs.
            auto info = clients_.at(t.host)->get_manifest(t.repository, t.reference, bytes);
            if (info) {
                MemorySource source(std::move(bytes));
                store_->ingest_blob(source, info->digest, info->size, true);
                store_->record_cached_manifest(t.key, t.reference, info->digest, info->media_type);
                store_->refresh();
                log_.write(LogLevel::info, "pull_through_cached",
                           {{"upstream", t.host},
                            {"repository", t.key},
                            {"reference", t.reference},
                            {"digest", info->digest.str()},
                            {"bytes", info->size}});
                fetched = true;
            }
        }
        land(flight_key);
        return fetched;
    }

    // Another request may have fetched it since missing_size() was asked: checked again under the flight lock.
    void fetch_blob_if_missing(const UpstreamTarget& t, std::uint64_t size) const {
        Digest digest = Digest::parse(t.reference);
        {
            auto in_flight = flight(digest.str());
            std::lock_guard lock(*in_flight);
            if (!on_disk(*store_->snapshot(), digest)) {
                // The stream checks digest and size and fails its last read on a mismatch.
                auto source = registry::RegistryClient::open_blob(clients_.at(t.host), t.repository, digest, size);
                store_->ingest_blob(*source, digest, size, true);
                log_.write(LogLevel::info, "pull_through_cached",
                           {{"upstream", t.host}, {"repository", t.key}, {"digest", digest.str()}, {"bytes", size}});
            }
        }
        land(digest.str());
    }

    std::shared_ptr<store::Store> store_;
    std::string default_registry_;
    const JsonLog& log_;
    http::Router inner_;
    std::map<std::string, std::shared_ptr<registry::RegistryClient>> clients_;
    mutable std::mutex flights_mutex_;
    mutable std::map<std::string, std::shared_ptr<std::mutex>> flights_;
};

}  // namespace

void add_pull_through_routes(http::Router& router, std::shared_ptr<store::Store> store, const DaemonConfig& config,
                             const JsonLog& log, std::shared_ptr<store::CorruptBlobs> corrupt) {
    auto pull = std::make_shared<const PullThrough>(std::move(store), config, log, std::move(corrupt));
    auto handler = [pull](const Request& request, Response& response) { pull->handle(request, response); };
    router.add_prefix("/v2/", "registry", handler);
    router.add_prefix("/v2", "registry", handler);
}

}  // namespace sealift::mirror::daemon
