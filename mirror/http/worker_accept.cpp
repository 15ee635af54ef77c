// The accepting side of a Worker: taking connections off the listeners, dealing
// them out to the loops, refusing them beyond the limit, pausing when out of
// file descriptors, and adopting a connection into a loop.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <cerrno>
#include <cstring>

#include "mirror/http/worker.hpp"
#include "mirror/http/worker_connection.hpp"

namespace sealift::mirror::http {
namespace {

constexpr auto accept_pause = std::chrono::milliseconds(100);  // out of file descriptors
constexpr std::size_t max_refusing = 16;                       // lingering 503s per loop; beyond: 503 and close

std::string peer_name(const sockaddr_storage& addr) {
    char host[INET6_ADDRSTRLEN] = "?";
    int port = 0;
    if (addr.ss_family == AF_INET) {
        auto* a = reinterpret_cast<const sockaddr_in*>(&addr);
        inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
        port = ntohs(a->sin_port);
        return std::string(host) + ":" + std::to_string(port);
    }
    if (addr.ss_family == AF_INET6) {
        auto* a = reinterpret_cast<const sockaddr_in6*>(&addr);
        inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
        port = ntohs(a->sin6_port);
    }
    return "[" + std::string(host) + "]:" + std::to_string(port);
}

}  // namespace

void HttpServer::Worker::accept_from(const ListenSocket& listener) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    int fd = ::accept4(listener.fd, reinterpret_cast<sockaddr*>(&addr), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
        int err = errno;
        if (err == EAGAIN || err == EWOULDBLOCK || err == EINTR || err == ECONNABORTED) return;
        // The listener stays readable while the connection waits in the backlog: without a
        // pause, a loop out of descriptors would spin on accept (and on its log line).
        if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) pause_accepting(Clock::now());
        std::string suffix;
        if (shared_.accept_log.allow(suffix))
            report_error(listener.config->name + ": accept failed: " + std::strerror(err) + suffix);
        return;
    }
    if (shared_.open_connections.load() >= shared_.limits.max_connections) {
        refuse_busy(fd, listener.config, peer_name(addr));
        return;
    }
    shared_.open_connections.fetch_add(1);
    auto& target = *shared_.workers[shared_.next_worker.fetch_add(1) % shared_.workers.size()];
    if (&target == this)
        adopt({fd, listener.config, peer_name(addr)});
    else
        target.hand_over(fd, listener.config, peer_name(addr));
}

void HttpServer::Worker::refuse_busy(int fd, const ListenerConfig* listener, std::string peer) {
    if (refusing_ >= max_refusing || draining_) {
        static const char busy[] =
            "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        if (!listener->transport) {  // TLS would need a handshake first: just close
            [[maybe_unused]] auto ignored = ::send(fd, busy, sizeof busy - 1, MSG_NOSIGNAL);
        }
        ::close(fd);
        return;
    }
    ++refusing_;
    adopt({fd, listener, std::move(peer)}, true);
}

void HttpServer::Worker::pause_accepting(Clock::time_point now) {
    if (accept_paused_) return;
    for (const auto& l : listeners_) ::epoll_ctl(epoll_, EPOLL_CTL_DEL, l.fd, nullptr);
    accept_paused_ = true;
    accept_resume_at_ = now + accept_pause;
}

void HttpServer::Worker::resume_accepting() {
    accept_paused_ = false;
    if (draining_) return;  // the drain stopped watching them for good
    for (const auto& l : listeners_) {
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLEXCLUSIVE;
        ev.data.fd = l.fd;
        if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, l.fd, &ev) != 0)
            report_error(std::string("cannot watch a listening socket again: ") + std::strerror(errno));
    }
}

void HttpServer::Worker::adopt(const Incoming& incoming, bool refused) {
    int fd = incoming.fd;
    auto release = [&] {
        if (refused)
            --refusing_;
        else
            shared_.open_connections.fetch_sub(1);
    };
    if (draining_) {
        ::close(fd);
        release();
        return;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto c = std::make_unique<Connection>();
    c->fd = fd;
    c->serial = ++next_serial_;
    c->io = incoming.listener->transport ? incoming.listener->transport(fd) : std::make_unique<PlainTransport>(fd);
    c->listener = incoming.listener;
    c->peer = incoming.peer;
    c->refused = refused;
    c->deadline = Clock::now() + shared_.limits.idle_timeout;
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    ev.data.fd = fd;
    if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev) != 0) {
        report_error(std::string("cannot watch a connection: ") + std::strerror(errno));
        c->io.reset();
        ::close(fd);
        release();
        return;
    }
    Connection& ref = *c;
    connections_.emplace(fd, std::move(c));
    if (refused) {
        Response busy;
        busy.status = 503;
        busy.route = "busy";
        busy.close = true;
        busy.set_header("Retry-After", "1");
        busy.set_body("the server is at its connection limit; retry later\n", "text/plain; charset=utf-8");
        ref.method = "-";
        ref.target = "-";
        ref.started = Clock::now();
        queue(ref, busy, false);
    }
    service(ref);
}

}  // namespace sealift::mirror::http
