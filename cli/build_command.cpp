#include <chrono>
#include <filesystem>
#include <iostream>

#include "builder/builder.hpp"
#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/mirror_options.hpp"
#include "core/byte_size.hpp"
#include "core/error.hpp"
#include "core/interrupt_cleanup.hpp"
#include "core/json.hpp"
#include "core/progress.hpp"
#include "core/time.hpp"
#include "trust/trust.hpp"
#include "verify/verify.hpp"

namespace sealift::cli {
namespace {

// "4.7GB", "700M", "1048576": core/byte_size.hpp.
std::uint64_t parse_split_size(const std::string& text) {
    auto bytes = parse_byte_size(text);
    if (!bytes)
        fail(Errc::usage,
             "sealift build: --split-size must be a size such as 4.7GB (a DVD), 700M, 2GiB or 1048576, not '" + text +
                 "' (K, M, G, T, KiB ... TiB: powers of 1024; kB, MB, GB, TB: powers of 1000)");
    if (*bytes < builder::kMinSplitSize)
        fail(Errc::usage, "sealift build: --split-size " + text + " is too small: parts must be at least 1M");
    return *bytes;
}

// The --expires help names the builder's default; this stops the build when they part.
static_assert(std::string_view(builder::kDefaultExpiry) == "180d");
static_assert(std::string_view(builder::kDefaultMinValidity) == "30d");

constexpr CommandSpec kBuild{
    "build", "-f RELEASE.yaml --key RELEASE.key -o OUTDIR [options]",
    join(std::to_array<OptionSpec>({
             {"--file", "-f", "RELEASE.yaml", "the release manifest"},
             {"--key", "", "KEY", "a release signing key (repeat for several signers)"},
             {"--out", "-o", "OUTDIR", "folder the bundle is written to"},
             {"--expires", "", "DURATION|DATE",
              "when the bundle expires (default 180d after its issue time; e.g. 90d, 2027-06-30)"},
             {"--min-validity", "", "DURATION", "refuse a bundle that expires sooner than this from now (default 30d)"},
             {"--force", "", "", "replace a bundle of the same name in OUTDIR that has other bytes"},
             {"--root", "", "ROOT.json", "a newer trust root to carry (key rotation; repeat for a chain)"},
             {"--base", "", "BUNDLE", "write a delta: leave out the layers this earlier bundle of the release has"},
             {"--base-manifest", "", "FILE",
              "the same from the base's signed metadata only (sealift inspect --metadata-out)"},
             {"--trust", "", "trust.json", "the trust root that checks the base's signatures (with --base*)"},
             {"--site-inventory", "", "FILE",
              "write a delta for one site: leave out the layers its signed inventory lists"},
             {"--site-key", "", "SITE.pub", "the site's public key that signed --site-inventory"},
             {"--require-sbom", "", "", "refuse a release in which an image has no SBOM"},
             {"--split-size", "", "SIZE",
              "write numbered parts NAME.bundle.001, ... each smaller than SIZE (4.7GB, 700M, 2GiB)"},
             {"--level", "", "N", "zstd level for compressible data (default 3)"},
             {"--threads", "", "N", "zstd worker threads (default: one per core; output is the same)"},
             {"--lock", "", "FILE", "write the digest every registry image (ref:) resolved to"},
             {"--from-lock", "", "FILE",
              "pull registry images at the digests FILE records, whatever their tags say now"},
             {"--quiet", "-q", "", "no progress display, notes or warnings"},
             {"--json", "", "",
              "print a machine-readable report instead of the paths (no progress; warnings are in the report)"},
         }),
         // How `ref:` images' registries are reached; --key already names signing keys.
         registry_access_options("--tls-cert", "--tls-key"))};
using BuildArgs = CommandArgs<kBuild>;

std::optional<builder::DeltaBase> read_base(const BuildArgs& args) {
    auto bundle = args.value("--base"), manifest = args.value("--base-manifest");
    if (!bundle && !manifest) {
        if (args.value("--trust"))
            fail(Errc::usage, "sealift build: --trust is only for checking --base or --base-manifest");
        return std::nullopt;
    }
    if (bundle && manifest) fail(Errc::usage, "sealift build: give --base or --base-manifest, not both");
    std::string trust_file = args.value("--trust").value_or("");
    if (trust_file.empty())
        fail(Errc::usage, "sealift build: --base and --base-manifest need --trust to check the base's signatures");
    auto root = trust::TrustRoot::load(trust_file);
    auto base = bundle ? verify::read_base_bundle(*bundle, root) : verify::read_base_envelope(*manifest, root);
    return builder::DeltaBase{std::move(base.manifest), base.manifest_digest,
                              bundle ? "--base " + *bundle : "--base-manifest " + *manifest};
}

// The site's clock and the build machine's need not agree: an inventory dated
// ahead of this clock says so rather than showing a negative age.
std::string inventory_age(TimePoint created) {
    auto hours = std::chrono::duration_cast<std::chrono::hours>(now_seconds() - created).count();
    auto span = [](long long h) { return std::to_string(h / 24) + " days " + std::to_string(h % 24) + " hours"; };
    return hours >= 0 ? span(hours) + " old" : span(-hours) + " ahead of this machine's clock";
}

// --site-inventory FILE --site-key site.pub: cut the bundle against what that site holds.
std::optional<builder::InventoryBase> read_inventory(const BuildArgs& args) {
    auto file = args.value("--site-inventory"), key = args.value("--site-key");
    if (!file) {
        if (key) fail(Errc::usage, "sealift build: --site-key is only for checking --site-inventory");
        return std::nullopt;
    }
    if (args.value("--base") || args.value("--base-manifest"))
        fail(Errc::usage, "sealift build: a bundle is cut against --base or --site-inventory, not both");
    if (!key)
        fail(Errc::usage,
             "sealift build: --site-inventory needs --site-key SITE.pub to check the inventory's signature");
    return builder::read_site_inventory(*file, trust::PublicKey::load_pem(*key));
}

// What a CI job needs without parsing text: docs/json-reports.md.
Json result_json(const builder::BuildOptions& o, const builder::BuildResult& r) {
    Json parts = Json::array(), stale = Json::array();
    for (const auto& part : r.parts)
        parts.push_back({{"path", part.string()}, {"size", std::filesystem::file_size(part)}});
    for (const auto& file : r.removed_stale) stale.push_back(file.string());
    Json delta = nullptr;
    if (o.base || o.site_inventory)
        delta = {{"leftTo", o.base ? "base" : "site"},
                 {"externalBlobs", r.external_blobs},
                 {"externalBytes", r.external_bytes}};
    return {{"bundle", r.bundle.string()},
            {"parts", parts},
            {"manifestDigest", r.manifest_digest.str()},
            {"bundleBytes", r.bundle_bytes},
            {"images", r.images},
            {"blobs", r.blobs},
            {"charts", r.charts},
            {"sboms", r.sboms},
            {"delta", delta},
            {"unchanged", r.unchanged},
            {"removedStale", stale},
            {"warnings", r.warnings}};
}

int run_build(const std::vector<std::string>& argv) {
    BuildArgs args(argv);
    if (args.help_requested()) return std::cout << args.help_text(), 0;
    args.positionals(0, "no positional arguments");
    builder::BuildOptions o;
    o.release_file = args.required("--file");
    for (const auto& k : args.values("--key")) o.key_files.push_back(k);
    o.out_dir = args.required("--out");
    if (auto e = args.value("--expires")) o.expires = *e;
    if (auto v = args.value("--min-validity")) o.min_validity = *v;
    o.force = args.flag("--force");
    for (const auto& r : args.values("--root")) o.root_files.push_back(r);
    o.level = static_cast<int>(args.number("--level", 1, 19, 3));
    o.threads = args.number("--threads", 0, 256, 0);
    const bool json = args.flag("--json");
    o.quiet = args.flag("--quiet") || json;
    o.require_sbom = args.flag("--require-sbom");
    if (auto s = args.value("--split-size")) o.split_size = parse_split_size(*s);
    o.site_inventory = read_inventory(args);
    o.base = read_base(args);
    o.registry = registry_transport<"--tls-cert", "--tls-key">(args);
    o.registry_credentials = explicit_credentials(args);
    if (auto f = args.value("--from-lock")) o.from_lock = *f;
    if (auto f = args.value("--lock")) o.write_lock = *f;
    install_interrupt_cleanup();  // Ctrl-C must not leave a gigabyte of temporary bundle behind
    auto result = builder::build_bundle(o);
    if (!o.quiet) {
        for (const auto& stale : result.removed_stale)
            std::cerr << "sealift build: removed " << stale.string() << ", left by an interrupted build\n";
        for (const auto& warning : result.warnings) std::cerr << "sealift build: warning: " << warning << "\n";
        if (result.unchanged)
            std::cerr << "sealift build: " << result.bundle.string()
                      << " is there already with the same bytes: left as it is\n";
        std::cerr << "sealed " << result.images << " images (" << result.blobs << " blobs), " << result.charts
                  << " charts, " << result.sboms << " SBOMs: " << human_bytes(result.bundle_bytes) << ", manifest "
                  << result.manifest_digest.str() << "\n";
        if (o.base)
            std::cerr << "delta on " << o.base->manifest.name << " " << o.base->manifest.version.str() << ": "
                      << result.external_blobs << " blobs (" << human_bytes(result.external_bytes)
                      << ") left to the base\n";
        if (o.site_inventory) {
            std::cerr << "inventory delta for site " << o.site_inventory->inventory.site_keyid << " (inventory of "
                      << format_time(o.site_inventory->inventory.created) << ", "
                      << inventory_age(o.site_inventory->inventory.created) << "): " << result.external_blobs
                      << " blobs (" << human_bytes(result.external_bytes) << ") left to the site\n";
        }
    }
    if (json) {
        std::cout << dump_json_safe(result_json(o, result), 2) << "\n";
        return 0;
    }
    if (result.parts.empty()) std::cout << result.bundle.string() << "\n";
    for (const auto& part : result.parts) std::cout << part.string() << "\n";
    return 0;
}

CommandRegistration registration{"build", "pack a release manifest into a signed, sealed bundle", run_build};

}  // namespace
}  // namespace sealift::cli
