// Time as signed metadata carries it: whole seconds, UTC, RFC 3339 with a "Z".
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace sealift {

using TimePoint = std::chrono::sys_seconds;

std::string format_time(TimePoint t);         // 2026-11-23T18:00:00Z
TimePoint parse_time(std::string_view text);  // the form above only
TimePoint now_seconds();

// "90d", "12h", "30m", "45s", "2w" or a combination ("1d12h").
std::chrono::seconds parse_duration(std::string_view text);

// An expiry given as a duration from `from` or as an absolute RFC 3339 time or date (YYYY-MM-DD).
TimePoint parse_expiry(std::string_view text, TimePoint from);

// SOURCE_DATE_EPOCH when set (validated), else the current time.
TimePoint build_time();

}  // namespace sealift
