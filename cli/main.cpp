#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/command.hpp"
#include "cli/failure_report.hpp"
#include "core/error.hpp"

namespace {

using sealift::cli::Command;

// Commands sorted by name; with a group ("mirror"), only that group's "mirror ..." commands.
std::vector<Command> sorted_commands(const std::string& group) {
    std::vector<Command> cmds;
    for (const auto& c : sealift::cli::commands())
        if (group.empty() || c.name.rfind(group + " ", 0) == 0) cmds.push_back(c);
    std::sort(cmds.begin(), cmds.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return cmds;
}

void print_usage(const std::string& group) {
    const std::string prefix = group.empty() ? "" : group + " ";
    std::cout << "usage: sealift " << prefix << "COMMAND [OPTIONS]\n\n";
    if (group.empty()) std::cout << "Get software releases into networks that cannot reach the internet.\n\n";
    std::cout << "commands:\n";
    for (const auto& c : sorted_commands(group)) std::printf("  %-18s %s\n", c.name.c_str(), c.summary.c_str());
    std::cout << "\nRun 'sealift " << prefix << "COMMAND --help' for a command's options.\n";
}

// A command is one word ("build") or a group and a word ("mirror import").
const Command* find_command(const std::vector<std::string>& words, std::size_t& used) {
    for (const auto& c : sealift::cli::commands()) {
        if (words.size() >= 2 && c.name == words[0] + " " + words[1]) {
            used = 2;
            return &c;
        }
    }
    for (const auto& c : sealift::cli::commands()) {
        if (c.name == words[0]) {
            used = 1;
            return &c;
        }
    }
    return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> words(argv + 1, argv + argc);
    if (words.empty() || words[0] == "--help" || words[0] == "-h" || words[0] == "help") {
        print_usage("");
        return words.empty() ? 2 : 0;
    }
    if (words[0] == "--version") {
        std::cout << "sealift 0.1.0\n";
        return 0;
    }
    std::size_t used = 0;
    const Command* command = find_command(words, used);
    if (!command) {
        if (!sorted_commands(words[0]).empty()) {
            bool asked = words.size() >= 2 && (words[1] == "--help" || words[1] == "-h");
            if (words.size() >= 2 && !asked)
                std::cerr << "sealift: unknown command '" << words[0] << " " << words[1] << "'\n";
            print_usage(words[0]);
            return asked ? 0 : 2;
        }
        std::cerr << "sealift: unknown command '" << words[0] << "' (see sealift --help)\n";
        return 2;
    }
    std::vector<std::string> argv_rest(words.begin() + used, words.end());
    sealift::cli::failure_report().json = sealift::cli::asks_for_json(command->name, argv_rest);
    using sealift::cli::report_failure;
    try {
        return command->run(argv_rest);
    } catch (const sealift::Error& e) {
        bool usage = e.code() == sealift::Errc::usage || e.code() == sealift::Errc::io;
        return report_failure(sealift::errc_name(e.code()), e.what(), usage ? 2 : 1);
    } catch (const std::filesystem::filesystem_error& e) {
        // A folder that cannot be made or read (an output under a file, no permission):
        // an I/O problem of the user's path, not a bug.
        return report_failure(sealift::errc_name(sealift::Errc::io), e.path1().string() + ": " + e.code().message(), 2);
    } catch (const std::exception& e) {
        return report_failure(sealift::errc_name(sealift::Errc::internal), std::string("internal error: ") + e.what(),
                              1);
    }
}
