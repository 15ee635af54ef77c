// Prometheus text-format metrics of the server: requests by listener, route
// and status, body bytes served, a latency histogram; other parts (the
// store's size, the daemon's imports by verdict) add their own lines through
// collectors. Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "mirror/http/http_server.hpp"

namespace sealift::mirror::http {

class Metrics {
public:
    void record(const RequestRecord& record);
    // Appends complete metric families (# HELP, # TYPE, samples) to `out` at each scrape.
    void add_collector(std::function<void(std::string& out)> collector);
    std::string render() const;

    static constexpr std::array<double, 14> latency_buckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                               0.1,    0.25,  0.5,    1,     2.5,  5,     10};

private:
    struct Histogram {
        std::array<std::uint64_t, latency_buckets.size()> buckets{};  // non-cumulative
        std::uint64_t count = 0;
        double sum = 0;
    };
    mutable std::mutex mutex_;
    std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;  // listener, route, status
    std::map<std::pair<std::string, std::string>, std::uint64_t> bytes_;           // listener, route
    std::map<std::string, Histogram> latency_;                                     // listener
    std::uint64_t aborted_ = 0;
    std::vector<std::function<void(std::string&)>> collectors_;
};

// A label value escaped for the text format.
std::string prometheus_label(const std::string& value);

// Appends a one-sample metric family without labels: # HELP, # TYPE ("counter", "gauge"), the sample.
void append_metric(std::string& out, const char* name, const char* type, const char* help, std::uint64_t value);

}  // namespace sealift::mirror::http
