#include "mirror/http/worker.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <iostream>

#include "core/error.hpp"
#include "mirror/http/worker_connection.hpp"

namespace sealift::mirror::http {
namespace {

constexpr std::size_t read_chunk = 16384;
constexpr std::size_t file_chunk = 8u << 20;  // per sendfile call, so one connection cannot hog a loop
constexpr auto linger_time = std::chrono::seconds(2);
// What one connection may do per wakeup before the loop's other connections get a turn:
// a client pipelining without pause would otherwise never let service() return.
constexpr int budget_requests = 16;
constexpr std::uint64_t budget_bytes = 1u << 20;

// The Date header, formatted once per second per thread.
const std::string& http_date() {
    thread_local std::time_t cached_at = 0;
    thread_local std::string cached;
    std::time_t now = std::time(nullptr);
    if (now != cached_at) {
        std::tm tm{};
        gmtime_r(&now, &tm);
        char buf[64];
        std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
        cached = buf;
        cached_at = now;
    }
    return cached;
}

bool wants_keep_alive(const Request& r) {
    auto has_token = [connection = r.header("connection")](std::string_view token) {
        return connection && visit_list(*connection, [&](std::string_view item) { return iequals(item, token); });
    };
    return r.minor_version >= 1 ? !has_token("close") : has_token("keep-alive");
}

Response internal_error() {
    Response response;
    response.route = "error";
    response.status = 500;
    response.set_body("internal error\n", "text/plain; charset=utf-8");
    return response;
}

}  // namespace

HttpServer::Worker::Worker(WorkerShared shared, std::vector<ListenSocket> listeners)
    : shared_(shared), listeners_(std::move(listeners)) {
    epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epoll_ < 0) fail(Errc::io, std::string("cannot create an epoll instance: ") + std::strerror(errno));
    auto add = [&](int fd, std::uint32_t events) {
        epoll_event ev{};
        ev.events = events;
        ev.data.fd = fd;
        if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev) != 0)
            fail(Errc::io, std::string("cannot watch a listening socket: ") + std::strerror(errno));
    };
    // EPOLLEXCLUSIVE: a new connection wakes one idle worker, not all of them.
    for (const auto& l : listeners_) add(l.fd, EPOLLIN | EPOLLEXCLUSIVE);
    add(shared_.stop_event, EPOLLIN);
    wake_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wake_ < 0) fail(Errc::io, std::string("cannot create an eventfd: ") + std::strerror(errno));
    add(wake_, EPOLLIN);
}

HttpServer::Worker::~Worker() {
    while (!connections_.empty()) close(*connections_.begin()->second);
    for (const auto& incoming : inbox_) {
        ::close(incoming.fd);
        shared_.open_connections.fetch_sub(1);
    }
    if (wake_ >= 0) ::close(wake_);
    if (epoll_ >= 0) ::close(epoll_);
}

void HttpServer::Worker::hand_over(int fd, const ListenerConfig* listener, std::string peer) {
    {
        std::lock_guard lock(inbox_mutex_);
        inbox_.push_back({fd, listener, std::move(peer)});
    }
    wake();
}

void HttpServer::Worker::wake() {
    std::uint64_t one = 1;
    [[maybe_unused]] auto ignored = ::write(wake_, &one, sizeof one);
}

void HttpServer::Worker::report_error(const std::string& message) const {
    if (shared_.hooks.on_error)
        shared_.hooks.on_error(message);
    else
        std::cerr << "sealift mirror serve: " << message << "\n";
}

