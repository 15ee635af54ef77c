#include <cstdio>
#include <iostream>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/mirror_options.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "mirror/store/store.hpp"

namespace sealift::cli {
namespace {

constexpr CommandSpec kPreflight{
    "mirror preflight", "BUNDLE --trust trust.json (--registry HOST[:PORT][/PREFIX] | --store DIR) [options]",
    join(registry_options("--registry", "the registry (and path prefix) to check"),
         std::to_array<OptionSpec>({
             {"--no-read-blobs", "", "", "check blobs exist without reading them back"},
             {"--store", "", "DIR", "check the embedded mirror's store instead of a registry"},
         })),
    "Exit status: 0 when every image, chart and SBOM is present and intact; 1 otherwise."};

int run_preflight(const std::vector<std::string>& argv) {
    CommandArgs<kPreflight> args(argv);
    if (args.help_requested()) return std::cout << args.help_text(), 0;
    std::vector<mirror::PreflightRow> rows;
    if (auto store = args.value("--store")) {
        if (args.value("--registry"))
            fail(Errc::usage, "sealift mirror preflight: give --registry or --store, not both");
        std::optional<trust::TrustRoot> root;
        if (args.value("--trust")) root = load_trust(args);
        rows = mirror::preflight_store(args.positionals(1, "one BUNDLE argument")[0], *store, root ? &*root : nullptr,
                                       !args.flag("--no-read-blobs"));
    } else {
        mirror::PreflightOptions o;
        read_common<"--registry">(args, o);
        o.read_blobs = !args.flag("--no-read-blobs");
        auto root = load_trust(args);
        rows = mirror::preflight_registry(o, root);
    }
    bool all_present = true;
    for (const auto& r : rows) all_present = all_present && r.state == "present";
    if (args.flag("--json")) {
        Json j = Json::array();
        for (const auto& r : rows)
            j.push_back({{"kind", r.kind},
                         {"name", r.name},
                         {"expected", r.expected.str()},
                         {"state", r.state},
                         {"detail", r.detail}});
        std::cout << dump_json_safe(Json{{"ready", all_present}, {"items", j}}, 2) << "\n";
    } else {
        std::printf("%-10s %-6s %-60s %s\n", "STATE", "KIND", "NAME", "DETAIL");
        for (const auto& r : rows)
            if (r.state != "present" || r.kind != "blob")
                std::printf("%-10s %-6s %-60s %s\n", r.state.c_str(), r.kind.c_str(), r.name.c_str(), r.detail.c_str());
        std::printf("%s\n", all_present ? "ready: everything the release needs is present and intact"
                                        : "NOT READY: see the rows above");
    }
    return all_present ? 0 : 1;
}

CommandRegistration registration{"mirror preflight", "check a registry holds everything a bundle's release needs",
                                 run_preflight};

}  // namespace
}  // namespace sealift::cli
