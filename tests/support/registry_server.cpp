#include "support/registry_server.hpp"

#include <arpa/inet.h>
#include <crypt.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace sealift::test {
namespace {

void sh(const std::string& command) {
    CommandResult r = run(command);
    if (r.exit_code != 0) throw std::runtime_error("test setup: `" + command + "` failed: " + r.err);
}

// htpasswd line with a bcrypt hash (what distribution's htpasswd auth reads),
// from libcrypt: apache2-utils' htpasswd need not be installed. Cost 5 keeps
// the registry's per-request check cheap.
std::string htpasswd_line(const std::string& user, const std::string& password) {
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    if (!crypt_gensalt_rn("$2b$", 5, nullptr, 0, salt, sizeof salt))
        throw std::runtime_error("crypt_gensalt_rn failed");
    crypt_data data{};
    const char* hash = crypt_r(password.c_str(), salt, &data);
    if (!hash || hash[0] == '*') throw std::runtime_error("bcrypt hashing failed");
    return user + ":" + hash + "\n";
}

std::string new_key(const std::filesystem::path& key) {
    return "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out '" + key.string() + "'";
}

}  // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& log) {
    int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (out < 0) throw std::runtime_error("cannot open " + log.string());
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_ = fork();
    if (pid_ == 0) {
        // Dies with the test process even if that one crashes.
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        int in = ::open("/dev/null", O_RDONLY);
        dup2(in, 0);
        dup2(out, 1);
        dup2(out, 2);
        execvp(args[0], args.data());
        _exit(127);
    }
    ::close(out);
    if (pid_ < 0) throw std::runtime_error("fork failed");
}

ChildProcess::~ChildProcess() { stop(); }

bool ChildProcess::running() {
    if (pid_ <= 0) return false;
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
    }
    return true;
}

void ChildProcess::stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    for (int i = 0; i < 100; ++i) {
        if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
            pid_ = -1;
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
}

int free_loopback_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        if (fd >= 0) ::close(fd);
        throw std::runtime_error("cannot find a free loopback port");
    }
    ::close(fd);
    return ntohs(addr.sin_port);
}

