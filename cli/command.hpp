// Subcommands register themselves here, one file per subcommand, so adding a
// command touches no shared table.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace sealift::cli {

// Returns the process exit status. Throws sealift::Error for failures; main maps
// the error code to the exit status (usage and unopenable files: 2, else 1).
using CommandFn = std::function<int(const std::vector<std::string>& argv)>;

struct Command {
    std::string name;     // "build", "trust", "mirror"
    std::string summary;  // one line for `sealift --help`
    CommandFn run;
};

const std::vector<Command>& commands();

struct CommandRegistration {
    CommandRegistration(std::string name, std::string summary, CommandFn run);
};

}  // namespace sealift::cli
