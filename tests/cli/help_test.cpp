// `sealift <command> --help` for every command, found by walking the command
// table and the command lines the commands declare (the same objects the
// binary is linked from), so a new command is covered without touching this.
#include <catch2/catch.hpp>

#include <sstream>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "support/support.hpp"

using namespace sealift;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::string words_of(std::string_view text) {
    std::istringstream in{std::string(text)};
    std::string out;
    for (std::string word; in >> word;) out += (out.empty() ? "" : " ") + word;
    return out;
}

// How the help names an option: "-o, --out DIR", or "    --json" lined up with those.
std::string names_of(const cli::OptionSpec& o) {
    std::string names = o.short_name.empty() ? "    " : std::string(o.short_name) + ", ";
    return names + std::string(o.long_name) + (o.takes_value() ? " " + std::string(o.metavar) : "");
}

test::CommandResult help_of(std::string_view command) {
    return test::run(test::sealift_binary() + " " + std::string(command) + " --help");
}

// Over the width only where a word is longer than the room the line leaves it.
void check_width(const std::vector<std::string>& lines) {
    for (const auto& line : lines) {
        if (line.size() <= cli::Args::kHelpWidth) continue;
        INFO(line);
        CHECK(line.find(' ', line.find_first_not_of(' ')) == std::string::npos);
    }
}

// The declared command lines of the commands in the table ("trust init" is
// trust's), not those a test declares for itself.
std::vector<cli::DeclaredCommand> command_lines() {
    std::vector<cli::DeclaredCommand> lines;
    for (const auto& d : cli::declared_commands())
        for (const auto& c : cli::commands())
            if (d.command == c.name || d.command.starts_with(c.name + " ")) {
                lines.push_back(d);
                break;
            }
    return lines;
}

}  // namespace

TEST_CASE("help: every command in the table prints its usage and exits 0, and declares its options") {
    REQUIRE(cli::commands().size() >= 15);
    for (const auto& c : cli::commands()) {
        INFO("sealift " << c.name << " --help");
        auto r = help_of(c.name);
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::StartsWith("usage: sealift " + c.name + " "));
        // Its options are read through a CommandArgs, which checks every read
        // against the declaration while compiling: a command reading an option it
        // does not declare is not built, let alone run.
        bool declared = false;
        for (const auto& d : command_lines())
            declared = declared || d.command == c.name || d.command.starts_with(c.name + " ");
        CHECK(declared);
    }
}

TEST_CASE("help: every declared command line shows each option once, its help starting in one column") {
    REQUIRE(command_lines().size() >= cli::commands().size());
    for (const auto& d : command_lines()) {
        INFO("sealift " << d.command << " --help");
        auto r = help_of(d.command);
        CHECK(r.exit_code == 0);
        CHECK(r.err == "");
        // All of it laid out by Args (mirror serve adds its config file's keys after).
        const std::string help = cli::Args(d, {}).help_text();
        CHECK_THAT(r.out, Catch::StartsWith(help));
        auto lines = lines_of(help);
        check_width(lines);
        auto blank = std::find(lines.begin(), lines.end(), "");
        std::string usage;
        for (auto l = lines.begin(); l != blank; ++l) usage += *l + " ";
        CHECK(words_of(usage) == words_of("usage: sealift " + std::string(d.command) + " " + std::string(d.usage)));
        if (d.options.empty()) continue;

        auto at = std::find(lines.begin(), lines.end(), "options:");
        REQUIRE(at != lines.end());
        ++at;
        std::size_t column = 0;
        for (const auto& o : d.options) {
            INFO(o.long_name);
            REQUIRE(at != lines.end());
            const std::string lead = "  " + names_of(o) + "  ";
            REQUIRE_THAT(*at, Catch::StartsWith(lead));
            std::size_t start = at->find_first_not_of(' ', lead.size() - 2);
            if (column == 0) column = start;
            CHECK(start == column);
            std::string text = at->substr(start);
            for (++at; at != lines.end() && at->size() > column && at->find_first_not_of(' ') == column; ++at)
                text += " " + at->substr(column);
            CHECK(text == words_of(o.help));
        }
        REQUIRE((at == lines.end() || at->empty()));  // nothing else among the options
        std::string notes;
        for (; at != lines.end(); ++at) notes += *at + " ";
        CHECK(words_of(notes) == words_of(d.notes));
    }
}

TEST_CASE("help: every option the help lists is one the command's parser takes") {
    for (const auto& d : command_lines()) {
        for (const auto& o : d.options) {
            for (auto name : {o.long_name, o.short_name}) {
                if (name.empty()) continue;
                std::string command = std::string(d.command) + " " + std::string(name) + (o.takes_value() ? " x" : "");
                INFO("sealift " << command << " --help");
                auto r = help_of(command);
                CHECK(r.exit_code == 0);
                CHECK(r.err == "");
            }
        }
    }
}
