// One client connection of a Worker's event loop: private to the worker's files
// (worker.cpp: reading, parsing, responding; worker_accept.cpp: accepting, adopting).
#pragma once

#include <deque>
#include <memory>
#include <string>

#include "mirror/http/worker.hpp"

namespace sealift::mirror::http {

struct HttpServer::Worker::Connection {
    int fd = -1;
    std::unique_ptr<Transport> io;
    const ListenerConfig* listener = nullptr;
    std::string peer;
    std::string in;             // received, not yet parsed
    std::size_t in_wanted = 0;  // parse `in` again once it holds this many bytes
    std::uint64_t serial = 0;   // tells a deferred response's connection from a later one on the same fd
    // waiting: a deferred handler runs; nothing more is read or parsed until it answered.
    enum class Phase { idle, reading, waiting, sending, lingering } phase = Phase::idle;
    Clock::time_point deadline;
    // The response being sent.
    std::deque<BodyPart> out;
    std::uint64_t out_done = 0;  // bytes of out.front() already sent
    std::uint64_t body_sent = 0, body_total = 0, head_bytes = 0, sent = 0;
    bool close_after = false, keep_alive_ok = true;
    bool refused = false;  // a 503 beyond the connection limit: counted in refusing_, not open_connections
    bool yielded = false;  // in yielded_, waiting for another turn
    std::string method, target, route;
    int status = 0;
    Clock::time_point started;
};

}  // namespace sealift::mirror::http
