// Shared by the registry client tests: options for a test registry, blob
// content, a tiny OCI image, and the fault-injecting proxy.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "core/digest.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "core/stream.hpp"
#include "registry/registry_client.hpp"
#include "support/registry_server.hpp"
#include "support/support.hpp"

namespace sealift::test {

// An Error with this code, whose message starts with `prefix` and contains each of `parts`.
class ErrorMatcher : public Catch::MatcherBase<Error> {
public:
    ErrorMatcher(Errc code, std::string prefix, std::vector<std::string> parts)
        : code_(code), prefix_(std::move(prefix)), parts_(std::move(parts)) {}
    bool match(const Error& e) const override {
        std::string_view what = e.what();
        if (e.code() != code_ || !what.starts_with(prefix_)) return false;
        for (const auto& p : parts_)
            if (what.find(p) == std::string_view::npos) return false;
        return true;
    }
    std::string describe() const override {
        std::string d = std::string("is a ") + errc_name(code_) + " error starting with \"" + prefix_ + "\"";
        for (const auto& p : parts_) d += " containing \"" + p + "\"";
        return d;
    }

private:
    Errc code_;
    std::string prefix_;
    std::vector<std::string> parts_;
};

inline ErrorMatcher IsError(Errc code, std::string prefix, std::vector<std::string> parts = {}) {
    return ErrorMatcher(code, std::move(prefix), std::move(parts));
}

inline registry::RegistryOptions options_for(const RegistryServer& server, bool with_credentials = true) {
    registry::RegistryOptions o;
    o.host = server.host();
    o.plain_http = true;
    if (with_credentials) o.credentials = {server.username(), server.password()};
    o.max_retries = 3;
    o.initial_backoff = std::chrono::milliseconds(10);
    return o;
}

// Blobs above `chunk` bytes go up in PATCHes of that size.
inline registry::RegistryOptions chunked(registry::RegistryOptions o, std::uint64_t chunk) {
    o.chunk_size = chunk;
    o.monolithic_limit = chunk;
    return o;
}

// Deterministic bytes that do not compress into anything a registry could special-case.
inline std::string blob_bytes(std::size_t size, std::uint64_t seed) {
    std::mt19937_64 random(seed);
    std::string out(size, '\0');
    for (std::size_t i = 0; i < size; i += 8) {
        std::uint64_t v = random();
        for (std::size_t j = 0; j < 8 && i + j < size; ++j) out[i + j] = static_cast<char>(v >> (8 * j));
    }
    return out;
}

inline Digest push_bytes(registry::RegistryClient& client, const std::string& repo, const std::string& bytes) {
    Digest digest = Sha256::of(bytes);
    MemorySource source(bytes);
    client.upload_blob(repo, digest, bytes.size(), source);
    return digest;
}

inline std::string read_back(registry::RegistryClient& client, const std::string& repo, const Digest& digest,
                             std::uint64_t size) {
    std::string out;
    client.read_blob(repo, digest, size, [&](const char* data, std::size_t n) { out.append(data, n); });
    return out;
}

struct TestImage {
    std::string manifest;
    Digest digest;
    static constexpr const char* media_type = "application/vnd.oci.image.manifest.v1+json";
};

// Pushes a config and one layer, then the manifest under `tag`.
inline TestImage push_image(registry::RegistryClient& client, const std::string& repo, const std::string& tag,
                            std::uint64_t seed = 1) {
    std::string layer = blob_bytes(3000, seed);
    Digest layer_digest = push_bytes(client, repo, layer);
    Json config = {{"architecture", "amd64"},
                   {"os", "linux"},
                   {"config", Json::object()},
                   {"rootfs", {{"type", "layers"}, {"diff_ids", {layer_digest.str()}}}}};
    std::string config_bytes = config.dump();
    Digest config_digest = push_bytes(client, repo, config_bytes);
    Json manifest = {{"schemaVersion", 2},
                     {"mediaType", TestImage::media_type},
                     {"config",
                      {{"mediaType", "application/vnd.oci.image.config.v1+json"},
                       {"digest", config_digest.str()},
                       {"size", config_bytes.size()}}},
                     {"layers",
                      {{{"mediaType", "application/vnd.oci.image.layer.v1.tar"},
                        {"digest", layer_digest.str()},
                        {"size", layer.size()}}}}};
    TestImage image{manifest.dump(2), {}};
    image.digest = client.put_manifest(repo, tag, TestImage::media_type, image.manifest).digest;
    return image;
}

// Upload sessions the registry still keeps for `repo` (distribution's filesystem
// layout: a cancelled session loses its data and startedat, its hash states stay).
inline std::size_t open_uploads(const RegistryServer& server, const std::string& repo) {
    auto dir = server.storage() / "docker/registry/v2/repositories" / repo / "_uploads";
    std::error_code ec;
    if (!std::filesystem::exists(dir, ec)) return 0;
    std::size_t n = 0;
    for (const auto& session : std::filesystem::directory_iterator(dir))
        if (std::filesystem::exists(session.path() / "startedat")) ++n;
    return n;
}

// tests/registry/fault-proxy.mjs in front of `server`, with its injection rules.
class FaultProxy {
public:
    FaultProxy(const RegistryServer& server, const std::string& rules_json) {
        auto port_file = temp_ / "port";
        auto script = source_dir() / "tests" / "registry" / "fault-proxy.mjs";
        process_ = std::make_unique<ChildProcess>(
            std::vector<std::string>{"node", script.string(), "--target=" + server.host(), "--rules=" + rules_json,
                                     "--log=" + (temp_ / "requests.log").string(), "--port-file=" + port_file.string()},
            temp_ / "proxy.log");
        for (int i = 0; i < 750 && !std::filesystem::exists(port_file); ++i) {
            if (!process_->running()) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        if (!std::filesystem::exists(port_file))
            throw std::runtime_error("fault proxy did not start: " + read_text(temp_ / "proxy.log"));
        host_ = "127.0.0.1:" + read_text(port_file);
    }
    const std::string& host() const { return host_; }
    // "METHOD path" per request it saw.
    std::string requests() const { return read_text(temp_ / "requests.log"); }

private:
    TempDir temp_;
    std::unique_ptr<ChildProcess> process_;
    std::string host_;
};

}  // namespace sealift::test
