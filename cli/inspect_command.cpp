#include <cstdio>
#include <iostream>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/file.hpp"
#include "core/progress.hpp"
#include "verify/report_json.hpp"
#include "verify/verify.hpp"

namespace sealift::cli {
namespace {

// The layout verify and diff share for the same things: verify/report_json.hpp.
Json inspection_json(const verify::Inspection& in) {
    const auto& m = in.manifest;
    Json charts = Json::array(), sboms = Json::array(), signers = Json::array();
    for (const auto& c : m.charts) {
        charts.push_back({{"name", c.name}, {"version", c.version}, {"appVersion", c.app_version}, {"path", c.path}});
        if (c.left_out) charts.back()["leftOut"] = c.left_out->str();  // a delta leaves its archive to the site
    }
    for (const auto& s : m.sboms) sboms.push_back({{"path", s.path}, {"for", s.for_ref}, {"format", s.format}});
    for (const auto& s : in.signatures) signers.push_back(s.keyid);
    Json j = Json::object();
    verify::put_release(j, verify::ReleaseSummary::of(m, in.manifest_digest));
    j["formatVersion"] = m.format_version;
    j["signers"] = signers;
    j["carriedRoots"] = in.carried_roots.size();
    j["images"] = verify::images_json(m);
    j["attachments"] = verify::attachments_json(m);
    j["charts"] = charts;
    j["sboms"] = sboms;
    j["releaseNotes"] = m.release_notes;
    j["entries"] = m.entries.size() + 2;
    j["payloadBytes"] = m.payload_bytes();
    j["fileBytes"] = in.file_bytes;
    j["parts"] = in.parts;
    j["base"] = verify::base_json(m);
    j["siteInventory"] = verify::site_inventory_json(m);
    return j;
}

// Under each image: the registry index a platform filter cut it from, and what it carries along.
void print_image_details(const manifests::BundleManifest& m, const manifests::BundleImage& image) {
    if (image.source_digest) std::printf("    platform-filtered from %s\n", image.source_digest->str().c_str());
    for (const auto& a : m.attachments) {
        if (a.for_ref != image.ref) continue;
        std::string where = a.tag.empty() ? "" : " " + a.tag;
        if (a.subject != image.digest) where += " (of " + a.subject.str() + ")";
        std::printf("    %-11s %s%s\n", a.kind.c_str(), a.digest.str().c_str(), where.c_str());
    }
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
    for (const auto& i : m.images) {
        std::printf("  %-60s %s\n", i.ref.c_str(), i.digest.str().c_str());
        print_image_details(m, i);
    }
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
