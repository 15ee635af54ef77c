#include "mirror/http/http_server.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <iostream>

#include "core/error.hpp"
#include "mirror/http/worker.hpp"

namespace sealift::mirror::http {
namespace {

struct HostPort {
    std::string host, port;
};

HostPort split_address(const std::string& address) {
    auto colon = address.rfind(':');
    if (colon == std::string::npos || colon + 1 == address.size())
        fail(Errc::usage, "listen address '" + address + "': expected HOST:PORT, [V6]:PORT or :PORT");
    std::string host = address.substr(0, colon), port = address.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    for (char c : port)
        if (c < '0' || c > '9') fail(Errc::usage, "listen address '" + address + "': port must be a number");
    return {host, port};
}

std::string format_bound(const sockaddr_storage& addr, int& port) {
    char host[INET6_ADDRSTRLEN] = "";
    char serv[16] = "";
    getnameinfo(reinterpret_cast<const sockaddr*>(&addr), sizeof addr, host, sizeof host, serv, sizeof serv,
                NI_NUMERICHOST | NI_NUMERICSERV);
    port = std::atoi(serv);
    std::string h = host;
    if (addr.ss_family == AF_INET6) h = "[" + h + "]";
    return h + ":" + serv;
}

int bind_listener(const std::string& address, std::string& bound, int& port) {
    HostPort hp = split_address(address);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    addrinfo* found = nullptr;
    int rc = getaddrinfo(hp.host.empty() ? nullptr : hp.host.c_str(), hp.port.c_str(), &hints, &found);
    if (rc != 0) fail(Errc::usage, "listen address '" + address + "': " + gai_strerror(rc));
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> guard(found, freeaddrinfo);
    // With no host, prefer IPv4's 0.0.0.0 (the first answer may be IPv6 only).
    const addrinfo* ai = found;
    for (const addrinfo* a = found; hp.host.empty() && a; a = a->ai_next)
        if (a->ai_family == AF_INET) ai = a;
    int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) fail(Errc::io, "listen address '" + address + "': cannot create a socket: " + std::strerror(errno));
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || ::listen(fd, 1024) != 0) {
        int err = errno;
        ::close(fd);
        fail(Errc::io, "listen address '" + address + "': " + std::strerror(err));
    }
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    bound = format_bound(addr, port);
    return fd;
}

// Raises the soft open-file limit to the hard one (the default soft 1024 is below the
// default 4096 connections), and returns how many connections fit under it: each takes
// a descriptor, and the files being sent, the store and the logs need some more.
std::size_t connections_within_file_limit(std::size_t wanted, std::string& note) {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return wanted;
    if (limit.rlim_cur < limit.rlim_max) {
        rlimit raised = limit;
        raised.rlim_cur = limit.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
    }
    if (limit.rlim_cur == RLIM_INFINITY) return wanted;
    rlim_t reserve = std::max<rlim_t>(32, limit.rlim_cur / 8);
    std::size_t fits = limit.rlim_cur > reserve ? static_cast<std::size_t>(limit.rlim_cur - reserve) : 1;
    if (fits >= wanted) return wanted;
    note = "max_connections " + std::to_string(wanted) + " is more than the open-file limit of " +
           std::to_string(limit.rlim_cur) + " allows: serving at most " + std::to_string(fits) +
           " connections (raise the limit, e.g. LimitNOFILE= in the systemd unit)";
    return fits;
}

}  // namespace

HttpServer::HttpServer(std::vector<ListenerConfig> listeners, ServerLimits limits, ServerHooks hooks)
    : limits_(limits), hooks_(std::move(hooks)) {
    if (listeners.empty()) fail(Errc::usage, "the server needs at least one listen address");
    listeners_.reserve(listeners.size());
    try {
        for (auto& config : listeners) {
            if (!config.router) fail(Errc::internal, "listener '" + config.name + "' has no router");
            Listener l;
            l.config = std::move(config);
            listeners_.push_back(std::move(l));
            Listener& added = listeners_.back();
            added.fd = bind_listener(added.config.address, added.bound, added.port);
        }
        stop_event_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (stop_event_ < 0) fail(Errc::io, std::string("cannot create an eventfd: ") + std::strerror(errno));
    } catch (...) {
        for (auto& l : listeners_)
            if (l.fd >= 0) ::close(l.fd);
        throw;
    }
}

HttpServer::~HttpServer() {
    stop(std::chrono::milliseconds(0));
    wait();
    for (auto& l : listeners_) ::close(l.fd);
    if (stop_event_ >= 0) ::close(stop_event_);
}

std::string HttpServer::bound_address(std::size_t listener) const { return listeners_.at(listener).bound; }
int HttpServer::bound_port(std::size_t listener) const { return listeners_.at(listener).port; }

void HttpServer::start() {
    if (started_) return;
    // A client that disconnects mid-sendfile must not kill the process.
    std::signal(SIGPIPE, SIG_IGN);
    std::string note;
    limits_.max_connections = connections_within_file_limit(limits_.max_connections, note);
    if (!note.empty()) {
        if (hooks_.on_error)
            hooks_.on_error(note);
        else
            std::cerr << "sealift mirror serve: " << note << "\n";
    }
    unsigned n = limits_.threads ? limits_.threads : std::max(1u, std::thread::hardware_concurrency());
    std::vector<ListenSocket> sockets;
    for (const auto& l : listeners_) sockets.push_back({l.fd, &l.config});
    deferred_ = std::make_unique<WorkerPool>(limits_.deferred_threads);
    for (unsigned i = 0; i < n; ++i)
        workers_.push_back(
            std::make_unique<Worker>(WorkerShared{limits_, hooks_, stop_event_, drain_deadline_ns_, open_connections_,
                                                  workers_, next_worker_, *deferred_, accept_log_},
                                     sockets));
    for (auto& w : workers_) threads_.emplace_back([worker = w.get()] { worker->run(); });
    started_ = true;
}

void HttpServer::stop(std::chrono::milliseconds drain) {
    if (stopped_.exchange(true)) return;
    auto deadline = Clock::now() + drain;
    drain_deadline_ns_.store(std::chrono::duration_cast<std::chrono::nanoseconds>(deadline.time_since_epoch()).count());
    std::uint64_t one = 1;
    [[maybe_unused]] auto ignored = ::write(stop_event_, &one, sizeof one);
}

void HttpServer::wait() {
    for (auto& t : threads_)
        if (t.joinable()) t.join();
    threads_.clear();
    deferred_.reset();  // lets running jobs finish, drops queued ones: none reports to a worker that is gone
    workers_.clear();
}

}  // namespace sealift::mirror::http
