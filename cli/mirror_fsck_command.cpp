#include <cstdio>
#include <iostream>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "core/progress.hpp"
#include "mirror/store/fsck.hpp"

namespace sealift::cli {
namespace {

constexpr CommandSpec kFsck{
    "mirror fsck", "--store DIR [--repair] [--json]",
    std::to_array<OptionSpec>({
        {"--store", "", "DIR", "the embedded mirror's store"},
        {"--repair", "", "",
         "move corrupt blobs to STORE/quarantine/ and flag them, so they are not served and the next import of a "
         "bundle carrying them writes them again; clear flags of blobs that hash right"},
        {"--json", "", "", "machine-readable report"},
    }),
    "Reads every blob of the store back and checks it hashes to its name, and that every blob a release or a "
    "cached manifest references is there; names the releases and repositories each bad blob belongs to. "
    "Exit 0 when the store is sound, 1 when a blob is corrupt or missing (also when --repair quarantined it: the "
    "release still lacks it until a bundle carrying it is imported again), 2 for usage errors."};

Json finding_json(const mirror::store::FsckFinding& f) {
    Json refs = Json::array();
    for (const auto& r : f.referenced_by)
        refs.push_back({{"release", r.release}, {"repository", r.repository}, {"artifacts", r.artifacts}});
    Json j = {
        {"digest", f.digest.str()}, {"referencedBy", refs}, {"flagged", f.flagged}, {"quarantined", f.quarantined}};
    if (f.actual) j["actualDigest"] = f.actual->str(), j["size"] = f.size;
    if (f.recorded_size) j["recordedSize"] = *f.recorded_size;
    return j;
}

void print_references(const mirror::store::FsckFinding& f) {
    if (f.referenced_by.empty()) std::printf("    referenced by nothing (gc removes it)\n");
    for (const auto& r : f.referenced_by) {
        std::string artifacts;
        for (const auto& a : r.artifacts) artifacts += (artifacts.empty() ? "" : ", ") + a;
        std::printf("    release %s, repository %s%s%s\n", r.release.c_str(), r.repository.c_str(),
                    artifacts.empty() ? "" : ": ", artifacts.c_str());
    }
}

int run_fsck(const std::vector<std::string>& argv) {
    CommandArgs<kFsck> args(argv);
    if (args.help_requested()) return std::cout << args.help_text(), 0;
    args.positionals(0, "no positional arguments");
    mirror::store::FsckOptions o;
    o.repair = args.flag("--repair");
    std::string store = args.required("--store");
    auto report = mirror::store::fsck(store, o);
    if (args.flag("--json")) {
        Json corrupt = Json::array(), missing = Json::array(), cleared = Json::array(), sound = Json::array();
        for (const auto& f : report.corrupt) corrupt.push_back(finding_json(f));
        for (const auto& f : report.missing) missing.push_back(finding_json(f));
        for (const auto& d : report.flags_cleared) cleared.push_back(d.str());
        for (const auto& d : report.flagged_sound) sound.push_back(d.str());
        std::cout << dump_json_safe(Json{{"store", store},
                                         {"clean", report.clean()},
                                         {"blobsChecked", report.blobs_checked},
                                         {"bytesChecked", report.bytes_checked},
                                         {"corrupt", corrupt},
                                         {"missing", missing},
                                         {"flaggedSound", sound},
                                         {"flagsCleared", cleared}},
                                    2)
                  << "\n";
        return report.clean() ? 0 : 1;
    }
    for (const auto& f : report.corrupt) {
        std::printf("corrupt %s: content hashes to %s (%llu bytes%s)%s\n", f.digest.str().c_str(),
                    f.actual->str().c_str(), static_cast<unsigned long long>(f.size),
                    f.recorded_size ? (", recorded " + std::to_string(*f.recorded_size)).c_str() : "",
                    f.quarantined ? "; quarantined"
                    : f.flagged   ? "; flagged, not served"
                                  : "");
        print_references(f);
    }
    for (const auto& f : report.missing) {
        std::printf("missing %s%s\n", f.digest.str().c_str(),
                    f.quarantined ? " (quarantined by an earlier fsck --repair)" : "");
        print_references(f);
    }
    if (o.repair)
        for (const auto& d : report.flags_cleared) std::printf("flag cleared %s: it hashes right\n", d.str().c_str());
    else
        for (const auto& d : report.flagged_sound)
            std::printf("flagged %s (not served), but it hashes right: --repair clears the flag\n", d.str().c_str());
    std::printf("%llu blobs checked (%s): %zu corrupt, %zu missing\n",
                static_cast<unsigned long long>(report.blobs_checked), human_bytes(report.bytes_checked).c_str(),
                report.corrupt.size(), report.missing.size());
    if (!report.clean())
        std::printf("%s\n", o.repair ? "to restore them, import again the bundles of the releases named above"
                                     : "run with --repair to quarantine corrupt blobs, then import again the bundles "
                                       "of the releases named above");
    return report.clean() ? 0 : 1;
}

CommandRegistration registration{"mirror fsck", "check every blob of the store against its digest", run_fsck};

}  // namespace
}  // namespace sealift::cli
