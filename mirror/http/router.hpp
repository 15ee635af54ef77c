// A listener's route table: exact paths per method, and path prefixes whose
// handler sees every method (the registry API under /v2/ parses its own
// paths). Each listener has its own router, so an admin API on another port
// never shares routes with the anonymous pull port.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "mirror/http/http_message.hpp"

namespace sealift::mirror::http {

// Fills `response` for `request`. Runs on a server worker thread; handlers of
// one router run concurrently and must only share thread-safe state.
using Handler = std::function<void(const Request& request, Response& response)>;

class Router {
public:
    // `route` names the route in metrics and logs ("healthz", "manifests").
    void add(std::string method, std::string path, std::string route, Handler handler);
    // Any method, any path starting with `prefix`; the longest prefix wins.
    void add_prefix(std::string prefix, std::string route, Handler handler);
    // Answers paths no route matched (default: 404 with a short text body).
    void set_not_found(Handler handler) { not_found_ = std::move(handler); }

    // Runs the matching handler. An exact path with another method is 405 with
    // Allow (HEAD is allowed wherever GET is, and answered as GET without body).
    void dispatch(const Request& request, Response& response) const;

private:
    struct Route {
        std::string method, path, name;
        Handler handler;
    };
    std::vector<Route> exact_, prefixes_;
    Handler not_found_;
};

}  // namespace sealift::mirror::http
