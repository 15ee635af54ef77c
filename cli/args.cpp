#include "cli/args.hpp"

#include "core/error.hpp"

namespace sealift::cli {

Args::Args(const DeclaredCommand& command, const std::vector<std::string>& argv)
    : command_(command.command), usage_(command.usage), options_(command.options), notes_(command.notes) {
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
        for (const auto& s : options_)
            if (s.long_name == word || (!s.short_name.empty() && s.short_name == word)) spec = &s;
        if (!spec) fail(Errc::usage, "sealift " + command_ + ": unknown option '" + word + "' (see --help)");
        std::string name(spec->long_name);
        if (!spec->takes_value()) {
            if (inline_value) fail(Errc::usage, "sealift " + command_ + ": option " + name + " takes no value");
            values_[name].push_back("");
            continue;
        }
        if (!inline_value) {
            if (i + 1 >= argv.size()) fail(Errc::usage, "sealift " + command_ + ": option " + name + " needs a value");
            inline_value = argv[++i];
        }
        values_[name].push_back(*inline_value);
    }
}

namespace {

// `text` broken at spaces into lines of at most `width` characters, the spacing
// within a line kept; a word longer than that stands alone on its line.
std::vector<std::string> wrap(std::string_view text, std::size_t width) {
    std::vector<std::string> lines(1);
    for (std::size_t pos = 0, start; (start = text.find_first_not_of(' ', pos)) != std::string_view::npos;) {
        std::size_t end = std::min(text.find(' ', start), text.size());
        std::string_view gap = text.substr(pos, start - pos), word = text.substr(start, end - start);
        if (!lines.back().empty() && lines.back().size() + gap.size() + word.size() > width) lines.emplace_back();
        if (!lines.back().empty()) lines.back() += gap;
        lines.back() += word;
        pos = end;
    }
    return lines;
}

// "-o, --out OUTDIR"; long names without a short one line up with those after one.
std::string names_of(const OptionSpec& o) {
    std::string names = o.short_name.empty() ? "    " : std::string(o.short_name) + ", ";
    names += o.long_name;
    if (o.takes_value()) names += " " + std::string(o.metavar);
    return names;
}

}  // namespace

std::string Args::help_text() const {
    const std::string lead = "usage: sealift " + command_ + " ";
    std::string out;
    for (const auto& line : wrap(usage_, kHelpWidth - lead.size()))
        out += (out.empty() ? lead : std::string(lead.size(), ' ')) + line + "\n";
    std::size_t names_width = 0;
    for (const auto& o : options_) names_width = std::max(names_width, names_of(o).size());
    const std::size_t column = 2 + names_width + 2;
    if (!options_.empty()) out += "\noptions:\n";
    for (const auto& o : options_) {
        std::string names = names_of(o);
        std::string line = "  " + names + std::string(names_width - names.size() + 2, ' ');
        for (const auto& help : wrap(o.help, kHelpWidth - column)) {
            out += line + help + "\n";
            line.assign(column, ' ');
        }
    }
    if (!notes_.empty()) out += "\n";
    // A line of the notes indented (a list item) keeps its indent on the lines it wraps to.
    for (std::size_t start = 0; start < notes_.size();) {
        std::size_t end = std::min(notes_.find('\n', start), notes_.size());
        std::string_view line = notes_.substr(start, end - start);
        std::string indent(std::min(line.find_first_not_of(' '), line.size()), ' ');
        for (const auto& part : wrap(line, kHelpWidth - indent.size()))
            out += (part.empty() ? "" : indent) + part + "\n";
        start = end + 1;
    }
    return out;
}

const std::vector<std::string>& Args::given(std::string_view long_name, bool as_value) const {
    const OptionSpec* spec = find_option(options_, long_name);
    std::string name(long_name);
    if (!spec) fail(Errc::internal, "internal: option " + name + " is not declared by 'sealift " + command_ + "'");
    if (spec->takes_value() != as_value)
        fail(Errc::internal, "internal: option " + name + " of 'sealift " + command_ + "' is read as " +
                                 (as_value ? "taking a value" : "a flag") + " but declared as " +
                                 (as_value ? "a flag" : "taking a value"));
    static const std::vector<std::string> none;
    auto it = values_.find(long_name);
    return it == values_.end() ? none : it->second;
}

std::optional<std::string> Args::value(std::string_view long_name) const {
    const auto& v = given(long_name, true);
    if (v.empty()) return std::nullopt;
    if (v.size() > 1)
        fail(Errc::usage, "sealift " + command_ + ": option " + std::string(long_name) + " given more than once");
    return v.front();
}

std::string Args::required(std::string_view long_name) const {
    auto v = value(long_name);
    if (!v)
        fail(Errc::usage, "sealift " + command_ + ": option " + std::string(long_name) + " is required (see --help)");
    return *v;
}

bool Args::flag(std::string_view long_name) const { return !given(long_name, false).empty(); }

unsigned Args::number(std::string_view long_name, unsigned lo, unsigned hi, unsigned fallback) const {
    auto text = value(long_name);
    if (!text) return fallback;
    bool digits = !text->empty() && text->size() <= 9 && text->find_first_not_of("0123456789") == std::string::npos;
    unsigned long n = digits ? std::stoul(*text) : 0;
    if (!digits || n < lo || n > hi)
        fail(Errc::usage, "sealift " + command_ + ": " + std::string(long_name) + " must be a number from " +
                              std::to_string(lo) + " to " + std::to_string(hi) + ", not '" + *text + "'");
    return static_cast<unsigned>(n);
}

std::vector<std::string> Args::values(std::string_view long_name) const { return given(long_name, true); }

const std::vector<std::string>& Args::positionals(std::size_t count, const std::string& what) const {
    if (positionals_.size() != count) fail(Errc::usage, "sealift " + command_ + ": expected " + what + " (see --help)");
    return positionals_;
}

static std::vector<DeclaredCommand>& declared() {
    static std::vector<DeclaredCommand> all;
    return all;
}

const std::vector<DeclaredCommand>& declared_commands() { return declared(); }

bool declare_command(const DeclaredCommand& command) {
    declared().push_back(command);
    return true;
}

}  // namespace sealift::cli
