#include <cstdio>
#include <iostream>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "core/progress.hpp"
#include "mirror/store/store.hpp"

namespace sealift::cli {
namespace {

constexpr CommandSpec kGc{
    "mirror gc", "--keep N --store DIR [--grace DURATION] [--json]",
    std::to_array<OptionSpec>({
        {"--keep", "", "N", "newest versions kept per release name and channel (the current one always stays)"},
        {"--grace", "", "DURATION", "how long a blob stays unreferenced before it is deleted (default 10m)"},
        {"--store", "", "DIR", "the embedded mirror's store"},
        {"--json", "", "", "machine-readable report"},
    }),
    "Drops older releases, then deletes blobs no retained release or cached manifest references. A blob is "
    "deleted by a gc that runs at least the grace period after the one that first found it unreferenced."};

int run_gc(const std::vector<std::string>& argv) {
    CommandArgs<kGc> args(argv);
    if (args.help_requested()) return std::cout << args.help_text(), 0;
    args.positionals(0, "no positional arguments");
    mirror::store::GcOptions o;
    if (!args.value("--keep")) fail(Errc::usage, "sealift mirror gc: --keep N is required");
    o.keep = args.number("--keep", 1, 100000, 0);
    if (auto g = args.value("--grace")) {
        try {
            o.grace = parse_duration(*g);
        } catch (const Error& e) {
            fail(Errc::usage, std::string("--grace: ") + e.what());
        }
    }
    auto report = mirror::store::gc(args.required("--store"), o);
    if (args.flag("--json")) {
        Json dropped = Json::array();
        for (const auto& r : report.releases_dropped)
            dropped.push_back({{"name", r.name}, {"channel", r.channel}, {"version", r.version}});
        std::cout << dump_json_safe(Json{{"releasesDropped", dropped},
                                         {"blobsMarked", report.blobs_marked},
                                         {"blobsDeleted", report.blobs_deleted},
                                         {"bytesDeleted", report.bytes_deleted},
                                         {"tempFilesRemoved", report.temp_files_removed}},
                                    2)
                  << "\n";
        return 0;
    }
    for (const auto& r : report.releases_dropped)
        std::printf("dropped %s %s (%s)\n", r.name.c_str(), r.version.c_str(), r.channel.c_str());
    std::printf("%llu blobs deleted (%s), %llu newly unreferenced blobs marked for a later gc\n",
                static_cast<unsigned long long>(report.blobs_deleted), human_bytes(report.bytes_deleted).c_str(),
                static_cast<unsigned long long>(report.blobs_marked));
    return 0;
}

CommandRegistration registration{"mirror gc", "drop old releases and unreferenced blobs from the store", run_gc};

}  // namespace
}  // namespace sealift::cli
