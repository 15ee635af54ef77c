#include <iostream>
#include <optional>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "diff/diff.hpp"
#include "manifests/bundle_lookup.hpp"
#include "sbom/sbom.hpp"

namespace sealift::cli {
namespace {

// The bundle's inventory as the builder recorded it, with each image's packages from its SBOMs.
sbom::BundleContents contents_of(const diff::ReleaseSnapshot& s) {
    const manifests::BundleManifest& m = s.manifest;
    sbom::BundleContents c{m.name, m.version.str(), manifests::channel_name(m.channel), m.issued, {}, {}, {}};
    auto digest_of = [&](const std::string& path) {
        const manifests::BundleEntry* e = m.find(path);
        if (!e) fail(Errc::format, s.source + ": the manifest names '" + path + "' but does not list it");
        return e->digest;
    };
    const manifests::BundleLookup lookup(m);  // each image's SBOMs without a scan of them all
    for (const auto& image : m.images) {
        sbom::ImageInput out{image.ref, image.digest, image.media_type, {}};
        for (const auto* entry : lookup.sboms_for(image.ref)) {
            sbom::Document doc = sbom::parse(s.sboms.at(entry->path), s.source + ": " + entry->path);
            out.packages.insert(out.packages.end(), doc.components.begin(), doc.components.end());
        }
        c.images.push_back(std::move(out));
    }
    for (const auto& chart : m.charts)
        c.charts.push_back({chart.name, chart.version, chart.app_version, chart.path, m.chart_digest(chart)});
    if (!m.release_notes.empty()) c.files.push_back({m.release_notes, digest_of(m.release_notes), "release-notes"});
    for (const auto& entry : m.sboms) c.files.push_back({entry.path, digest_of(entry.path), "sbom"});
    return c;
}

constexpr CommandSpec kSbom{
    "sbom", "BUNDLE --format cyclonedx|spdx [-o FILE] [--trust trust.json]",
    std::to_array<OptionSpec>({
        {"--format", "", "cyclonedx|spdx", "CycloneDX 1.5 JSON or SPDX 2.3 JSON"},
        {"--out", "-o", "FILE", "write there (atomically) instead of to standard output"},
        {"--trust", "", "trust.json", "verify the bundle first"},
    }),
    "Writes the bundle's SBOM: the release, its images, charts and files, and each image's packages from "
    "the SBOMs the bundle carries, nested under the image. The output depends only on the bundle: the same "
    "bundle gives the same bytes. Across formats, name, version, purl, licenses, hashes and the kind of "
    "component carry over; docs/sbom-export.md lists what does not."};

int run_sbom(const std::vector<std::string>& argv) {
    CommandArgs<kSbom> args(argv);
    if (args.help_requested()) return std::cout << args.help_text(), 0;
    const std::string bundle = args.positionals(1, "one BUNDLE argument")[0];
    const std::string format = args.required("--format");
    if (format != "cyclonedx" && format != "spdx")
        fail(Errc::usage, "sealift sbom: --format " + format + " is not a known format (cyclonedx or spdx)");
    diff::ReadOptions options;
    if (auto trust_file = args.value("--trust")) options.trust = trust::TrustRoot::load(*trust_file);
    diff::ReleaseSnapshot snapshot = diff::read_snapshot(bundle, options);
    if (!snapshot.whole_bundle)
        fail(Errc::usage, bundle + ": a bare manifest does not hold the images' SBOMs: give the bundle itself");
    sbom::BundleContents contents = contents_of(snapshot);
    std::string text = format == "cyclonedx" ? sbom::write_bundle_cyclonedx(contents)
                                             : sbom::write_bundle_spdx(contents, snapshot.manifest_digest);
    if (!snapshot.verified)
        std::cerr << "sealift sbom: " << bundle
                  << ": signatures not checked (pass --trust to verify the bundle first)\n";
    if (auto out = args.value("--out"))
        write_file_atomically(*out, text);
    else
        std::cout << text;
    return 0;
}

CommandRegistration registration{"sbom", "write a bundle's SBOM (CycloneDX or SPDX) with each image's packages",
                                 run_sbom};

}  // namespace
}  // namespace sealift::cli
