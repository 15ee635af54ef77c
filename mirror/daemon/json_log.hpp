// The daemon's structured log: one JSON object per line on stderr (journald
// keeps each line as one entry): {"time":..., "level":..., "event":..., fields...}.
#pragma once

#include <string>
#include <string_view>

#include "core/json.hpp"

namespace sealift::mirror::daemon {

enum class LogLevel { debug, info, warn, error };

// "debug", "info", "warn", "error" (the config has checked the name).
LogLevel log_level_named(const std::string& name);

class JsonLog {
public:
    explicit JsonLog(LogLevel min_level, int fd = 2) : min_level_(min_level), fd_(fd) {}
    bool enabled(LogLevel level) const { return level >= min_level_; }
    // Thread-safe: each line leaves in one write().
    void write(LogLevel level, std::string_view event, Json fields = Json::object()) const;

private:
    LogLevel min_level_;
    int fd_;
};

}  // namespace sealift::mirror::daemon
