#include "mirror/daemon/json_log.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>

namespace sealift::mirror::daemon {
namespace {

const char* level_name(LogLevel level) {
    switch (level) {
    case LogLevel::debug: return "debug";
    case LogLevel::info: return "info";
    case LogLevel::warn: return "warn";
    case LogLevel::error: return "error";
    }
    return "info";
}

// RFC 3339 UTC with milliseconds: log lines of one second still sort.
std::string now_text() {
    auto now = std::chrono::system_clock::now();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    std::time_t seconds = ms / 1000;
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
    return buf;
}

}  // namespace

LogLevel log_level_named(const std::string& name) {
    if (name == "debug") return LogLevel::debug;
    if (name == "warn") return LogLevel::warn;
    if (name == "error") return LogLevel::error;
    return LogLevel::info;
}

void JsonLog::write(LogLevel level, std::string_view event, Json fields) const {
    if (!enabled(level)) return;
    // Ordered: time, level and event lead every line for a reader scanning the journal.
    nlohmann::ordered_json line = {{"time", now_text()}, {"level", level_name(level)}, {"event", std::string(event)}};
    for (auto& [key, value] : fields.items()) line[key] = value;
    std::string text = dump_json_safe(line) + "\n";
    // One write per line keeps lines whole across threads; a short write to a pipe this small does not happen.
    if (::write(fd_, text.data(), text.size()) < 0) return;  // nowhere left to report a failing log
}

}  // namespace sealift::mirror::daemon