void HttpServer::Worker::run() {
    epoll_event events[64];
    auto next_sweep = Clock::now() + std::chrono::seconds(1);
    for (;;) {
        if (draining_) {
            auto deadline = Clock::time_point(std::chrono::nanoseconds(shared_.drain_deadline_ns.load()));
            if (connections_.empty() || Clock::now() >= deadline) return;
        }
        int timeout = draining_ ? 100 : 1000;
        if (accept_paused_)
            timeout = std::clamp(
                static_cast<int>(
                    std::chrono::duration_cast<std::chrono::milliseconds>(accept_resume_at_ - Clock::now()).count()) +
                    1,
                0, timeout);
        if (!yielded_.empty()) timeout = 0;
        int n = ::epoll_wait(epoll_, events, 64, timeout);
        if (n < 0 && errno != EINTR) {
            report_error(std::string("epoll_wait failed: ") + std::strerror(errno));
            return;
        }
        for (int i = 0; i < n; ++i) {
            int fd = events[i].data.fd;
            if (fd == shared_.stop_event) {
                if (!draining_) begin_drain();
                continue;
            }
            if (fd == wake_) {
                std::uint64_t count;
                [[maybe_unused]] auto ignored = ::read(wake_, &count, sizeof count);
                std::vector<Incoming> arrived;
                std::vector<Finished> finished;
                {
                    std::lock_guard lock(inbox_mutex_);
                    arrived.swap(inbox_);
                    finished.swap(finished_);
                }
                for (const auto& incoming : arrived) adopt(incoming);
                for (auto& f : finished) {
                    auto it = connections_.find(f.fd);
                    // Gone (timed out in a drain) or another connection on a reused fd: nobody waits.
                    if (it == connections_.end() || it->second->serial != f.serial) continue;
                    Connection& c = *it->second;
                    f.response.deferred = nullptr;
                    send(c, f.response, f.reply);
                    service(c);
                }
                continue;
            }
            const ListenSocket* listener = nullptr;
            for (const auto& l : listeners_)
                if (l.fd == fd) listener = &l;
            if (listener) {
                if (!draining_) accept_from(*listener);
                continue;
            }
            auto it = connections_.find(fd);
            if (it != connections_.end()) service(*it->second);
        }
        run_yielded();
        auto now = Clock::now();
        if (accept_paused_ && now >= accept_resume_at_) resume_accepting();
        if (now >= next_sweep || draining_) {
            sweep(now);
            next_sweep = now + std::chrono::seconds(1);
        }
    }
}

// Makes all the progress the socket allows, in both directions (edge-triggered), up to the
// connection's budget for this wakeup; then it waits in yielded_ for its next turn.
void HttpServer::Worker::service(Connection& c) {
    char buf[read_chunk];
    int requests = 0;
    std::uint64_t bytes = budget_bytes;
    auto yield = [&] {
        if (c.yielded) return;
        c.yielded = true;
        yielded_.emplace_back(c.fd, c.serial);
    };
    for (;;) {
        if (c.phase == Connection::Phase::waiting) return;
        if (requests >= budget_requests || bytes == 0) return yield();
        if (c.phase == Connection::Phase::sending) {
            IoResult r = flush(c, bytes);
            if (r.kind == IoResult::again) {
                if (bytes == 0) yield();  // stopped by the budget, perhaps not by the socket
                return;
            }
            if (r.kind == IoResult::closed) {
                finish_response(c, false);
                close(c);
                return;
            }
            finish_response(c, true);
            if (c.close_after) {
                c.io->shutdown_write();
                c.phase = Connection::Phase::lingering;
                c.deadline = Clock::now() + linger_time;
            } else {
                c.phase = c.in.empty() ? Connection::Phase::idle : Connection::Phase::reading;
                c.deadline =
                    Clock::now() + (c.in.empty() ? shared_.limits.idle_timeout : shared_.limits.header_timeout);
                if (draining_ && c.in.empty()) {
                    close(c);
                    return;
                }
            }
            continue;
        }
        if (c.phase != Connection::Phase::lingering && !c.in.empty() && handle_input(c)) {
            ++requests;
            continue;
        }
        IoResult r = c.io->read(buf, sizeof buf);
        if (r.kind == IoResult::again) return;
        if (r.kind == IoResult::closed) {
            close(c);
            return;
        }
        if (c.phase == Connection::Phase::lingering) continue;  // discard what the client still sends
        if (c.phase == Connection::Phase::idle) {
            c.phase = Connection::Phase::reading;
            c.deadline = Clock::now() + shared_.limits.header_timeout;  // not extended by more bytes
        }
        c.in.append(buf, r.bytes);
    }
}

