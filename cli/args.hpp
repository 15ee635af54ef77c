// Command-line options of one subcommand: declared up front, so an unknown or
// misspelled option is a usage error instead of being silently ignored.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sealift::cli {

struct OptionSpec {
    std::string long_name;   // "--out"
    std::string short_name;  // "-o" or ""
    bool takes_value;
    std::string help;        // "DIR  where the bundle is written"
};

class Args {
public:
    // argv holds the words after the subcommand name.
    Args(std::string command, std::string usage, std::vector<OptionSpec> specs, const std::vector<std::string>& argv);

    bool help_requested() const { return help_; }
    std::string help_text() const;

    std::optional<std::string> value(const std::string& long_name) const;
    std::string required(const std::string& long_name) const;
    std::vector<std::string> values(const std::string& long_name) const;
    bool flag(const std::string& long_name) const { return values_.count(long_name) > 0; }
    // A whole number from `lo` to `hi`, or `fallback` when the option is absent;
    // anything else is a usage error naming the option and the range.
    unsigned number(const std::string& long_name, unsigned lo, unsigned hi, unsigned fallback) const;
    const std::vector<std::string>& positionals() const { return positionals_; }
    // Exactly `count` positional arguments, or a usage error naming `what`.
    const std::vector<std::string>& positionals(std::size_t count, const std::string& what) const;

private:
    std::string command_, usage_;
    std::vector<OptionSpec> specs_;
    std::map<std::string, std::vector<std::string>> values_;
    std::vector<std::string> positionals_;
    bool help_ = false;
};

}  // namespace sealift::cli
