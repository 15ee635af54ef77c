// A client for the OCI distribution API (push and pull), over libcurl: what
// the builder pulls with, the importers push with and preflight reads back with.
//
// Every call names the registry, repository and digest or tag in its errors,
// with the HTTP status and the registry's error code when there is one.
// Calls are thread-safe: one client serves several upload workers.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/digest.hpp"
#include "core/stream.hpp"

namespace sealift::registry {

struct Credentials {
    std::string username, password;  // empty: anonymous
};

// Where credentials come from, in this order: explicit, environment
// (SEALIFT_REGISTRY_USERNAME / SEALIFT_REGISTRY_PASSWORD), then the `auths` of
// a Docker config.json ($DOCKER_CONFIG/config.json or ~/.docker/config.json).
Credentials resolve_credentials(const std::string& registry_host, const std::optional<Credentials>& explicit_creds);

struct RegistryOptions {
    std::string host;               // "registry.example.com:5000" or "127.0.0.1:5000"
    bool plain_http = false;        // only when asked for
    std::filesystem::path ca_file;  // extra CA bundle; empty: system CAs
    std::filesystem::path client_cert, client_key;
    Credentials credentials;   // anonymous when empty
    unsigned max_retries = 5;  // on 429, 5xx and dropped connections, with backoff
    std::chrono::milliseconds initial_backoff{200};
    std::uint64_t chunk_size = 8u << 20;        // PATCH chunk for large blobs; raised to OCI-Chunk-Min-Length
    std::uint64_t monolithic_limit = 8u << 20;  // blobs up to this go in one PUT
};

// Who makes sure the bytes an upload sends are the blob's. `hash`: the upload
// hashes them on the way out. `source_verified`: the source checks them itself
// and ends only once they matched, failing its read() otherwise (the
// verifier's pipe, a download from open_blob), so they are not hashed twice.
// Either way nothing is committed before the source has ended.
enum class BlobCheck { hash, source_verified };

struct ManifestInfo {
    Digest digest;
    std::string media_type;
    std::uint64_t size = 0;
};

struct PutManifestResult {
    Digest digest;         // Docker-Content-Digest, checked against the bytes sent
    bool subject_indexed;  // the registry answered OCI-Subject (it maintains referrers itself)
};

class RegistryClient {
public:
    explicit RegistryClient(RegistryOptions options);
    ~RegistryClient();

    const std::string& host() const;
    // GET /v2/: reachability and credentials.
    void ping();

    // HEAD /v2/<repo>/blobs/<digest>: present? And with what size (its Content-Length;
    // nullopt when absent, Errc::registry when the registry does not say)?
    bool blob_exists(const std::string& repo, const Digest& digest);
    std::optional<std::uint64_t> blob_size(const std::string& repo, const Digest& digest);
    // POST ?mount=&from=: true when the registry mounted it (201), false if it would not.
    bool mount_blob(const std::string& repo, const Digest& digest, const std::string& from_repo);
    // Uploads `size` bytes read once from `source` (which may be a pipe fed by
    // the bundle stream): one PUT up to monolithic_limit, else chunked PATCHes.
    // The chunk in flight stays in memory until the registry acknowledges it, so
    // a dropped connection or a 5xx resumes from the registry's Range instead of
    // restarting. Memory: at most one chunk (or one monolithic blob) per call.
    void upload_blob(const std::string& repo, const Digest& digest, std::uint64_t size, ByteSource& source,
                     BlobCheck check = BlobCheck::hash);
    // Uploads `bytes` as blob `digest` unless the repository has it already.
    void ensure_blob(const std::string& repo, const Digest& digest, std::string bytes,
                     BlobCheck check = BlobCheck::hash);
    // Streams a blob to `sink`, checking its digest and size; Errc::integrity when they differ.
    void read_blob(const std::string& repo, const Digest& digest, std::uint64_t size,
                   const std::function<void(const char*, std::size_t)>& sink = {});
    // The same as a pull stream (a reader thread feeds a small pipe), for
    // consumers that read at their own pace: a failure, digest mismatch
    // included, surfaces from read() before the last byte is delivered. The
    // stream needs this client while it lives; the static form keeps `client` alive.
    std::unique_ptr<ByteSource> open_blob(const std::string& repo, const Digest& digest, std::uint64_t size);
    static std::unique_ptr<ByteSource> open_blob(std::shared_ptr<RegistryClient> client, const std::string& repo,
                                                 const Digest& digest, std::uint64_t size);

    // PUT /v2/<repo>/manifests/<reference> with the exact bytes.
    PutManifestResult put_manifest(const std::string& repo, const std::string& reference, const std::string& media_type,
                                   const std::string& bytes);
    // HEAD; nullopt on 404.
    std::optional<ManifestInfo> head_manifest(const std::string& repo, const std::string& reference);
    // GET with the usual Accept list; nullopt on 404. `bytes` receives the exact body.
    std::optional<ManifestInfo> get_manifest(const std::string& repo, const std::string& reference, std::string& bytes);
    // DELETE by digest (tests use it to simulate a damaged mirror).
    void delete_manifest(const std::string& repo, const Digest& digest);

    std::vector<std::string> list_tags(const std::string& repo);
    // GET /v2/_catalog, every page: the registry's repositories, sorted.
    std::vector<std::string> catalog();
    // GET /v2/<repo>/referrers/<digest>; nullopt when the registry has no referrers API (404).
    std::optional<std::string> referrers(const std::string& repo, const Digest& digest);
    // The referrers of `subject` as an OCI image index: the referrers API's answer, else the index
    // under the referrers tag schema's fallback tag; nullopt when neither exists.
    std::optional<std::string> referrer_index(const std::string& repo, const Digest& subject);

    // Counters for reports and tests (whole client lifetime).
    struct Stats {
        std::uint64_t blobs_uploaded = 0, blobs_skipped = 0, blobs_mounted = 0, bytes_uploaded = 0, retries = 0,
                      requests = 0;
    };
    Stats stats() const;

private:
    // HEAD of a blob: nullopt when absent, else its Content-Length ("" when not given).
    std::optional<std::string> head_blob(const std::string& repo, const Digest& digest);

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The referrers tag schema's fallback tag for a subject: "sha256-<hex>".
std::string referrers_fallback_tag(const Digest& subject);

}  // namespace sealift::registry
