#include <iostream>

#include "builder/builder.hpp"
#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"

namespace sealift::cli {
namespace {

int run_build(const std::vector<std::string>& argv) {
    Args args("build", "-f RELEASE.yaml --key RELEASE.key -o OUTDIR [options]",
              {{"--file", "-f", true, "RELEASE.yaml  the release manifest"},
               {"--key", "", true, "KEY           a release signing key (repeat for several signers)"},
               {"--out", "-o", true, "OUTDIR        folder the bundle is written to"},
               {"--expires", "", true, std::string("DURATION|DATE when the bundle expires (default ") + builder::kDefaultExpiry +
                                          " after its issue time; e.g. 90d, 2027-06-30)"},
               {"--root", "", true, "ROOT.json     a newer trust root to carry (key rotation; repeat for a chain)"},
               {"--level", "", true, "N             zstd level for compressible data (default 3)"},
               {"--threads", "", true, "N             zstd worker threads (default: one per core; output is the same)"},
               {"--quiet", "-q", false, "             no progress display"}},
              argv);
    if (args.help_requested()) {
        std::cout << args.help_text();
        return 0;
    }
    args.positionals(0, "no positional arguments");
    builder::BuildOptions o;
    o.release_file = args.required("--file");
    for (const auto& k : args.values("--key")) o.key_files.push_back(k);
    o.out_dir = args.required("--out");
    if (auto e = args.value("--expires")) o.expires = *e;
    for (const auto& r : args.values("--root")) o.root_files.push_back(r);
    o.level = static_cast<int>(args.number("--level", 1, 19, 3));
    o.threads = args.number("--threads", 0, 256, 0);
    o.quiet = args.flag("--quiet");
    auto result = builder::build_bundle(o);
    if (!o.quiet)
        std::cerr << "sealed " << result.images << " images (" << result.blobs << " blobs), " << result.charts << " charts, "
                  << result.sboms << " SBOMs: " << human_bytes(result.bundle_bytes) << ", manifest " << result.manifest_digest.str() << "\n";
    std::cout << result.bundle.string() << "\n";
    return 0;
}

CommandRegistration registration{"build", "pack a release manifest into a signed, sealed bundle", run_build};

}  // namespace
}  // namespace sealift::cli
