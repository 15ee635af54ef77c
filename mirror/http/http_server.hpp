// The embedded registry's HTTP/1.1 engine: epoll, one event loop per worker
// thread, keep-alive and pipelining, request size limits, idle and slow-client
// timeouts, bounded connections, zero-copy file bodies, and a clean stop that
// finishes the responses in flight. Several listeners, each with its own
// router and transport (plain TCP by default; TLS is a TransportFactory).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/worker_pool.hpp"
#include "mirror/http/http_message.hpp"
#include "mirror/http/log_throttle.hpp"
#include "mirror/http/request_parser.hpp"
#include "mirror/http/router.hpp"
#include "mirror/http/transport.hpp"

namespace sealift::mirror::http {

struct ServerLimits {
    ParserLimits parser;
    std::chrono::milliseconds idle_timeout{60'000};    // keep-alive connection without a request
    std::chrono::milliseconds header_timeout{10'000};  // first byte of a request to its last
    std::chrono::milliseconds send_timeout{60'000};    // a response making no progress
    // Beyond: 503 and close. Capped at start to what the open-file limit allows (after
    // raising its soft value to the hard one), with a line for the error hook saying so.
    std::size_t max_connections = 4096;
    unsigned threads = 0;            // event loops; 0 = one per core
    unsigned deferred_threads = 16;  // at most this many deferred handlers at once (threads start on demand)
};

struct ListenerConfig {
    std::string name;     // "registry", "admin": in logs and metrics
    std::string address;  // "127.0.0.1:5000", "[::1]:5000", "localhost:0", ":5000" (all interfaces)
    std::shared_ptr<const Router> router;
    TransportFactory transport;  // empty: plain TCP with sendfile
    // The largest request body read (kept in memory until answered). 0: none, and a
    // request announcing one is answered without it and its connection closed; above a
    // non-zero limit the answer is 413. The pull side reads no bodies: holding them would
    // let idle clients grow the server's memory by a MiB each.
    std::size_t max_body = 0;
};

// What the server reports after each response is sent (or abandoned).
struct RequestRecord {
    std::string_view listener, method, target, route, peer;
    int status = 0;
    std::uint64_t body_bytes = 0;         // body bytes actually sent
    std::chrono::nanoseconds duration{};  // request parsed -> response sent
    bool completed = true;                // false: the client went away or timed out mid-response
};

struct ServerHooks {
    std::function<void(const RequestRecord&)> on_request;  // metrics, access logs
    std::function<void(const std::string&)> on_error;      // default: one line on stderr
};

class HttpServer {
public:
    // Binds and listens on every address (throws sealift::Error naming the
    // address on failure); serves nothing until start().
    HttpServer(std::vector<ListenerConfig> listeners, ServerLimits limits = {}, ServerHooks hooks = {});
    ~HttpServer();  // stop() with no drain time, then wait()
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // "127.0.0.1:43123" as bound (the real port when asked for :0).
    std::string bound_address(std::size_t listener) const;
    int bound_port(std::size_t listener) const;

    void start();
    // Thread-safe. Stops accepting, closes idle connections, lets responses in
    // flight finish for up to `drain`, then closes whatever is left.
    void stop(std::chrono::milliseconds drain = std::chrono::seconds(10));
    // Blocks until every worker has stopped.
    void wait();
    bool running() const { return started_ && !stopped_; }
    // The connection limit in force (after start(): capped to the open-file limit).
    std::size_t max_connections() const { return limits_.max_connections; }
    std::size_t open_connections() const { return open_connections_.load(); }

    class Worker;  // private to the server

private:
    struct Listener {
        ListenerConfig config;
        int fd = -1;
        std::string bound;
        int port = 0;
    };
    std::vector<Listener> listeners_;
    ServerLimits limits_;
    ServerHooks hooks_;
    int stop_event_ = -1;  // eventfd every worker polls
    std::atomic<std::int64_t> drain_deadline_ns_{0};
    std::atomic<std::size_t> open_connections_{0};
    std::atomic<std::size_t> next_worker_{0};
    LogThrottle accept_log_{std::chrono::seconds(10)};
    std::vector<std::unique_ptr<Worker>> workers_;
    // Handlers' blocking work; stopped before the workers it reports to go away.
    std::unique_ptr<WorkerPool> deferred_;
    std::vector<std::thread> threads_;
    bool started_ = false;
    std::atomic<bool> stopped_{false};
};

}  // namespace sealift::mirror::http
