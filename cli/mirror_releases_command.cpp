#include <cstdio>
#include <iostream>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/json.hpp"
#include "mirror/store/store.hpp"

namespace sealift::cli {
namespace {

constexpr CommandSpec kReleases{"mirror releases", "--store DIR [--json]",
                                std::to_array<OptionSpec>({
                                    {"--store", "", "DIR", "the embedded mirror's store"},
                                    {"--json", "", "", "machine-readable list"},
                                }),
                                "Lists the imported releases per name and channel; the current one is marked."};

int run_releases(const std::vector<std::string>& argv) {
    CommandArgs<kReleases> args(argv);
    if (args.help_requested()) return std::cout << args.help_text(), 0;
    args.positionals(0, "no positional arguments");
    auto snap = mirror::store::Store::open(args.required("--store"))->refresh();
    if (args.flag("--json")) {
        Json list = Json::array();
        for (const auto& r : snap->releases())
            list.push_back({{"name", r.name},
                            {"channel", r.channel},
                            {"version", r.version},
                            {"state", r.current ? "current" : "available"},
                            {"manifestDigest", r.manifest_digest.str()},
                            {"importedAt", r.imported_at},
                            {"signers", r.signer_keyids}});
        std::cout << dump_json_safe(Json{{"releases", list}}, 2) << "\n";
        return 0;
    }
    std::printf("%-24s %-8s %-16s %-10s %s\n", "NAME", "CHANNEL", "VERSION", "STATE", "IMPORTED");
    for (const auto& r : snap->releases())
        std::printf("%-24s %-8s %-16s %-10s %s\n", r.name.c_str(), r.channel.c_str(), r.version.c_str(),
                    r.current ? "current" : "available", r.imported_at.c_str());
    return 0;
}

CommandRegistration registration{"mirror releases", "list the releases in the store per channel", run_releases};

}  // namespace
}  // namespace sealift::cli
