#include <iostream>
#include <optional>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/failure_report.hpp"
#include "core/error.hpp"
#include "diff/diff.hpp"

namespace sealift::cli {
namespace {

constexpr CommandSpec kDiff{
    "diff", "OLD NEW [--json | --markdown] [--trust trust.json] [--exit-code] [options]",
    std::to_array<OptionSpec>({
        {"--json", "", "", "machine-readable output"},
        {"--markdown", "", "", "Markdown, for release notes"},
        {"--trust", "", "trust.json", "verify both releases first (signatures, and every entry of a bundle)"},
        {"--exit-code", "", "", "exit 0 when no image, chart or package differs, 1 when one does, 2 on error"},
        {"--max-packages", "", "N", "list at most N package changes per image, and how many more there are"},
    }),
    "OLD and NEW are bundles or bare sealift/manifest.json files. Lists images added, removed and changed "
    "(digests, and the sizes of the layers the new image brings), images retagged (the same digest under "
    "another reference), charts whose version changed, and the packages the images' SBOMs add, remove or "
    "change. From a bare manifest, layer sizes and packages are unknown. Without --trust nothing is verified, "
    "and the output says so; with it, a bare manifest needs the signatures.json that came out of the same "
    "bundle beside it. Exit status: 0, or with --exit-code 0 same and 1 differs, as git diff --exit-code; "
    "errors 2 with --exit-code, else 1 (2 for usage and unopenable files)."};

int run_diff(const std::vector<std::string>& argv) {
    CommandArgs<kDiff> args(argv);
    if (args.help_requested()) return std::cout << args.help_text(), 0;
    // With --exit-code, 1 means "differs": every failure exits 2.
    if (args.flag("--exit-code")) failure_report().exit_status = 2;
    const auto& files = args.positionals(2, "two arguments, OLD and NEW");
    std::optional<unsigned> max_packages;
    if (args.value("--max-packages")) max_packages = args.number("--max-packages", 0, 999999999, 0);
    if (args.flag("--json") && args.flag("--markdown"))
        fail(Errc::usage, "sealift diff: --json and --markdown exclude each other");
    diff::ReadOptions options;
    if (auto trust_file = args.value("--trust")) options.trust = trust::TrustRoot::load(*trust_file);
    diff::ReleaseSnapshot old_release = diff::read_snapshot(files[0], options);
    diff::ReleaseSnapshot new_release = diff::read_snapshot(files[1], options);
    diff::Diff d = diff::compare(old_release, new_release);
    if (max_packages) diff::cap_package_changes(d, *max_packages);
    if (args.flag("--json"))
        std::cout << dump_json_safe(diff::to_json(d), 2) << "\n";
    else if (args.flag("--markdown"))
        std::cout << diff::render_markdown(d);
    else
        std::cout << diff::render_table(d);
    return args.flag("--exit-code") && d.differs() ? 1 : 0;
}

CommandRegistration registration{"diff", "compare two releases: images, layers, charts and SBOM packages", run_diff};

}  // namespace
}  // namespace sealift::cli
