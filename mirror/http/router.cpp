#include "mirror/http/router.hpp"

namespace sealift::mirror::http {

void Router::add(std::string method, std::string path, std::string route, Handler handler) {
    exact_.push_back({std::move(method), std::move(path), std::move(route), std::move(handler)});
}

void Router::add_prefix(std::string prefix, std::string route, Handler handler) {
    prefixes_.push_back({"", std::move(prefix), std::move(route), std::move(handler)});
}

void Router::dispatch(const Request& request, Response& response) const {
    std::string allow;
    for (const auto& r : exact_) {
        if (r.path != request.path) continue;
        if (r.method == request.method || (request.method == "HEAD" && r.method == "GET")) {
            response.route = r.name;
            r.handler(request, response);
            return;
        }
        allow += (allow.empty() ? "" : ", ") + r.method + (r.method == "GET" ? ", HEAD" : "");
    }
    if (!allow.empty()) {
        response.route = "method_not_allowed";
        response.status = 405;
        response.set_header("Allow", allow);
        response.set_body(request.method + " is not allowed on " + request.path + "\n", "text/plain; charset=utf-8");
        return;
    }
    const Route* best = nullptr;
    for (const auto& r : prefixes_)
        if (request.path.starts_with(r.path) && (!best || r.path.size() > best->path.size())) best = &r;
    if (best) {
        response.route = best->name;
        best->handler(request, response);
        return;
    }
    response.route = "not_found";
    if (not_found_) {
        not_found_(request, response);
        return;
    }
    response.status = 404;
    response.set_body("no route for " + request.path + "\n", "text/plain; charset=utf-8");
}

}  // namespace sealift::mirror::http
