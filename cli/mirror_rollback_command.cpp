#include <cstdio>
#include <iostream>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "mirror/store/store.hpp"

namespace sealift::cli {
namespace {

constexpr CommandSpec kRollback{
    "mirror rollback", "NAME --channel CHANNEL --to VERSION --store DIR",
    std::to_array<OptionSpec>({
        {"--channel", "", "CHANNEL", "stable, lts or hotfix"},
        {"--to", "", "VERSION", "an imported version to make current (older, or newer again after a rollback)"},
        {"--store", "", "DIR", "the embedded mirror's store"},
    }),
    "Makes an imported version the channel's current one; recorded in the audit log. Importing a bundle again never "
    "moves the channel (not even a newer one after a rollback): forward again is `--to NEWER`."};

int run_rollback(const std::vector<std::string>& argv) {
    CommandArgs<kRollback> args(argv);
    if (args.help_requested()) return std::cout << args.help_text(), 0;
    std::string name = args.positionals(1, "one release NAME")[0];
    std::string channel = args.required("--channel"), version = args.required("--to");
    mirror::store::rollback(args.required("--store"), name, channel, version);
    std::printf("%s %s (%s) is now current\n", name.c_str(), version.c_str(), channel.c_str());
    return 0;
}

CommandRegistration registration{"mirror rollback",
                                 "make an imported release (older, or newer again) current in the store", run_rollback};

}  // namespace
}  // namespace sealift::cli
