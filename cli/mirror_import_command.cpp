#include <cstdio>
#include <iostream>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/failure_report.hpp"
#include "cli/mirror_options.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "core/progress.hpp"
#include "mirror/site/site.hpp"
#include "mirror/store/store.hpp"

namespace sealift::cli {
namespace {

// --dry-run: the report, then a refusal (exit 1) when the real import would fail.
int print_dry_run(const mirror::DryRunReport& r, const std::string& target, bool json) {
    std::vector<std::string> missing;
    for (const auto& d : r.external_missing) missing.push_back(d.str());
    if (json) {
        Json j = {{"dryRun", true},
                  {"release", r.release},
                  {"manifestDigest", r.manifest_digest.str()},
                  {"signers", r.signer_keyids},
                  {"target", target},
                  {"blobsToWrite", r.blobs_to_write},
                  {"bytesToWrite", r.bytes_to_write},
                  {"blobsPresent", r.blobs_present},
                  {"bytesPresent", r.bytes_present},
                  {"externalPresent", r.external_present},
                  {"externalMissing", missing},
                  {"refusal", r.refusal}};
        if (r.free_bytes) j["freeBytes"] = *r.free_bytes, j["fits"] = r.fits;
        std::cout << dump_json_safe(j, 2) << "\n";
        failure_report().json = false;  // the report says why the import would fail: stdout keeps one document
    } else {
        std::printf("dry run: %s (manifest %s) into %s, nothing written\n", r.release.c_str(),
                    r.manifest_digest.str().c_str(), target.c_str());
        std::printf("  to write          %llu blobs (%s)\n", static_cast<unsigned long long>(r.blobs_to_write),
                    human_bytes(r.bytes_to_write).c_str());
        std::printf("  already present   %llu blobs (%s)\n", static_cast<unsigned long long>(r.blobs_present),
                    human_bytes(r.bytes_present).c_str());
        if (r.external_present || !missing.empty())
            std::printf("  left out (delta)  %llu present, %zu missing%s%s\n",
                        static_cast<unsigned long long>(r.external_present), missing.size(),
                        missing.empty() ? "" : ", first ", missing.empty() ? "" : missing.front().c_str());
        if (r.free_bytes)
            std::printf("  free space        %s: %s\n", human_bytes(*r.free_bytes).c_str(),
                        r.fits ? "fits" : "does NOT fit (with a margin)");
        if (!r.refusal.empty()) std::printf("  policy            %s\n", r.refusal.c_str());
    }
    std::string why = !r.refusal.empty() ? r.refusal
                      : !missing.empty() ? std::to_string(missing.size()) +
                                               " blob(s) the bundle leaves out are missing, first " + missing.front()
                      : !r.fits ? "not enough free space for " + human_bytes(r.bytes_to_write)
                                : "";
    if (!why.empty()) fail(Errc::policy, "sealift mirror import --dry-run: the import would fail: " + why);
    return 0;
}

constexpr CommandSpec kImport{
    "mirror import", "BUNDLE --trust trust.json (--to HOST[:PORT][/PREFIX] | --store DIR) [options]",
    join(registry_options("--to", "the registry (and path prefix) to import into"),
         std::to_array<OptionSpec>({
             {"--parallel", "", "N", "concurrent blob uploads (default 4)"},
             {"--store", "", "DIR", "import into the embedded mirror's store instead of a registry"},
             {"--create", "", "", "--store: create the store when DIR is missing or empty (else it must be one)"},
             {"--site-key", "", "FILE", "the site key signing the import receipt (--store: default the store's own)"},
             {"--receipt", "", "FILE", "registry: where the receipt goes (default ./<bundle file>.receipt.json)"},
             {"--no-receipt", "", "", "registry: import without --site-key and write no receipt"},
             {"--verify-present", "", "",
              "store: read back every blob the bundle carries that the store holds and replace any corrupt copy "
              "(without it: sizes are checked, and the digest of blobs fsck or the server flagged)"},
             {"--allow-downgrade", "", "REASON",
              "registry: import a version older than the registry's current one on the channel, recording REASON in "
              "the release record and the receipt"},
             {"--dry-run", "", "",
              "report what would be written, what is present and (store) the free space; write nothing"},
         })),
    "Verifies the bundle while streaming it and pushes blobs as they arrive; manifests and tags are set only after the "
    "whole bundle verified. Re-running an import uploads only what is missing.\n"
    "Into a registry, the channel policy is checked against its release records before anything is written: an older "
    "version than the current one on the channel is refused (unless --allow-downgrade REASON), another bundle of a "
    "version already imported always.\n"
    "With --store, the release is committed into the store at once when the bundle verified and passed the channel "
    "policy "
    "(no downgrades: see `sealift mirror rollback`); the store pins --trust on its first import. The store must exist "
    "(`sealift mirror init --store DIR`) unless --create is given."};
using ImportArgs = CommandArgs<kImport>;

// A registry import proves what it did with a receipt signed by the site key;
// going without one is a choice made on the command line, not an accident.
void read_receipt_options(const ImportArgs& args, mirror::RegistryImportOptions& o) {
    if (args.flag("--no-receipt")) {
        if (args.value("--site-key") || args.value("--receipt"))
            fail(Errc::usage, "sealift mirror import: --no-receipt with --site-key or --receipt");
        return;
    }
    auto key = args.value("--site-key");
    if (!key)
        fail(Errc::usage,
             "sealift mirror import: --to needs --site-key FILE to sign the import receipt (or --no-receipt to write "
             "none)");
    o.site_key = mirror::site::load_site_key(*key);
    o.receipt = args.value("--receipt").value_or(o.bundle.filename().string() + ".receipt.json");
}

int import_into_store(const ImportArgs& args) {
    mirror::StoreImportOptions o;
    o.bundle = args.positionals(1, "one BUNDLE argument")[0];
    o.store = args.required("--store");
    o.create = args.flag("--create");
    o.quiet = args.flag("--quiet") || args.flag("--json");
    o.verify_present = args.flag("--verify-present");
    if (auto key = args.value("--site-key")) o.site_key = *key;
    std::optional<trust::TrustRoot> root;
    if (args.value("--trust")) root = load_trust(args);
    if (args.flag("--dry-run"))
        return print_dry_run(mirror::dry_run_store(o, root ? &*root : nullptr), "store " + o.store.string(),
                             args.flag("--json"));
    auto report = mirror::import_to_store(o, root ? &*root : nullptr);
    std::string release = report.name + " " + report.version + " (" + report.channel + ")";
    if (args.flag("--json")) {
        Json artifacts = Json::array();
        for (const auto& a : report.artifacts)
            artifacts.push_back({{"kind", a.kind},
                                 {"source", a.source},
                                 {"repository", a.repository},
                                 {"reference", a.reference},
                                 {"digest", a.digest.str()}});
        Json j = {{"release", release},
                  {"manifestDigest", report.manifest_digest.str()},
                  {"signers", report.signer_keyids},
                  {"artifacts", artifacts},
                  {"store", o.store.string()},
                  {"alreadyImported", report.already_imported},
                  {"blobsWritten", report.blobs_written},
                  {"blobsPresent", report.blobs_present},
                  {"blobsReplaced", report.blobs_replaced},
                  {"bytesWritten", report.bytes_written},
                  {"trustRootVersion", report.trust_root_version},
                  {"receipt", report.receipt.string()}};
        std::cout << dump_json_safe(j, 2) << "\n";
        return 0;
    }
    std::printf("%s %s into store %s\n", report.already_imported ? "already imported" : "imported", release.c_str(),
                o.store.c_str());
    for (const auto& a : report.artifacts) {
        std::string where = a.repository + (a.kind == "sbom" ? "@" : ":") + a.reference;
        std::printf("  %-6s %-55s %s\n", a.kind.c_str(), where.c_str(), a.digest.str().c_str());
    }
    std::printf("%llu blobs written (%llu bytes), %llu already present\n",
                static_cast<unsigned long long>(report.blobs_written),
                static_cast<unsigned long long>(report.bytes_written),
                static_cast<unsigned long long>(report.blobs_present));
    if (report.blobs_replaced)
        std::printf("%llu corrupt blobs in the store replaced by the bundle's copies (see audit.log)\n",
                    static_cast<unsigned long long>(report.blobs_replaced));
    std::printf("receipt %s\n", report.receipt.c_str());
    return 0;
}

int run_import(const std::vector<std::string>& argv) {
    ImportArgs args(argv);
    if (args.help_requested()) return std::cout << args.help_text(), 0;
    if (args.value("--store")) {
        if (args.value("--to")) fail(Errc::usage, "sealift mirror import: give --to or --store, not both");
        if (args.value("--receipt") || args.flag("--no-receipt"))
            fail(Errc::usage,
                 "sealift mirror import: --receipt and --no-receipt are for --to; a store writes its receipts in "
                 "STORE/receipts");
        if (args.value("--allow-downgrade"))
            fail(Errc::usage,
                 "sealift mirror import: --allow-downgrade is for --to; a store returns to an imported version with "
                 "`sealift mirror rollback`");
        return import_into_store(args);
    }
    if (args.flag("--verify-present"))
        fail(Errc::usage, "sealift mirror import: --verify-present is for --store (a registry checks its own blobs)");
    if (args.flag("--create")) fail(Errc::usage, "sealift mirror import: --create is for --store");
    mirror::RegistryImportOptions o;
    read_common<"--to">(args, o);
    o.parallel = args.number("--parallel", 1, 64, 4);
    o.quiet = args.flag("--quiet") || args.flag("--json");
    o.allow_downgrade = args.value("--allow-downgrade");
    if (o.allow_downgrade && o.allow_downgrade->find_first_not_of(" \t") == std::string::npos)
        fail(Errc::usage, "sealift mirror import: --allow-downgrade needs a REASON, recorded with the release");
    auto root = load_trust(args);
    if (args.flag("--dry-run"))
        return print_dry_run(mirror::dry_run_registry(o, root), "registry " + o.target.host, args.flag("--json"));
    read_receipt_options(args, o);
    auto report = mirror::import_to_registry(o, root);
    if (args.flag("--json")) {
        Json artifacts = Json::array();
        for (const auto& a : report.artifacts)
            artifacts.push_back(
                {{"kind", a.kind}, {"source", a.source}, {"target", a.target}, {"digest", a.digest.str()}});
        Json j = {{"release", report.release},
                  {"manifestDigest", report.manifest_digest.str()},
                  {"signers", report.signer_keyids},
                  {"artifacts", artifacts},
                  {"blobsUploaded", report.stats.blobs_uploaded},
                  {"blobsSkipped", report.stats.blobs_skipped},
                  {"blobsMounted", report.stats.blobs_mounted},
                  {"bytesUploaded", report.stats.bytes_uploaded},
                  {"manifestsPushed", report.manifests_pushed},
                  {"tagsSet", report.tags_set},
                  {"retries", report.stats.retries},
                  {"releaseRecord", report.release_record},
                  {"alreadyImported", report.already_imported}};
        if (report.downgrade)
            j["downgrade"] = {{"from", report.downgrade->from_version}, {"reason", report.downgrade->reason}};
        if (o.site_key) j["receipt"] = o.receipt.string();
        std::cout << dump_json_safe(j, 2) << "\n";
        return 0;
    }
    if (report.already_imported) {
        // Behind the registry's current version: pushing it again would point its tags backwards.
        std::printf("already imported %s into %s (%s), behind the current version: nothing written\n",
                    report.release.c_str(), o.target.host.c_str(), report.release_record.c_str());
        if (o.site_key) std::printf("receipt %s\n", o.receipt.c_str());
        return 0;
    }
    std::printf("imported %s into %s\n", report.release.c_str(), o.target.host.c_str());
    if (report.downgrade)
        std::printf("downgrade from %s allowed: %s\n", report.downgrade->from_version.c_str(),
                    report.downgrade->reason.c_str());
    for (const auto& a : report.artifacts)
        std::printf("  %-6s %-55s %s\n", a.kind.c_str(), a.target.c_str(), a.digest.str().c_str());
    std::printf(
        "%llu blobs uploaded (%llu bytes), %llu mounted, %llu already present; %llu manifests pushed, %llu tags set\n",
        static_cast<unsigned long long>(report.stats.blobs_uploaded),
        static_cast<unsigned long long>(report.stats.bytes_uploaded),
        static_cast<unsigned long long>(report.stats.blobs_mounted),
        static_cast<unsigned long long>(report.stats.blobs_skipped),
        static_cast<unsigned long long>(report.manifests_pushed), static_cast<unsigned long long>(report.tags_set));
    std::printf("release record %s\n", report.release_record.c_str());
    if (o.site_key) std::printf("receipt %s\n", o.receipt.c_str());
    return 0;
}

CommandRegistration registration{"mirror import", "verify a bundle and push it into an OCI registry", run_import};

}  // namespace
}  // namespace sealift::cli