bool HttpServer::Worker::handle_input(Connection& c) {
    if (c.in.size() < c.in_wanted) return false;
    Request request;
    ParserLimits limits = shared_.limits.parser;
    limits.max_body = c.listener->max_body;
    ParseResult parsed = parse_request(c.in, limits, request);
    c.in_wanted = parsed.wanted;
    if (parsed.status == ParseResult::incomplete) return false;
    c.started = Clock::now();
    if (parsed.status == ParseResult::complete && parsed.body_over_limit && limits.max_body > 0) {
        parsed.status = ParseResult::error;
        parsed.error_status = 413;
        parsed.error_reason = "request body larger than the limit of " + std::to_string(limits.max_body) + " bytes";
    }
    if (parsed.status == ParseResult::error) {
        c.in.clear();
        c.method = "-";
        c.target = "-";
        respond_error(c, parsed.error_status, parsed.error_reason);
        return true;
    }
    c.in.erase(0, parsed.consumed);
    request.peer = c.peer;
    request.listener = c.listener->name;
    respond(c, request, parsed.skipped_body);
    return true;
}

void HttpServer::Worker::respond(Connection& c, Request& request, bool skipped_body) {
    Response response;
    try {
        c.listener->router->dispatch(request, response);
    } catch (const std::exception& e) {
        report_error(c.listener->name + ": " + request.method + " " + request.target + ": " + e.what());
        response = internal_error();
    }
    c.method = request.method;
    c.target = request.target;
    Reply reply{wants_keep_alive(request) && !skipped_body, request.minor_version == 0, request.method == "HEAD"};
    if (response.deferred) return defer(c, reply, std::move(response));
    send(c, response, reply);
}

void HttpServer::Worker::defer(Connection& c, Reply reply, Response response) {
    c.phase = Connection::Phase::waiting;
    c.deadline = Clock::time_point::max();  // the handler bounds its own work; a drain still ends it
    auto work = std::move(response.deferred);
    response.deferred = nullptr;
    shared_.deferred.post([this, fd = c.fd, serial = c.serial, reply, work = std::move(work),
                           response = std::move(response),
                           what = c.listener->name + ": " + c.method + " " + c.target]() mutable {
        try {
            work(response);
        } catch (const std::exception& e) {
            report_error(what + ": " + e.what());
            response = internal_error();
        }
        {
            std::lock_guard lock(inbox_mutex_);
            finished_.push_back({fd, serial, reply, std::move(response)});
        }
        wake();
    });
}

void HttpServer::Worker::send(Connection& c, Response& response, Reply reply) {
    bool keep_alive = reply.keep_alive && !response.close && !draining_;
    if (!keep_alive)
        response.close = true;
    else if (reply.http10)
        response.set_header("Connection", "keep-alive");
    queue(c, response, reply.head_only);
}

void HttpServer::Worker::respond_error(Connection& c, int status, const std::string& reason) {
    Response response;
    response.status = status;
    response.route = "bad_request";
    response.close = true;
    response.set_body(reason + "\n", "text/plain; charset=utf-8");
    queue(c, response, false);
}

void HttpServer::Worker::queue(Connection& c, Response& response, bool head_only) {
    std::string head;
    head.reserve(256);
    head += "HTTP/1.1 ";
    head += std::to_string(response.status);
    head += ' ';
    head += status_reason(response.status);
    head += "\r\nDate: ";
    head += http_date();
    head += "\r\n";
    for (const auto& [name, value] : response.headers) {
        head += name;
        head += ": ";
        head += value;
        head += "\r\n";
    }
    std::uint64_t length = response.content_length();
    if (response.status != 204 && response.status != 304) {
        head += "Content-Length: ";
        head += std::to_string(length);
        head += "\r\n";
    }
    if (response.close) head += "Connection: close\r\n";
    head += "\r\n";

    c.out.clear();
    c.out_done = 0;
    c.head_bytes = head.size();
    c.sent = 0;
    c.body_total = head_only ? 0 : length;
    c.out.push_back(BodyPart{std::move(head)});
    if (!head_only)
        for (auto& part : response.body)
            if (part.size() > 0) c.out.push_back(std::move(part));
    c.status = response.status;
    c.route = std::move(response.route);
    c.close_after = response.close;
    c.phase = Connection::Phase::sending;
    c.deadline = Clock::now() + shared_.limits.send_timeout;
}

