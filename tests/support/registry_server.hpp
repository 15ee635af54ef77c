// A real registry for tests: Debian's docker-registry (distribution 2.8) on
// 127.0.0.1 with a free port and throw-away storage, without auth, with
// htpasswd (bcrypt) Basic auth, or with token auth from a small node issuer
// (token-issuer.mjs) whose ES256 JWTs carry an x5c chain the registry trusts.
// Optionally behind TLS (with client certificates for `mutual`). Everything
// started is stopped in the destructor, also when a test fails.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "support/support.hpp"

namespace sealift::test {

// A child process whose stdout and stderr go to `log`; stopped with SIGTERM,
// then SIGKILL, and reaped when destroyed (or on stop()).
class ChildProcess {
public:
    ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& log);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    bool running();
    void stop();

private:
    pid_t pid_ = -1;
};

// A TCP port on 127.0.0.1 that nothing listened on a moment ago.
int free_loopback_port();
// Waits until something accepts connections on 127.0.0.1:port; false when
// `process` exits first or the timeout passes.
bool wait_for_port(int port, ChildProcess& process, std::chrono::milliseconds timeout);

class RegistryServer {
public:
    enum class Auth { none, basic, token };
    enum class Tls { none, server, mutual };

    explicit RegistryServer(Auth auth, Tls tls = Tls::none);
    ~RegistryServer();
    RegistryServer(const RegistryServer&) = delete;
    RegistryServer& operator=(const RegistryServer&) = delete;

    std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
    // The account the basic and token modes accept.
    const std::string& username() const { return username_; }
    const std::string& password() const { return password_; }
    // TLS modes: the CA of the server certificate, and the client certificate (mutual).
    std::filesystem::path ca_file() const { return dir_ / "ca.pem"; }
    std::filesystem::path client_cert() const { return dir_ / "client.pem"; }
    std::filesystem::path client_key() const { return dir_ / "client.key"; }
    // Token mode: the scopes of each token request, space separated, in order.
    std::vector<std::string> token_requests() const;
    // The registry's storage root (tests look for leftover upload sessions there).
    std::filesystem::path storage() const { return dir_ / "storage"; }
    // Where the registry keeps the bytes of blob "sha256:<hex>" (tests damage or remove them).
    std::filesystem::path blob_data(const std::string& digest) const;
    // Flips a bit of a stored blob: the registry then serves bytes that do not match its digest.
    void damage_blob(const std::string& digest) const;
    // The registry's log (for failure messages).
    std::string log() const;

private:
    void make_certificates(Tls tls);
    void start_token_issuer();
    std::string config(Auth auth, Tls tls) const;

    TempDir temp_;
    std::filesystem::path dir_;
    std::string username_ = "sealift", password_ = "s3cret-Pa55";
    int port_ = 0;
    int issuer_port_ = 0;
    std::unique_ptr<ChildProcess> issuer_;
    std::unique_ptr<ChildProcess> registry_;
};

}  // namespace sealift::test
