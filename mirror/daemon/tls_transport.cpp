#include "mirror/daemon/tls_transport.hpp"

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "core/error.hpp"

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

class TlsTransport : public http::Transport {
public:
    TlsTransport(int fd, const SslContext& context) : Transport(fd), context_(context), ssl_(SSL_new(context.get())) {
        if (!ssl_ || SSL_set_fd(ssl_, fd) != 1)
            fail(Errc::network, "TLS: cannot set up a connection: " + openssl_reason());
        SSL_set_accept_state(ssl_);
    }
    ~TlsTransport() override { SSL_free(ssl_); }

    IoResult read(void* buf, std::size_t size) override {
        int n = SSL_read(ssl_, buf, static_cast<int>(std::min<std::size_t>(size, 1 << 30)));
        if (n > 0) return {IoResult::done, static_cast<std::size_t>(n)};
        return failed(n);
    }

    IoResult write(const iovec* parts, int count, bool) override {
        std::size_t used = 0;
        for (int i = 0; i < count && used < record_size; ++i) {
            std::size_t take = std::min(parts[i].iov_len, record_size - used);
            std::memcpy(buffer_ + used, parts[i].iov_base, take);
            used += take;
        }
        return send(used);
    }

    IoResult send_file(int file_fd, std::uint64_t offset, std::size_t length) override {
        std::size_t want = std::min(length, record_size);
        ssize_t got = ::pread(file_fd, buffer_, want, static_cast<off_t>(offset));
        if (got <= 0) return {IoResult::closed, 0};  // a blob shrank under us: nothing sane to send
        return send(static_cast<std::size_t>(got));
    }

    void shutdown_write() override {
        SSL_shutdown(ssl_);
        ERR_clear_error();
    }

private:
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
    SSL* ssl_;
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
                                                  const std::filesystem::path& key) {
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
    return
        [context](int fd) -> std::unique_ptr<http::Transport> { return std::make_unique<TlsTransport>(fd, context); };
}

}  // namespace sealift::mirror::daemon
