#include "cli/command.hpp"

namespace sealift::cli {

static std::vector<Command>& registry() {
    static std::vector<Command> all;
    return all;
}

const std::vector<Command>& commands() { return registry(); }

CommandRegistration::CommandRegistration(std::string name, std::string summary, CommandFn run) {
    registry().push_back({std::move(name), std::move(summary), std::move(run)});
}

}  // namespace sealift::cli