IoResult HttpServer::Worker::flush(Connection& c, std::uint64_t& budget) {
    while (!c.out.empty()) {
        if (budget == 0) return {IoResult::again, 0};
        BodyPart& front = c.out.front();
        IoResult r;
        if (front.file) {
            std::uint64_t left = front.length - c.out_done;
            r = c.io->send_file(front.file->fd(), front.offset + c.out_done,
                                static_cast<std::size_t>(std::min<std::uint64_t>(left, file_chunk)));
        } else {
            // Gather the in-memory parts that follow (multipart range headers, JSON).
            iovec parts[16];
            int count = 0;
            for (auto it = c.out.begin(); it != c.out.end() && !it->file && count < 16; ++it, ++count) {
                std::size_t skip = count == 0 ? static_cast<std::size_t>(c.out_done) : 0;
                parts[count].iov_base = const_cast<char*>(it->bytes.data() + skip);
                parts[count].iov_len = it->bytes.size() - skip;
            }
            bool more = static_cast<std::size_t>(count) < c.out.size();
            r = c.io->write(parts, count, more);
        }
        if (r.kind != IoResult::done) return r;
        c.sent += r.bytes;
        budget -= std::min<std::uint64_t>(budget, r.bytes);
        c.deadline = Clock::now() + shared_.limits.send_timeout;
        std::uint64_t progress = r.bytes;
        while (progress > 0 && !c.out.empty()) {
            std::uint64_t left = c.out.front().size() - c.out_done;
            if (progress < left) {
                c.out_done += progress;
                progress = 0;
            } else {
                progress -= left;
                c.out.pop_front();
                c.out_done = 0;
            }
        }
    }
    return {IoResult::done, 0};
}

void HttpServer::Worker::finish_response(Connection& c, bool completed) {
    if (shared_.hooks.on_request) {
        RequestRecord record;
        record.listener = c.listener->name;
        record.method = c.method;
        record.target = c.target;
        record.route = c.route;
        record.peer = c.peer;
        record.status = c.status;
        record.body_bytes = c.sent > c.head_bytes ? c.sent - c.head_bytes : 0;
        record.duration = Clock::now() - c.started;
        record.completed = completed;
        shared_.hooks.on_request(record);
    }
    c.out.clear();
    c.status = 0;
}

void HttpServer::Worker::close(Connection& c) {
    int fd = c.fd;
    ::epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr);
    c.io.reset();
    ::close(fd);
    if (c.refused)
        --refusing_;
    else
        shared_.open_connections.fetch_sub(1);
    connections_.erase(fd);  // destroys c
}

void HttpServer::Worker::run_yielded() {
    std::vector<std::pair<int, std::uint64_t>> turn;
    turn.swap(yielded_);
    for (auto [fd, serial] : turn) {
        auto it = connections_.find(fd);
        if (it == connections_.end() || it->second->serial != serial) continue;  // closed meanwhile
        it->second->yielded = false;
        service(*it->second);
    }
}

void HttpServer::Worker::sweep(Clock::time_point now) {
    std::vector<Connection*> expired;
    for (auto& [fd, c] : connections_)
        if (now >= c->deadline) expired.push_back(c.get());
    for (Connection* c : expired) {
        if (c->phase == Connection::Phase::sending) finish_response(*c, false);
        close(*c);
    }
}

void HttpServer::Worker::begin_drain() {
    draining_ = true;
    for (const auto& l : listeners_) ::epoll_ctl(epoll_, EPOLL_CTL_DEL, l.fd, nullptr);
    auto deadline = Clock::time_point(std::chrono::nanoseconds(shared_.drain_deadline_ns.load()));
    std::vector<Connection*> idle;
    for (auto& [fd, c] : connections_) {
        if (c->phase == Connection::Phase::idle) idle.push_back(c.get());
        c->deadline = std::min(c->deadline, deadline);
    }
    for (Connection* c : idle) close(*c);
}

}  // namespace sealift::mirror::http
