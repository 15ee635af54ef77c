// Shared by the server tests: a store snapshot made by code (blobs written
// under their digests, repositories filled by hand), the registry served from
// it in-process on 127.0.0.1:0, and curl to talk to it.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "core/digest.hpp"
#include "core/json.hpp"
#include "manifests/oci.hpp"
#include "mirror/server/server.hpp"
#include "support/support.hpp"

namespace sealift::test {

class SnapshotBuilder {
public:
    SnapshotBuilder() { std::filesystem::create_directories(dir_ / "blobs"); }

    Digest blob(const std::string& repository, const std::string& content) {
        Digest d = write(content);
        contents_.repositories[repository].blobs[d] = content.size();
        return d;
    }
    // A manifest under `tag` ("" for digest only); returns its descriptor.
    manifests::Descriptor manifest(const std::string& repository, const std::string& tag, const std::string& media_type,
                                   const std::string& content) {
        manifests::Descriptor d{media_type, write(content), content.size()};
        auto& repo = contents_.repositories[repository];
        repo.manifests[d.digest] = d;
        if (!tag.empty()) repo.tags[tag] = d;
        return d;
    }
    void referrer(const std::string& repository, const Digest& subject, manifests::Descriptor d) {
        contents_.repositories[repository].referrers[subject].push_back(std::move(d));
    }
    std::shared_ptr<const mirror::store::Snapshot> build() {
        return std::make_shared<const mirror::store::Snapshot>(dir_ / "blobs", contents_);
    }
    std::filesystem::path blob_path(const Digest& d) const { return dir_.path() / "blobs" / std::string(d.hex()); }

private:
    Digest write(const std::string& content) {
        Digest d = Sha256::of(content);
        write_text(blob_path(d), content);
        return d;
    }
    TempDir dir_;
    mirror::store::Snapshot::Contents contents_;
};

// The registry routes (and health routes) over a fixed snapshot, in-process.
class ServedSnapshot {
public:
    explicit ServedSnapshot(std::shared_ptr<const mirror::store::Snapshot> snapshot, std::string default_registry = "",
                            mirror::http::ServerLimits limits = {})
        : snapshot_(std::move(snapshot)), metrics_(std::make_shared<mirror::http::Metrics>()) {
        auto router = std::make_shared<mirror::http::Router>();
        mirror::server::SnapshotSource source = [this] { return snapshot_; };
        mirror::server::add_registry_routes(*router, source, std::move(default_registry));
        mirror::server::add_health_routes(
            *router, [] { return true; }, metrics_);
        mirror::http::ServerHooks hooks;
        hooks.on_request = [m = metrics_](const mirror::http::RequestRecord& r) { m->record(r); };
        if (limits.threads == 0) limits.threads = 2;
        server_ = std::make_unique<mirror::http::HttpServer>(
            std::vector<mirror::http::ListenerConfig>{{"registry", "127.0.0.1:0", router, {}}}, limits, hooks);
        server_->start();
    }
    std::string base() const { return "http://" + server_->bound_address(0); }
    std::string address() const { return server_->bound_address(0); }
    int port() const { return server_->bound_port(0); }
    mirror::http::HttpServer& http() { return *server_; }
    mirror::http::Metrics& metrics() { return *metrics_; }

private:
    std::shared_ptr<const mirror::store::Snapshot> snapshot_;
    std::shared_ptr<mirror::http::Metrics> metrics_;
    std::unique_ptr<mirror::http::HttpServer> server_;
};

struct HttpAnswer {
    int status = 0;
    std::map<std::string, std::string> headers;  // lower-case names, last value wins
    std::string body;
    std::string header(const std::string& lower) const {
        auto it = headers.find(lower);
        return it == headers.end() ? "" : it->second;
    }
    Json json() const { return parse_json_strict(body, "response body"); }
};

// curl with `options` (e.g. "-I", "-H 'Range: bytes=0-1'") on `url`; the last response's head and body.
inline HttpAnswer curl(const std::string& url, const std::string& options = "") {
    TempDir dir;
    auto r = run("curl -s -g -o '" + (dir / "body").string() + "' -D '" + (dir / "head").string() + "' " + options +
                 " '" + url + "'");
    HttpAnswer a;
    std::string head = read_text(dir / "head");
    std::istringstream lines(head);
    std::string line;
    while (std::getline(lines, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.starts_with("HTTP/")) {
            a.status = std::stoi(line.substr(line.find(' ') + 1, 3));
            a.headers.clear();
        } else if (auto colon = line.find(':'); colon != std::string::npos) {
            std::string name = line.substr(0, colon);
            for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            a.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
        }
    }
    // With -I curl writes the head where the body would go: a HEAD answer has no body to show.
    if (std::filesystem::exists(dir / "body") && options.find("-I") == std::string::npos)
        a.body = read_text(dir / "body");
    INFO("curl " << options << " " << url << " exit " << r.exit_code << " " << r.err);
    REQUIRE(a.status != 0);
    return a;
}

// A blocking client socket with a receive timeout.
class RawClient {
public:
    explicit RawClient(int port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<std::uint16_t>(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        timeval tv{5, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    ~RawClient() { ::close(fd_); }
    // False when the server has closed the connection.
    bool try_send(const std::string& bytes) {
        return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
    }
    void send(const std::string& bytes) {
        REQUIRE(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size()));
    }
    // Reads until `marker` has been seen `count` times, the peer closes, or the timeout.
    std::string read_until(const std::string& marker, int count = 1) {
        std::string out;
        char buf[4096];
        for (;;) {
            int seen = 0;
            for (auto p = out.find(marker); p != std::string::npos; p = out.find(marker, p + 1)) ++seen;
            if (seen >= count) return out;
            ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
            if (n <= 0) return out;
            out.append(buf, static_cast<std::size_t>(n));
        }
    }
    // True when the server closed the connection (recv returns 0 or a reset).
    bool closed_by_peer() {
        char c;
        ssize_t n = ::recv(fd_, &c, 1, 0);
        return n == 0 || (n < 0 && errno == ECONNRESET);
    }
    // True when the server closed the connection in order (a FIN, not a reset, which
    // may make the client drop an answer it has not read yet).
    bool closed_cleanly() {
        char c;
        return ::recv(fd_, &c, 1, 0) == 0;
    }
    // Reads until the peer closes (or the timeout); `reset`: it ended with a reset, not a FIN.
    std::string read_to_close(bool& reset) {
        std::string out;
        char buf[4096];
        for (;;) {
            ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
            if (n <= 0) {
                reset = n < 0 && errno == ECONNRESET;
                return out;
            }
            out.append(buf, static_cast<std::size_t>(n));
        }
    }

private:
    int fd_ = -1;
};

// The spec's error code of an error answer.
inline std::string error_code(const HttpAnswer& a) { return a.json()["errors"][0]["code"].get<std::string>(); }
inline std::string error_message(const HttpAnswer& a) { return a.json()["errors"][0]["message"].get<std::string>(); }

}  // namespace sealift::test
