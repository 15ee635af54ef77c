// One event loop of the HTTP server: accepts on every listener (shared with
// the other workers), owns the connections it accepted, and serves them to
// completion. Private to mirror/http.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/worker_pool.hpp"
#include "mirror/http/http_server.hpp"
#include "mirror/http/log_throttle.hpp"

namespace sealift::mirror::http {

using Clock = std::chrono::steady_clock;

struct ListenSocket {
    int fd;
    const ListenerConfig* config;
};

struct WorkerShared {
    const ServerLimits& limits;
    const ServerHooks& hooks;
    int stop_event;
    std::atomic<std::int64_t>& drain_deadline_ns;  // steady clock, set by stop()
    std::atomic<std::size_t>& open_connections;
    // Every worker, to deal accepted connections out in turn: whichever loop the
    // kernel wakes for a burst of connections (wrk opens 32 at once), each loop
    // ends up with its share.
    const std::vector<std::unique_ptr<HttpServer::Worker>>& workers;
    std::atomic<std::size_t>& next_worker;
    WorkerPool& deferred;     // handlers' blocking work (post only: an event loop never waits)
    LogThrottle& accept_log;  // "accept failed" lines, shared by every loop
};

class HttpServer::Worker {
public:
    Worker(WorkerShared shared, std::vector<ListenSocket> listeners);
    ~Worker();
    void run();
    // Thread-safe: gives this worker an accepted socket to serve.
    void hand_over(int fd, const ListenerConfig* listener, std::string peer);

private:
    struct Connection;
    struct Incoming {
        int fd;
        const ListenerConfig* listener;
        std::string peer;
    };
    // How a request wants its answer sent; kept while a deferred handler runs.
    struct Reply {
        bool keep_alive = true, http10 = false, head_only = false;
    };
    // A deferred handler's response, back from its thread for connection `serial`.
    struct Finished {
        int fd;
        std::uint64_t serial;
        Reply reply;
        Response response;
    };
    void accept_from(const ListenSocket& listener);
    // At the connection limit: answers 503 and lingers so the client reads it (a close
    // with its request unread would reset the connection and lose the answer).
    void refuse_busy(int fd, const ListenerConfig* listener, std::string peer);
    void adopt(const Incoming& incoming, bool refused = false);
    // Out of file descriptors: stop watching the listeners for a moment instead of
    // spinning on an accept that cannot succeed.
    void pause_accepting(Clock::time_point now);
    void resume_accepting();
    void service(Connection& c);
    void run_yielded();                // connections that used their budget get another turn
    bool handle_input(Connection& c);  // false: nothing complete to answer yet
    void respond(Connection& c, Request& request, bool skipped_body);
    void defer(Connection& c, Reply reply, Response response);
    void send(Connection& c, Response& response, Reply reply);
    void respond_error(Connection& c, int status, const std::string& reason);
    void queue(Connection& c, Response& response, bool head_only);
    IoResult flush(Connection& c, std::uint64_t& budget);
    void finish_response(Connection& c, bool completed);
    void close(Connection& c);
    void sweep(Clock::time_point now);
    void begin_drain();
    void report_error(const std::string& message) const;
    void wake();  // the event loop looks at its inbox

    WorkerShared shared_;
    std::vector<ListenSocket> listeners_;
    int epoll_ = -1;
    int wake_ = -1;  // eventfd: connections were handed over
    std::mutex inbox_mutex_;
    std::vector<Incoming> inbox_;
    std::vector<Finished> finished_;  // guarded by inbox_mutex_ too
    std::uint64_t next_serial_ = 0;
    bool draining_ = false;
    std::unordered_map<int, std::unique_ptr<Connection>> connections_;
    std::vector<int> closed_;  // closed during this round of events, freed after it
    // Connections that stopped at their budget with work left: fd and serial (the fd may be reused).
    std::vector<std::pair<int, std::uint64_t>> yielded_;
    std::size_t refusing_ = 0;  // 503 connections lingering, beyond max_connections
    bool accept_paused_ = false;
    Clock::time_point accept_resume_at_;
};

}  // namespace sealift::mirror::http
