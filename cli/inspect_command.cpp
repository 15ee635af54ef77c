#include <cstdio>
#include <iostream>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/file.hpp"
#include "core/progress.hpp"
#include "verify/verify.hpp"

namespace sealift::cli {
namespace {

// null for a full bundle.
Json base_json(const manifests::BundleManifest& m) {
    if (!m.base) return nullptr;
    return {{"name", m.base->name},
            {"version", m.base->version.str()},
            {"channel", manifests::channel_name(m.base->channel)},
            {"manifestDigest", m.base->manifest_digest.str()},
            {"externalBlobs", m.external_blobs.size()},
            {"externalBytes", m.external_bytes()}};
}

// null unless the bundle was cut against a site inventory.
Json site_inventory_json(const manifests::BundleManifest& m) {
    if (!m.site_inventory) return nullptr;
    return {{"digest", m.site_inventory->digest.str()},
            {"siteKeyid", m.site_inventory->site_keyid},
            {"created", format_time(m.site_inventory->created)},
            {"externalBlobs", m.external_blobs.size()},
            {"externalBytes", m.external_bytes()}};
}

Json inspection_json(const verify::Inspection& in) {
    const auto& m = in.manifest;
    Json images = Json::array(), charts = Json::array(), sboms = Json::array(), signers = Json::array();
    for (const auto& i : m.images) {
        std::uint64_t bytes = 0;  // the image's own manifest only; layers are shared
        if (const auto* e = m.find(manifests::bundle_paths::blob(i.digest))) bytes = e->size;
        images.push_back(
            {{"ref", i.ref}, {"digest", i.digest.str()}, {"mediaType", i.media_type}, {"manifestSize", bytes}});
    }
    for (const auto& c : m.charts) {
        charts.push_back({{"name", c.name}, {"version", c.version}, {"appVersion", c.app_version}, {"path", c.path}});
        if (c.left_out) charts.back()["leftOut"] = c.left_out->str();  // a delta leaves its archive to the site
    }
    for (const auto& s : m.sboms) sboms.push_back({{"path", s.path}, {"for", s.for_ref}, {"format", s.format}});
    for (const auto& s : in.signatures) signers.push_back(s.keyid);
    return {
        {"release", {{"name", m.name}, {"version", m.version.str()}, {"channel", manifests::channel_name(m.channel)}}},
        {"formatVersion", m.format_version},
        {"issued", format_time(m.issued)},
        {"expires", format_time(m.expires)},
        {"manifestDigest", in.manifest_digest.str()},
        {"signers", signers},
        {"carriedRoots", in.carried_roots.size()},
        {"images", images},
        {"charts", charts},
        {"sboms", sboms},
        {"releaseNotes", m.release_notes},
        {"entries", m.entries.size() + 2},
        {"payloadBytes", m.payload_bytes()},
        {"fileBytes", in.file_bytes},
        {"parts", in.parts},
        {"base", base_json(m)},
        {"siteInventory", site_inventory_json(m)}};
}

constexpr CommandSpec kInspect{
    "inspect", "BUNDLE [--json] [--metadata-out FILE]",
    std::to_array<OptionSpec>({
        {"--json", "", "", "machine-readable output"},
        {"--metadata-out", "", "FILE",
         "write the signed metadata ({signed, signatures}) for sealift build --base-manifest"},
    }),
    "Reads only the signed metadata at the head of the bundle; signatures are listed, not checked (use sealift "
    "verify)."};

int run_inspect(const std::vector<std::string>& argv) {
    CommandArgs<kInspect> args(argv);
    if (args.help_requested()) return std::cout << args.help_text(), 0;
    auto in = verify::inspect_bundle(args.positionals(1, "one BUNDLE argument")[0]);
    if (auto out = args.value("--metadata-out")) write_file_atomically(*out, verify::metadata_envelope(in) + "\n");
    Json j = inspection_json(in);
    if (args.flag("--json")) {
        std::cout << dump_json_safe(j, 2) << "\n";
        return 0;
    }
    const auto& m = in.manifest;
    std::printf(
        "release   %s %s (%s)\nissued    %s\nexpires   %s\nmanifest  %s\nsize      %s in the file, %s unpacked\n",
        m.name.c_str(), m.version.str().c_str(), manifests::channel_name(m.channel), format_time(m.issued).c_str(),
        format_time(m.expires).c_str(), in.manifest_digest.str().c_str(), human_bytes(in.file_bytes).c_str(),
        human_bytes(j["payloadBytes"].get<std::uint64_t>()).c_str());
    std::printf("signers   ");
    for (const auto& s : in.signatures) std::printf("%s ", s.keyid.c_str());
    std::printf("(not checked)\n\nimages (%zu)\n", m.images.size());
    for (const auto& i : m.images) std::printf("  %-60s %s\n", i.ref.c_str(), i.digest.str().c_str());
    std::printf("charts (%zu)\n", m.charts.size());
    for (const auto& c : m.charts)
        std::printf("  %-30s %-12s app %s%s\n", c.name.c_str(), c.version.c_str(), c.app_version.c_str(),
                    c.left_out ? (", left out: " + c.left_out->str()).c_str() : "");
    std::printf("sboms (%zu)\n", m.sboms.size());
    for (const auto& s : m.sboms) std::printf("  %-60s %s (%s)\n", s.path.c_str(), s.for_ref.c_str(), s.format.c_str());
    if (!m.release_notes.empty()) std::printf("notes     %s\n", m.release_notes.c_str());
    if (m.base)
        std::printf("delta on  %s %s (%s), manifest %s\n          %zu blobs (%s) left to the base\n",
                    m.base->name.c_str(), m.base->version.str().c_str(), manifests::channel_name(m.base->channel),
                    m.base->manifest_digest.str().c_str(), m.external_blobs.size(),
                    human_bytes(m.external_bytes()).c_str());
    if (m.site_inventory)
        std::printf("for site  %s, inventory %s of %s\n          %zu blobs (%s) left to the site\n",
                    m.site_inventory->site_keyid.c_str(), m.site_inventory->digest.str().c_str(),
                    format_time(m.site_inventory->created).c_str(), m.external_blobs.size(),
                    human_bytes(m.external_bytes()).c_str());
    return 0;
}

CommandRegistration registration{"inspect", "list a bundle's contents and signers without extracting it", run_inspect};

}  // namespace
}  // namespace sealift::cli
