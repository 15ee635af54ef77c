#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/command.hpp"
#include "core/error.hpp"

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

namespace {

void print_usage() {
    auto cmds = sealift::cli::commands();
    std::sort(cmds.begin(), cmds.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    std::cout << "usage: sealift COMMAND [OPTIONS]\n\nGet software releases into networks that cannot reach the internet.\n\ncommands:\n";
    for (const auto& c : cmds) std::printf("  %-10s %s\n", c.name.c_str(), c.summary.c_str());
    std::cout << "\nRun 'sealift COMMAND --help' for a command's options.\n";
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> words(argv + 1, argv + argc);
    if (words.empty() || words[0] == "--help" || words[0] == "-h" || words[0] == "help") {
        print_usage();
        return words.empty() ? 2 : 0;
    }
    if (words[0] == "--version") {
        std::cout << "sealift 0.1.0\n";
        return 0;
    }
    for (const auto& c : sealift::cli::commands()) {
        if (c.name != words[0]) continue;
        try {
            return c.run(std::vector<std::string>(words.begin() + 1, words.end()));
        } catch (const sealift::Error& e) {
            std::cerr << "sealift: " << e.what() << "\n";
            bool usage = e.code() == sealift::Errc::usage || e.code() == sealift::Errc::io;
            return usage ? 2 : 1;
        } catch (const std::filesystem::filesystem_error& e) {
            // A folder that cannot be made or read (an output under a file, no permission):
            // an I/O problem of the user's path, not a bug.
            std::cerr << "sealift: " << e.path1().string() << ": " << e.code().message() << "\n";
            return 2;
        } catch (const std::exception& e) {
            std::cerr << "sealift: internal error: " << e.what() << "\n";
            return 1;
        }
    }
    std::cerr << "sealift: unknown command '" << words[0] << "' (see sealift --help)\n";
    return 2;
}
