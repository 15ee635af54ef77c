#include "cli/failure_report.hpp"

#include <algorithm>
#include <iostream>

#include "cli/args.hpp"

namespace sealift::cli {

FailureReport& failure_report() {
    static FailureReport report;
    return report;
}

Json error_json(const std::string& code, const std::string& message) {
    return {{"error", {{"code", code}, {"message", message}}}};
}

bool asks_for_json(const std::string& command, const std::vector<std::string>& argv) {
    const auto& declared = declared_commands();
    auto it = std::find_if(declared.begin(), declared.end(), [&](const auto& d) { return d.command == command; });
    if (it == declared.end() || !find_option(it->options, "--json")) return false;
    // The words before "--" (after it everything is an operand), as the option parser reads them.
    auto end = std::find(argv.begin(), argv.end(), "--");
    return std::find(argv.begin(), end, "--json") != end;
}

int report_failure(const std::string& code, const std::string& message, int default_status) {
    const FailureReport& report = failure_report();
    // Messages that name their command already ("sealift build: ...") are not prefixed twice.
    std::cerr << (message.rfind("sealift ", 0) == 0 ? "" : "sealift: ") << message << "\n";
    if (report.json) {
        Json out = report.members;
        out.update(error_json(code, message));
        std::cout << dump_json_safe(out, 2) << "\n" << std::flush;
    }
    return report.exit_status.value_or(default_status);
}

}  // namespace sealift::cli
