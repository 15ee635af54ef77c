#include "mirror/http/metrics.hpp"

#include <cstdio>

namespace sealift::mirror::http {

std::string prometheus_label(const std::string& value) {
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

void Metrics::record(const RequestRecord& r) {
    double seconds = std::chrono::duration<double>(r.duration).count();
    std::lock_guard lock(mutex_);
    ++requests_[{std::string(r.listener), std::string(r.route), r.status}];
    bytes_[{std::string(r.listener), std::string(r.route)}] += r.body_bytes;
    Histogram& h = latency_[std::string(r.listener)];
    std::size_t i = 0;
    while (i < latency_buckets.size() && seconds > latency_buckets[i]) ++i;
    if (i < latency_buckets.size()) ++h.buckets[i];
    ++h.count;
    h.sum += seconds;
    if (!r.completed) ++aborted_;
}

void Metrics::add_collector(std::function<void(std::string&)> collector) {
    std::lock_guard lock(mutex_);
    collectors_.push_back(std::move(collector));
}

std::string Metrics::render() const {
    std::string out;
    std::vector<std::function<void(std::string&)>> collectors;
    {
        std::lock_guard lock(mutex_);
        out +=
            "# HELP sealift_http_requests_total HTTP requests answered, by listener, route and status.\n"
            "# TYPE sealift_http_requests_total counter\n";
        for (const auto& [key, n] : requests_) {
            const auto& [listener, route, status] = key;
            out += "sealift_http_requests_total{listener=\"" + prometheus_label(listener) + "\",route=\"" +
                   prometheus_label(route) + "\",status=\"" + std::to_string(status) + "\"} " + std::to_string(n) +
                   "\n";
        }
        out +=
            "# HELP sealift_http_response_body_bytes_total Response body bytes sent, by listener and route.\n"
            "# TYPE sealift_http_response_body_bytes_total counter\n";
        for (const auto& [key, n] : bytes_)
            out += "sealift_http_response_body_bytes_total{listener=\"" + prometheus_label(key.first) + "\",route=\"" +
                   prometheus_label(key.second) + "\"} " + std::to_string(n) + "\n";
        out +=
            "# HELP sealift_http_responses_aborted_total Responses not sent completely (client gone, timeout).\n"
            "# TYPE sealift_http_responses_aborted_total counter\n"
            "sealift_http_responses_aborted_total " +
            std::to_string(aborted_) + "\n";
        out +=
            "# HELP sealift_http_request_duration_seconds Time from a parsed request to its response sent.\n"
            "# TYPE sealift_http_request_duration_seconds histogram\n";
        for (const auto& [listener, h] : latency_) {
            std::string label = "listener=\"" + prometheus_label(listener) + "\"";
            std::uint64_t cumulative = 0;
            char le[32];
            for (std::size_t i = 0; i < latency_buckets.size(); ++i) {
                cumulative += h.buckets[i];
                std::snprintf(le, sizeof le, "%g", latency_buckets[i]);
                out += "sealift_http_request_duration_seconds_bucket{" + label + ",le=\"" + le + "\"} " +
                       std::to_string(cumulative) + "\n";
            }
            char sum[64];
            std::snprintf(sum, sizeof sum, "%.6f", h.sum);
            out += "sealift_http_request_duration_seconds_bucket{" + label + ",le=\"+Inf\"} " +
                   std::to_string(h.count) + "\n";
            out += "sealift_http_request_duration_seconds_sum{" + label + "} " + sum + "\n";
            out += "sealift_http_request_duration_seconds_count{" + label + "} " + std::to_string(h.count) + "\n";
        }
        collectors = collectors_;
    }
    for (const auto& c : collectors) c(out);
    return out;
}

void append_metric(std::string& out, const char* name, const char* type, const char* help, std::uint64_t value) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" + name + " " +
           std::to_string(value) + "\n";
}

}  // namespace sealift::mirror::http