bool wait_for_port(int port, ChildProcess& process, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (!process.running()) return false;
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<uint16_t>(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bool up = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
        ::close(fd);
        if (up) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

RegistryServer::RegistryServer(Auth auth, Tls tls) : dir_(temp_.path()) {
    std::filesystem::create_directories(dir_ / "storage");
    if (tls != Tls::none) make_certificates(tls);
    if (auth == Auth::basic) write_text(dir_ / "htpasswd", htpasswd_line(username_, password_));
    if (auth == Auth::token) start_token_issuer();
    // The port is free when picked but could be taken before the registry binds it: try again then.
    for (int attempt = 0; attempt < 3; ++attempt) {
        port_ = free_loopback_port();
        write_text(dir_ / "config.yml", config(auth, tls));
        registry_ = std::make_unique<ChildProcess>(
            std::vector<std::string>{"docker-registry", "serve", (dir_ / "config.yml").string()},
            dir_ / "registry.log");
        if (wait_for_port(port_, *registry_, std::chrono::seconds(15))) return;
        registry_->stop();
    }
    throw std::runtime_error("docker-registry did not start: " + log());
}

RegistryServer::~RegistryServer() {
    if (registry_) registry_->stop();
    if (issuer_) issuer_->stop();
}

void RegistryServer::make_certificates(Tls tls) {
    auto p = [&](const char* name) { return "'" + (dir_ / name).string() + "'"; };
    sh(new_key(dir_ / "ca.key"));
    sh("openssl req -x509 -new -key " + p("ca.key") + " -out " + p("ca.pem") + " -days 2 -subj /CN=sealift-test-ca");
    write_text(dir_ / "server.ext", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
    write_text(dir_ / "client.ext", "extendedKeyUsage=clientAuth\n");
    std::vector<std::string> leaves{"server"};
    if (tls == Tls::mutual) leaves.push_back("client");
    for (const auto& leaf : leaves) {
        std::string key = leaf + ".key", csr = leaf + ".csr", pem = leaf + ".pem", ext = leaf + ".ext";
        sh(new_key(dir_ / key));
        sh("openssl req -new -key " + p(key.c_str()) + " -out " + p(csr.c_str()) + " -subj /CN=sealift-test-" + leaf);
        sh("openssl x509 -req -in " + p(csr.c_str()) + " -CA " + p("ca.pem") + " -CAkey " + p("ca.key") +
           " -CAcreateserial -days 2 -out " + p(pem.c_str()) + " -extfile " + p(ext.c_str()));
    }
}

void RegistryServer::start_token_issuer() {
    auto key = dir_ / "token.key", cert = dir_ / "token.pem", port_file = dir_ / "issuer.port";
    sh(new_key(key));
    sh("openssl req -x509 -new -key '" + key.string() + "' -out '" + cert.string() +
       "' -days 2 -subj /CN=sealift-test-token-issuer");
    auto script = source_dir() / "tests" / "support" / "token-issuer.mjs";
    issuer_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{"node", script.string(), "--key=" + key.string(), "--cert=" + cert.string(),
                                 "--issuer=sealift-test-issuer", "--username=" + username_, "--password=" + password_,
                                 "--log=" + (dir_ / "token-requests.log").string(),
                                 "--port-file=" + port_file.string()},
        dir_ / "issuer.log");
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (!std::filesystem::exists(port_file)) {
        if (!issuer_->running() || std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error("token issuer did not start: " + read_text(dir_ / "issuer.log"));
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    issuer_port_ = std::stoi(read_text(port_file));
}

std::string RegistryServer::config(Auth auth, Tls tls) const {
    std::ostringstream c;
    c << "version: 0.1\n"
         "log:\n  level: info\n  accesslog:\n    disabled: false\n"
         "storage:\n  filesystem:\n    rootdirectory: "
      << (dir_ / "storage").string()
      << "\n  delete:\n    enabled: true\n"
         "  maintenance:\n    uploadpurging:\n      enabled: false\n"
         "http:\n  addr: 127.0.0.1:"
      << port_ << "\n  secret: sealift-test-secret\n";
    if (tls != Tls::none) {
        c << "  tls:\n    certificate: " << (dir_ / "server.pem").string()
          << "\n    key: " << (dir_ / "server.key").string() << "\n";
        if (tls == Tls::mutual) c << "    clientcas:\n      - " << ca_file().string() << "\n";
    }
    if (auth == Auth::basic)
        c << "auth:\n  htpasswd:\n    realm: sealift-test\n    path: " << (dir_ / "htpasswd").string() << "\n";
    if (auth == Auth::token)
        c << "auth:\n  token:\n    realm: http://127.0.0.1:" << issuer_port_
          << "/token\n    service: sealift-test-registry\n    issuer: sealift-test-issuer\n    rootcertbundle: "
          << (dir_ / "token.pem").string() << "\n";
    return c.str();
}

std::vector<std::string> RegistryServer::token_requests() const {
    std::vector<std::string> out;
    std::ifstream f(dir_ / "token-requests.log");
    for (std::string line; std::getline(f, line);) out.push_back(line);
    return out;
}

std::filesystem::path RegistryServer::blob_data(const std::string& digest) const {
    std::string hex = digest.substr(digest.find(':') + 1);
    return storage() / "docker/registry/v2/blobs/sha256" / hex.substr(0, 2) / hex / "data";
}

void RegistryServer::damage_blob(const std::string& digest) const {
    std::fstream data(blob_data(digest), std::ios::in | std::ios::out | std::ios::binary);
    char c = 0;
    if (!data.read(&c, 1)) throw std::runtime_error("test setup: no stored blob " + digest);
    data.seekp(0);
    data.put(static_cast<char>(c ^ 1));
}

std::string RegistryServer::log() const { return read_text(dir_ / "registry.log"); }

}  // namespace sealift::test
