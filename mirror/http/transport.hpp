// How a connection moves bytes: plain TCP here (recv, sendmsg, and sendfile
// for file ranges, so blob bytes never enter user space). TLS plugs in as
// another Transport made by the listener's factory: it reads the file range
// into a buffer and encrypts it, since the kernel cannot sendfile through TLS
// without kTLS.
#pragma once

#include <sys/types.h>
#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

namespace sealift::mirror::http {

struct IoResult {
    enum Kind { done, again, closed } kind = done;  // closed: peer gone or a socket error
    std::size_t bytes = 0;                          // for done
};

class Transport {
public:
    virtual ~Transport() = default;
    // All calls are non-blocking; `again` means wait for the socket to be ready.
    virtual IoResult read(void* buf, std::size_t size) = 0;
    // more: another part follows at once (plain TCP holds back a partial packet).
    virtual IoResult write(const iovec* parts, int count, bool more) = 0;
    // Sends up to `length` bytes of `file_fd` from `offset`.
    virtual IoResult send_file(int file_fd, std::uint64_t offset, std::size_t length) = 0;
    // Sends what is buffered and stops sending (before a lingering close).
    virtual void shutdown_write() = 0;
    int fd() const { return fd_; }

protected:
    explicit Transport(int fd) : fd_(fd) {}
    int fd_;
};

// Owns nothing: the server closes the socket after the transport is gone.
class PlainTransport : public Transport {
public:
    explicit PlainTransport(int fd) : Transport(fd) {}
    IoResult read(void* buf, std::size_t size) override;
    IoResult write(const iovec* parts, int count, bool more) override;
    IoResult send_file(int file_fd, std::uint64_t offset, std::size_t length) override;
    void shutdown_write() override;
};

// Makes the transport for an accepted, non-blocking socket.
using TransportFactory = std::function<std::unique_ptr<Transport>(int fd)>;

}  // namespace sealift::mirror::http
