#include <iostream>
#include <optional>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/error.hpp"
#include "diff/diff.hpp"

namespace sealift::cli {
namespace {

int run_diff(const std::vector<std::string>& argv) {
    Args args("diff", "OLD NEW [--json | --markdown] [--trust trust.json]",
              {{"--json", "", false, "           machine-readable output"},
               {"--markdown", "", false, "           Markdown, for release notes"},
               {"--trust", "", true, "trust.json  verify both releases first (signatures, and every entry of a bundle)"}},
              argv);
    if (args.help_requested()) {
        std::cout << args.help_text()
                  << "\nOLD and NEW are bundles or bare sealift/manifest.json files. Lists images added, removed and changed\n"
                     "(digests, and the sizes of the layers the new image brings), charts whose version changed, and the\n"
                     "packages the images' SBOMs add, remove or change. From a bare manifest, layer sizes and packages are\n"
                     "unknown. Without --trust nothing is verified, and the output says so; with it, a bare manifest needs\n"
                     "the signatures.json that came out of the same bundle beside it.\n";
        return 0;
    }
    const auto& files = args.positionals(2, "two arguments, OLD and NEW");
    if (args.flag("--json") && args.flag("--markdown")) fail(Errc::usage, "sealift diff: --json and --markdown exclude each other");
    diff::ReadOptions options;
    if (auto trust_file = args.value("--trust")) options.trust = trust::TrustRoot::load(*trust_file);
    diff::Snapshot old_release = diff::read_snapshot(files[0], options);
    diff::Snapshot new_release = diff::read_snapshot(files[1], options);
    diff::Diff d = diff::compare(old_release, new_release);
    if (args.flag("--json"))
        std::cout << diff::to_json(d).dump(2) << "\n";
    else if (args.flag("--markdown"))
        std::cout << diff::render_markdown(d);
    else
        std::cout << diff::render_table(d);
    return 0;
}

CommandRegistration registration{"diff", "compare two releases: images, layers, charts and SBOM packages", run_diff};

}  // namespace
}  // namespace sealift::cli
