// How main reports a command that failed: the one-line error on stderr, and,
// when the command was asked for --json, the same error as a JSON object on
// stdout, {"error": {"code": ..., "message": ...}}, so a tool reading the
// report gets one on failure too. A command may add members to that object
// (verify names the bundle) and choose the exit status of a failure (diff
// --exit-code keeps 1 for "differs").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/json.hpp"

namespace sealift::cli {

struct FailureReport {
    bool json = false;               // print the JSON error object on stdout (not after a report saying why)
    Json members = Json::object();   // more members of that object, beside "error"
    std::optional<int> exit_status;  // instead of 2 for usage and I/O errors, 1 for the rest
};

// The one report of this process's command.
FailureReport& failure_report();

// {"error": {"code": "<errc_name>", "message": ...}}: the layout docs/json-reports.md describes.
Json error_json(const std::string& code, const std::string& message);

// Whether `argv` (the words after the command's name) asks a command that declares --json for it.
bool asks_for_json(const std::string& command, const std::vector<std::string>& argv);

// Prints the failure as described above and returns the exit status.
int report_failure(const std::string& code, const std::string& message, int default_status);

}  // namespace sealift::cli
