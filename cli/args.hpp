// Command-line options of one subcommand: declared up front, so an unknown or
// misspelled option is a usage error instead of being silently ignored, the
// help is laid out from the declarations, and reading an option the command
// never declared does not compile.
#pragma once

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sealift::cli {

struct OptionSpec {
    std::string_view long_name;   // "--out"
    std::string_view short_name;  // "-o" or ""
    std::string_view metavar;     // "OUTDIR"; empty for a flag, which takes no value
    std::string_view help;        // "folder the bundle is written to", laid out by help_text()

    constexpr bool takes_value() const { return !metavar.empty(); }
};

// Option groups several commands share are declared once and joined into each command's list.
template <std::size_t... N>
constexpr std::array<OptionSpec, (N + ... + 0)> join(const std::array<OptionSpec, N>&... groups) {
    std::array<OptionSpec, (N + ... + 0)> all{};
    auto out = all.begin();
    ((out = std::copy(groups.begin(), groups.end(), out)), ...);
    return all;
}

// What `sealift COMMAND --help` shows, as the parser reads it at run time.
struct DeclaredCommand {
    std::string_view command;  // "mirror import"
    std::string_view usage;    // "BUNDLE --trust trust.json ... [options]"
    std::span<const OptionSpec> options;
    std::string_view notes = {};  // after the options; each line of it wrapped like the option help
};

// The same, declared as a constant the compiler reads (see CommandArgs).
template <std::size_t N>
struct CommandSpec {
    std::string_view command, usage;
    std::array<OptionSpec, N> options;
    std::string_view notes = {};

    constexpr DeclaredCommand declared() const { return {command, usage, options, notes}; }
};
template <std::size_t N>
CommandSpec(std::string_view, std::string_view, std::array<OptionSpec, N>) -> CommandSpec<N>;
template <std::size_t N>
CommandSpec(std::string_view, std::string_view, std::array<OptionSpec, N>, std::string_view) -> CommandSpec<N>;

constexpr const OptionSpec* find_option(std::span<const OptionSpec> options, std::string_view long_name) {
    for (const auto& o : options)
        if (o.long_name == long_name) return &o;
    return nullptr;
}

// The parsed command line, read by option name. Reading a name the command did
// not declare, or a flag as a value or the reverse, is a bug: Errc::internal.
// Commands read through CommandArgs, which makes that a compile error instead.
class Args {
public:
    // argv holds the words after the subcommand name; the options and notes must outlive the Args.
    Args(const DeclaredCommand& command, const std::vector<std::string>& argv);

    bool help_requested() const { return help_; }
    // Usage, then one line per option: names and metavar in one column, the help
    // in a second, wrapped at kHelpWidth with continuation lines under it; then the notes.
    std::string help_text() const;
    static constexpr std::size_t kHelpWidth = 100;

    std::optional<std::string> value(std::string_view long_name) const;
    std::string required(std::string_view long_name) const;
    std::vector<std::string> values(std::string_view long_name) const;
    bool flag(std::string_view long_name) const;
    // A whole number from `lo` to `hi`, or `fallback` when the option is absent;
    // anything else is a usage error naming the option and the range.
    unsigned number(std::string_view long_name, unsigned lo, unsigned hi, unsigned fallback) const;
    const std::vector<std::string>& positionals() const { return positionals_; }
    // Exactly `count` positional arguments, or a usage error naming `what`.
    const std::vector<std::string>& positionals(std::size_t count, const std::string& what) const;

private:
    const std::vector<std::string>& given(std::string_view long_name, bool as_value) const;

    std::string command_, usage_;
    std::span<const OptionSpec> options_;
    std::string_view notes_;
    std::map<std::string, std::vector<std::string>, std::less<>> values_;
    std::vector<std::string> positionals_;
    bool help_ = false;
};

// Why an undeclared read cannot slip through: a command reads options only after
// parsing, often in one branch of several, so no run of the tests executes every
// read. The names a command reads are string literals, though, and CommandArgs
// checks each one against the command's CommandSpec while compiling: the name
// converts to a DeclaredName through a consteval constructor, which calls one of
// the functions below (not constexpr, so the build stops and names it) when the
// name is not declared or is of the other kind. Helpers shared by several
// commands are templates on the spec, so each command's use is checked against
// its own declaration.
namespace compile_error {
void option_is_not_declared_by_this_command();
void option_is_a_flag_not_a_value();
void option_takes_a_value_not_a_flag();
}  // namespace compile_error

template <const auto& Spec, bool AsValue>
struct DeclaredName {
    std::string_view name;
    consteval DeclaredName(const char* long_name) : name(long_name) {
        const OptionSpec* o = find_option(Spec.options, name);
        if (!o) compile_error::option_is_not_declared_by_this_command();
        if (o->takes_value() && !AsValue) compile_error::option_takes_a_value_not_a_flag();
        if (!o->takes_value() && AsValue) compile_error::option_is_a_flag_not_a_value();
    }
};
template <const auto& Spec>
using ValueName = DeclaredName<Spec, true>;
template <const auto& Spec>
using FlagName = DeclaredName<Spec, false>;

// Every command line a CommandArgs is compiled for, registered before main, so
// a test can walk each command's --help without a hand-kept list.
const std::vector<DeclaredCommand>& declared_commands();
bool declare_command(const DeclaredCommand& command);

// A fixed option name as a template argument, for helpers whose caller names
// one of the options they read ("--to" or "--registry").
template <std::size_t N>
struct OptionName {
    char text[N];
    constexpr OptionName(const char (&name)[N]) { std::copy_n(name, N, text); }
};

template <const auto& Spec>
class CommandArgs : public Args {
    // Names start "--" (short ones "-" and one letter), none is --help or shared, each has its help.
    static constexpr bool well_formed() {
        for (std::size_t i = 0; i < Spec.options.size(); ++i) {
            const OptionSpec& o = Spec.options[i];
            if (o.long_name.size() < 3 || !o.long_name.starts_with("--") || o.long_name == "--help" || o.help.empty())
                return false;
            if (!o.short_name.empty() && (o.short_name.size() != 2 || o.short_name[0] != '-' || o.short_name == "-h"))
                return false;
            for (std::size_t j = 0; j < i; ++j)
                if (o.long_name == Spec.options[j].long_name ||
                    (!o.short_name.empty() && o.short_name == Spec.options[j].short_name))
                    return false;
        }
        return true;
    }
    static_assert(well_formed(), "an option of this command is misnamed, shares a name with another or has no help");
    static inline const bool declared_ = declare_command(Spec.declared());

public:
    explicit CommandArgs(const std::vector<std::string>& argv) : Args(Spec.declared(), argv) {
        static_cast<void>(&declared_);  // instantiates the registration
    }

    std::optional<std::string> value(ValueName<Spec> o) const { return Args::value(o.name); }
    std::string required(ValueName<Spec> o) const { return Args::required(o.name); }
    std::vector<std::string> values(ValueName<Spec> o) const { return Args::values(o.name); }
    bool flag(FlagName<Spec> o) const { return Args::flag(o.name); }
    unsigned number(ValueName<Spec> o, unsigned lo, unsigned hi, unsigned fallback) const {
        return Args::number(o.name, lo, hi, fallback);
    }
};

}  // namespace sealift::cli
