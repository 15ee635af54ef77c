#include "mirror/daemon/tls_transport.hpp"

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <memory>

#include "core/error.hpp"
#include "mirror/http/log_throttle.hpp"

namespace sealift::mirror::daemon {
namespace {

using http::IoResult;

// Both the same: a retried SSL_write must be given the same bytes, which a
// fixed record size and the server's unchanged position guarantee.
constexpr std::size_t record_size = 16 * 1024;

std::string openssl_reason() {
    const char* reason = ERR_reason_error_string(ERR_peek_last_error());
    ERR_clear_error();
    return reason ? reason : "unknown OpenSSL error";
}

using SslContext = std::shared_ptr<SSL_CTX>;

// What nginx answers, so an admin who typed http:// sees why at once.
constexpr char plain_http_answer[] =
    "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 46\r\n"
    "Connection: close\r\n\r\nThe plain HTTP request was sent to HTTPS port\n";
constexpr std::size_t max_plain_drain = 64 * 1024;  // bytes of a plain request read (and dropped) before closing

std::string peer_of(int fd) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    char host[INET6_ADDRSTRLEN] = "?";
    int port = 0;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
        if (addr.ss_family == AF_INET) {
            auto* a = reinterpret_cast<const sockaddr_in*>(&addr);
            inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
            port = ntohs(a->sin_port);
        } else if (addr.ss_family == AF_INET6) {
            auto* a = reinterpret_cast<const sockaddr_in6*>(&addr);
            inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
            port = ntohs(a->sin6_port);
            return "[" + std::string(host) + "]:" + std::to_string(port);
        }
    }
    return std::string(host) + ":" + std::to_string(port);
}

struct PlainHttpReport {
    http::LogThrottle throttle{std::chrono::seconds(10)};
    std::function<void(const std::string&)> log;
};

class TlsTransport : public http::Transport {
public:
    TlsTransport(int fd, const SslContext& context, std::shared_ptr<PlainHttpReport> report)
        : Transport(fd), context_(context), report_(std::move(report)), ssl_(SSL_new(context.get())) {
        if (!ssl_ || SSL_set_fd(ssl_, fd) != 1)
            fail(Errc::network, "TLS: cannot set up a connection: " + openssl_reason());
        SSL_set_accept_state(ssl_);
    }
    ~TlsTransport() override { SSL_free(ssl_); }

    IoResult read(void* buf, std::size_t size) override {
        if (!first_byte_seen_) {
            // A TLS connection opens with a handshake record (type 22); an upper-case letter
            // is an HTTP method: a plain HTTP client, answered in plain HTTP, not reset.
            unsigned char first = 0;
            ssize_t got = ::recv(fd_, &first, 1, MSG_PEEK);
            if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return {IoResult::again, 0};
            if (got <= 0) return {IoResult::closed, 0};
            first_byte_seen_ = true;
            if (first >= 'A' && first <= 'Z') refuse_plain_http();
        }
        if (plain_http_) return drain_plain_http();
        int n = SSL_read(ssl_, buf, static_cast<int>(std::min<std::size_t>(size, 1 << 30)));
        if (n > 0) return {IoResult::done, static_cast<std::size_t>(n)};
        return failed(n);
    }

    IoResult write(const iovec* parts, int count, bool) override {
        if (plain_http_) return {IoResult::closed, 0};
        std::size_t used = 0;
        for (int i = 0; i < count && used < record_size; ++i) {
            std::size_t take = std::min(parts[i].iov_len, record_size - used);
            std::memcpy(buffer_ + used, parts[i].iov_base, take);
            used += take;
        }
        return send(used);
    }

    IoResult send_file(int file_fd, std::uint64_t offset, std::size_t length) override {
        if (plain_http_) return {IoResult::closed, 0};
        std::size_t want = std::min(length, record_size);
        ssize_t got = ::pread(file_fd, buffer_, want, static_cast<off_t>(offset));
        if (got <= 0) return {IoResult::closed, 0};  // a blob shrank under us: nothing sane to send
        return send(static_cast<std::size_t>(got));
    }

