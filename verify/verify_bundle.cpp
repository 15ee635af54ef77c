#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <thread>

#include "core/error.hpp"
#include "core/file.hpp"
#include "manifests/bundle_lookup.hpp"
#include "manifests/chart.hpp"
#include "sbom/sbom.hpp"
#include "verify/layout_check.hpp"
#include "verify/metadata_reader.hpp"
#include "verify/stored_entry_lane.hpp"
#include "verify/verify.hpp"

namespace sealift::verify {
namespace {

namespace paths = manifests::bundle_paths;

// Entries whose content is checked beyond its digest, and how much of it may be held.
enum class Content { none, layout_json, chart, sbom, bundle_sbom };

// `lookup` finds charts, SBOMs and images without a scan per entry (linear in the release's size).
Content content_kind(const manifests::BundleManifest& m, const manifests::BundleLookup& lookup,
                     const LayoutCheck& layout, const manifests::BundleEntry& e) {
    if (layout.wants_content(e)) return Content::layout_json;
    if (!lookup.charts_at(e.path).empty()) return Content::chart;  // a left-out chart's archive is the site's to check
    if (!lookup.sboms_at(e.path).empty()) return Content::sbom;
    if (e.path == m.bundle_sbom) return Content::bundle_sbom;
    return Content::none;
}

void check_content(const manifests::BundleLookup& lookup, Content kind, const manifests::BundleEntry& e,
                   const std::string& bytes, LayoutCheck& layout) {
    switch (kind) {
    case Content::none: return;
    case Content::layout_json: layout.add_json(e, bytes); return;
    case Content::chart:
        for (const auto* c : lookup.charts_at(e.path))
            manifests::check_chart_archive(bytes, c->name, c->version, e.path);
        return;
    case Content::sbom:
        for (const auto* s : lookup.sboms_at(e.path)) {
            auto doc = sbom::parse(bytes, e.path);
            sbom::check_declared_format(doc, e.path, s->format, e.media_type, e.path);
            const manifests::BundleImage* image = lookup.image(s->for_ref);
            if (!image)
                fail(Errc::format, e.path + ": describes " + s->for_ref + ", which is not an image of this bundle");
            sbom::check_subject(doc, s->for_ref, image->digest, e.path);
        }
        return;
    case Content::bundle_sbom: {
        auto doc = sbom::parse(bytes, e.path);
        sbom::check_declared_format(doc, e.path, sbom::format_name(sbom::Format::cyclonedx), e.media_type, e.path);
        return;
    }
    }
}

}  // namespace

unsigned default_parallel_entries() { return std::clamp(std::thread::hardware_concurrency(), 2u, 4u); }

namespace {

// Signatures and policy, decided from the signed metadata alone.
VerifyReport decide(MetadataReader& meta, const trust::TrustRoot& pinned, const VerifyOptions& options) {
    VerifyReport report;
    report.manifest = meta.manifest();
    report.manifest_digest = meta.manifest_digest();
    report.carried_roots = meta.carried_roots();
    const auto& m = report.manifest;

    // Everything is decided here, before the first payload byte.
    trust::TrustRoot root = meta.root_chain(pinned);
    root.check_not_expired(options.now, "trust root version " + std::to_string(root.version()));
    report.root_version = root.version();
    report.signer_keyids = meta.check_signatures(root);
    if (m.expires <= options.now)
        fail(Errc::policy, std::string(paths::manifest) + ": bundle expired at " + format_time(m.expires) + " (now " +
                               format_time(options.now) + ")");
    if (m.issued > m.expires) fail(Errc::policy, std::string(paths::manifest) + ": issued after it expires");
    if (m.issued > options.now + kMaxIssuedAhead)
        fail(Errc::policy, std::string(paths::manifest) + ": issued at " + format_time(m.issued) + ", more than " +
                               std::to_string(kMaxIssuedAhead.count() / 60) + " minutes after this host's clock (" +
                               format_time(options.now) + "): the clock it was sealed by, or this one, is wrong");
    if (m.channel != manifests::Channel::hotfix && m.version.prerelease())
        fail(Errc::policy, std::string(paths::manifest) + ": pre-release version " + m.version.str() + " on the " +
                               manifests::channel_name(m.channel) + " channel");
    std::vector<manifests::BundleEntry> others;
    for (const auto& e : m.entries)
        if (e.path != paths::checksums) others.push_back(e);
    if (m.find(paths::checksums)->digest != Sha256::of(manifests::format_sha256sums(others)))
        fail(Errc::format,
             std::string(paths::checksums) + ": its listed digest does not match the entries it must list");
    return report;
}

VerifyReport verify_input(BundleInput& input, const trust::TrustRoot& pinned, const VerifyOptions& options,
                          EntrySink* sink) {
    MetadataReader meta(input);
    VerifyReport report = decide(meta, pinned, options);
    const auto& m = report.manifest;
    if (sink) sink->on_manifest(m);

    // Large stored entries are hashed on worker threads unless the sink needs every
    // entry in order on this thread; smaller ones are not worth a hand-off.
    constexpr std::uint64_t kLaneMinBytes = 1u << 20;
    const unsigned lane_workers = sink ? sink->parallel_entries() : default_parallel_entries();
    std::optional<StoredEntryLane> lane;
    if (lane_workers > 1) lane.emplace(input, lane_workers);

    LayoutCheck layout(m);
    const manifests::BundleLookup lookup(m);
    std::set<std::string> seen;
    seen.insert(meta.carried_root_paths().begin(), meta.carried_root_paths().end());
    report.entries = 2 + seen.size();
    std::vector<char> buf(256 * 1024);
    TarReader& tar = meta.tar();
    for (auto entry = meta.pending_entry(); entry; entry = tar.next()) {
        const std::string& name = entry->path;
        if (entry->type == TarEntry::Type::directory) {
            if (!manifests::valid_entry_path(!name.empty() && name.back() == '/' ? name.substr(0, name.size() - 1)
                                                                                 : name))
                fail(Errc::format, "entry '" + name + "': unsafe path");
            continue;
        }
        if (entry->type != TarEntry::Type::regular)
            fail(Errc::format,
                 "entry '" + name + "' is a " + tar_type_name(entry->type) + ": only regular files are allowed");
        if (!manifests::valid_entry_path(name))
            fail(Errc::format, "entry '" + name + "': unsafe or invalid path (absolute, '..' or odd characters)");
        if (name.rfind(paths::root_prefix, 0) == 0 || name == paths::manifest || name == paths::signatures)
            fail(Errc::format, "entry '" + name + "': signed metadata is only allowed at the start of the bundle");
        const auto* listed = m.find(name);
        if (!listed) fail(Errc::format, "entry '" + name + "' is not listed in the signed manifest");
        if (!seen.insert(name).second) fail(Errc::format, "entry '" + name + "' appears twice");
        if (entry->size != listed->size)
            fail(Errc::integrity, "entry '" + name + "' is " + (entry->size > listed->size ? "larger" : "smaller") +
                                      " than declared (" + std::to_string(entry->size) + " bytes, the manifest says " +
                                      std::to_string(listed->size) + ")");
        Content kind = content_kind(m, lookup, layout, *listed);
        std::size_t limit = kind == Content::layout_json ? layout.content_limit(*listed) : manifests::kMaxDocumentBytes;
        if (kind != Content::none && listed->size > limit)
            fail(Errc::format, "entry '" + name + "' is " + std::to_string(listed->size) + " bytes, more than the " +
                                   std::to_string(limit) + " allowed");
        std::optional<std::vector<InputExtent>> extents;
        if (lane && kind == Content::none && listed->size >= kLaneMinBytes &&
            tar.take_data([&](std::uint64_t n) { return (extents = meta.zstd().take_stored(n)).has_value(); })) {
            lane->submit(*listed, std::move(*extents), sink ? sink->take_entry(*listed) : nullptr);
            ++report.entries;
            continue;
        }
        std::string content;
        if (kind != Content::none) content.reserve(listed->size);
        if (sink) sink->on_entry_begin(*listed);
        Sha256 hash;
        for (std::size_t n; (n = tar.read(buf.data(), buf.size())) > 0;) {
            hash.update(buf.data(), n);
            if (kind != Content::none) content.append(buf.data(), n);
            if (sink) sink->on_entry_data(*listed, buf.data(), n);
            report.payload_bytes += n;
        }
        if (hash.finish() != listed->digest)
            fail(Errc::integrity, "entry '" + name + "' does not match its SHA-256 in the signed manifest");
        check_content(lookup, kind, *listed, content, layout);
        if (sink) sink->on_entry_end(*listed);
        ++report.entries;
    }
    tar.expect_end();
    if (lane) report.payload_bytes += lane->finish();
    for (const auto& e : m.entries)
        if (!seen.count(e.path))
            fail(Errc::format, "entry '" + e.path + "' is listed in the signed manifest but missing from the bundle");
    layout.finish();
    report.compressed_bytes = meta.compressed_bytes();
    return report;
}

}  // namespace

VerifyReport verify_metadata(const std::filesystem::path& path, const trust::TrustRoot& pinned,
                             const VerifyOptions& options) {
    BundleInput input(path);
    try {
        MetadataReader meta(input);
        return decide(meta, pinned, options);
    } catch (const Error& e) {
        rethrow_with_context(e, path.string());
    }
}

VerifyReport verify_bundle(const std::filesystem::path& path, const trust::TrustRoot& pinned,
                           const VerifyOptions& options, EntrySink* sink) {
    BundleInput input(path);
    try {
        return verify_input(input, pinned, options, sink);
    } catch (const Error& e) {
        if (!input.split()) throw;
        // In a split bundle the part the stream had reached is where to look.
        rethrow_with_context(e, input.position());
    }
}

}  // namespace sealift::verify
