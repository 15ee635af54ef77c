#include <iostream>
#include <optional>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/error.hpp"
#include "diff/diff.hpp"

namespace sealift::cli {
namespace {

constexpr CommandSpec kDiff{
    "diff", "OLD NEW [--json | --markdown] [--trust trust.json]",
    std::to_array<OptionSpec>({
        {"--json", "", "", "machine-readable output"},
        {"--markdown", "", "", "Markdown, for release notes"},
        {"--trust", "", "trust.json", "verify both releases first (signatures, and every entry of a bundle)"},
    }),
    "OLD and NEW are bundles or bare sealift/manifest.json files. Lists images added, removed and changed "
    "(digests, and the sizes of the layers the new image brings), charts whose version changed, and the "
    "packages the images' SBOMs add, remove or change. From a bare manifest, layer sizes and packages are "
    "unknown. Without --trust nothing is verified, and the output says so; with it, a bare manifest needs "
    "the signatures.json that came out of the same bundle beside it."};

int run_diff(const std::vector<std::string>& argv) {
    CommandArgs<kDiff> args(argv);
    if (args.help_requested()) return std::cout << args.help_text(), 0;
    const auto& files = args.positionals(2, "two arguments, OLD and NEW");
    if (args.flag("--json") && args.flag("--markdown"))
        fail(Errc::usage, "sealift diff: --json and --markdown exclude each other");
    diff::ReadOptions options;
    if (auto trust_file = args.value("--trust")) options.trust = trust::TrustRoot::load(*trust_file);
    diff::ReleaseSnapshot old_release = diff::read_snapshot(files[0], options);
    diff::ReleaseSnapshot new_release = diff::read_snapshot(files[1], options);
    diff::Diff d = diff::compare(old_release, new_release);
    if (args.flag("--json"))
        std::cout << dump_json_safe(diff::to_json(d), 2) << "\n";
    else if (args.flag("--markdown"))
        std::cout << diff::render_markdown(d);
    else
        std::cout << diff::render_table(d);
    return 0;
}

CommandRegistration registration{"diff", "compare two releases: images, layers, charts and SBOM packages", run_diff};

}  // namespace
}  // namespace sealift::cli