    void shutdown_write() override {
        if (plain_http_) return;
        SSL_shutdown(ssl_);
        ERR_clear_error();
    }

private:
    void refuse_plain_http() {
        plain_http_ = true;
        // Read what the client sent first: closing with its request unread would reset
        // the connection, and the client would lose the answer.
        drain_plain_http();
        [[maybe_unused]] auto sent = ::send(fd_, plain_http_answer, sizeof plain_http_answer - 1, MSG_NOSIGNAL);
        ::shutdown(fd_, SHUT_WR);
        std::string suffix;
        if (report_ && report_->log && report_->throttle.allow(suffix))
            report_->log("plain HTTP from " + peer_of(fd_) + " on the TLS port: answered 400" + suffix);
    }

    // Drops what a plain HTTP client sends until it closes (it has its answer).
    IoResult drain_plain_http() {
        char scratch[4096];
        for (;;) {
            ssize_t n = ::recv(fd_, scratch, sizeof scratch, 0);
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return {IoResult::again, 0};
            if (n <= 0) return {IoResult::closed, 0};
            drained_ += static_cast<std::size_t>(n);
            if (drained_ > max_plain_drain) return {IoResult::closed, 0};
        }
    }

    IoResult send(std::size_t size) {
        if (size == 0) return {IoResult::done, 0};
        int n = SSL_write(ssl_, buffer_, static_cast<int>(size));
        if (n > 0) return {IoResult::done, static_cast<std::size_t>(n)};
        return failed(n);
    }

    IoResult failed(int rc) {
        int error = SSL_get_error(ssl_, rc);
        ERR_clear_error();
        if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return {IoResult::again, 0};
        return {IoResult::closed, 0};  // closed by the peer, a handshake failure or a socket error
    }

    SslContext context_;
    std::shared_ptr<PlainHttpReport> report_;
    SSL* ssl_;
    bool first_byte_seen_ = false, plain_http_ = false;
    std::size_t drained_ = 0;
    char buffer_[record_size];
};

// OpenSSL reports a file it cannot open as "system lib": open it first, as
// OpenSSL will, and say why not, naming the file.
void check_readable(const std::string& key_name, const std::filesystem::path& file) {
    int fd = ::open(file.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        int err = errno;
        fail(Errc::usage, key_name + " " + file.string() + ": cannot read: " + std::strerror(err) +
                              (err == EACCES ? " (make it readable by the user the mirror runs as)" : ""));
    }
    struct stat st {};
    bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    ::close(fd);
    if (!regular) fail(Errc::usage, key_name + " " + file.string() + ": not a regular file");
}

}  // namespace

http::TransportFactory make_tls_transport_factory(const std::filesystem::path& cert_chain,
                                                  const std::filesystem::path& key,
                                                  std::function<void(const std::string&)> on_plain_http) {
    SslContext context(SSL_CTX_new(TLS_server_method()), SSL_CTX_free);
    if (!context) fail(Errc::internal, "TLS: cannot create a context: " + openssl_reason());
    SSL_CTX_set_min_proto_version(context.get(), TLS1_2_VERSION);
    SSL_CTX_set_mode(context.get(), SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    check_readable("tls.cert", cert_chain);
    check_readable("tls.key", key);
    if (SSL_CTX_use_certificate_chain_file(context.get(), cert_chain.c_str()) != 1)
        fail(Errc::usage,
             "tls.cert " + cert_chain.string() + ": not a usable PEM certificate chain: " + openssl_reason());
    bool loaded = SSL_CTX_use_PrivateKey_file(context.get(), key.c_str(), SSL_FILETYPE_PEM) == 1;
    bool mismatch = loaded ? SSL_CTX_check_private_key(context.get()) != 1
                           : ERR_GET_REASON(ERR_peek_error()) == X509_R_KEY_VALUES_MISMATCH;
    if (mismatch) {
        ERR_clear_error();
        fail(Errc::usage, "tls.key " + key.string() + ": does not match the certificate in " + cert_chain.string());
    }
    if (!loaded) fail(Errc::usage, "tls.key " + key.string() + ": not a usable PEM private key: " + openssl_reason());
    auto report = std::make_shared<PlainHttpReport>();
    report->log = std::move(on_plain_http);
    return [context, report](int fd) -> std::unique_ptr<http::Transport> {
        return std::make_unique<TlsTransport>(fd, context, report);
    };
}

}  // namespace sealift::mirror::daemon
