#include "mirror/http/transport.hpp"

#include <sys/sendfile.h>
#include <sys/socket.h>

#include <cerrno>

namespace sealift::mirror::http {
namespace {

IoResult from_syscall(ssize_t n) {
    if (n > 0) return {IoResult::done, static_cast<std::size_t>(n)};
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return {IoResult::again, 0};
    return {IoResult::closed, 0};
}

}  // namespace

IoResult PlainTransport::read(void* buf, std::size_t size) { return from_syscall(::recv(fd_, buf, size, 0)); }

IoResult PlainTransport::write(const iovec* parts, int count, bool more) {
    msghdr msg{};
    msg.msg_iov = const_cast<iovec*>(parts);
    msg.msg_iovlen = static_cast<std::size_t>(count);
    ssize_t n = ::sendmsg(fd_, &msg, MSG_NOSIGNAL | (more ? MSG_MORE : 0));
    if (n == 0) return {IoResult::again, 0};  // nothing accepted yet
    return from_syscall(n);
}

IoResult PlainTransport::send_file(int file_fd, std::uint64_t offset, std::size_t length) {
    off_t off = static_cast<off_t>(offset);
    ssize_t n = ::sendfile(fd_, file_fd, &off, length);
    if (n == 0) return {IoResult::closed, 0};  // the file shrank under us: stop, do not spin
    return from_syscall(n);
}

void PlainTransport::shutdown_write() { ::shutdown(fd_, SHUT_WR); }

}  // namespace sealift::mirror::http
