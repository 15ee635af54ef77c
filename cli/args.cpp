#include "cli/args.hpp"

#include "core/error.hpp"

namespace sealift::cli {

Args::Args(std::string command, std::string usage, std::vector<OptionSpec> specs, const std::vector<std::string>& argv)
    : command_(std::move(command)), usage_(std::move(usage)), specs_(std::move(specs)) {
    bool only_positionals = false;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        std::string word = argv[i];
        if (only_positionals || word.size() < 2 || word[0] != '-') {
            positionals_.push_back(word);
            continue;
        }
        if (word == "--") {
            only_positionals = true;
            continue;
        }
        if (word == "-h" || word == "--help") {
            help_ = true;
            continue;
        }
        std::optional<std::string> inline_value;
        if (auto eq = word.find('='); word.rfind("--", 0) == 0 && eq != std::string::npos) {
            inline_value = word.substr(eq + 1);
            word = word.substr(0, eq);
        }
        const OptionSpec* spec = nullptr;
        for (const auto& s : specs_)
            if (s.long_name == word || (!s.short_name.empty() && s.short_name == word)) spec = &s;
        if (!spec) fail(Errc::usage, "sealift " + command_ + ": unknown option '" + word + "' (see --help)");
        if (!spec->takes_value) {
            if (inline_value) fail(Errc::usage, "sealift " + command_ + ": option " + spec->long_name + " takes no value");
            values_[spec->long_name].push_back("");
            continue;
        }
        if (!inline_value) {
            if (i + 1 >= argv.size()) fail(Errc::usage, "sealift " + command_ + ": option " + spec->long_name + " needs a value");
            inline_value = argv[++i];
        }
        values_[spec->long_name].push_back(*inline_value);
    }
}

std::string Args::help_text() const {
    std::string out = "usage: sealift " + command_ + " " + usage_ + "\n";
    if (!specs_.empty()) out += "\noptions:\n";
    for (const auto& s : specs_) {
        std::string names = s.short_name.empty() ? "    " + s.long_name : s.short_name + ", " + s.long_name;
        out += "  " + names + (s.help.empty() ? "" : "  " + s.help) + "\n";
    }
    return out;
}

std::optional<std::string> Args::value(const std::string& long_name) const {
    auto it = values_.find(long_name);
    if (it == values_.end()) return std::nullopt;
    if (it->second.size() > 1) fail(Errc::usage, "sealift " + command_ + ": option " + long_name + " given more than once");
    return it->second.front();
}

std::string Args::required(const std::string& long_name) const {
    auto v = value(long_name);
    if (!v) fail(Errc::usage, "sealift " + command_ + ": option " + long_name + " is required (see --help)");
    return *v;
}

unsigned Args::number(const std::string& long_name, unsigned lo, unsigned hi, unsigned fallback) const {
    auto text = value(long_name);
    if (!text) return fallback;
    bool digits = !text->empty() && text->size() <= 9 && text->find_first_not_of("0123456789") == std::string::npos;
    unsigned long n = digits ? std::stoul(*text) : 0;
    if (!digits || n < lo || n > hi)
        fail(Errc::usage, "sealift " + command_ + ": " + long_name + " must be a number from " + std::to_string(lo) + " to " +
                              std::to_string(hi) + ", not '" + *text + "'");
    return static_cast<unsigned>(n);
}

std::vector<std::string> Args::values(const std::string& long_name) const {
    auto it = values_.find(long_name);
    return it == values_.end() ? std::vector<std::string>{} : it->second;
}

const std::vector<std::string>& Args::positionals(std::size_t count, const std::string& what) const {
    if (positionals_.size() != count)
        fail(Errc::usage, "sealift " + command_ + ": expected " + what + " (see --help)");
    return positionals_;
}

}  // namespace sealift::cli
