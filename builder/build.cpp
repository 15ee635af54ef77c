#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <thread>

#include "builder/builder.hpp"
#include "builder/bundle_writer.hpp"
#include "builder/chart_loader.hpp"
#include "builder/delta_base.hpp"
#include "builder/image_collector.hpp"
#include "builder/output_folder.hpp"
#include "builder/split_parts.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "core/progress.hpp"
#include "manifests/bundle_manifest.hpp"
#include "manifests/oci.hpp"
#include "manifests/reference.hpp"
#include "sbom/sbom.hpp"
#include "trust/trust.hpp"

namespace sealift::builder {
namespace {

namespace paths = manifests::bundle_paths;
namespace mt = manifests::media_type;

// Payload entries other than image blobs, held in memory (they are small).
struct InlineEntry {
    std::string path, media_type, content;
};

class Assembly {
public:
    // A path the bundle names, whether it carries the file or (a left-out chart) not.
    void claim(const std::string& path, const std::string& where) {
        if (!manifests::valid_entry_path(path))
            fail(Errc::format,
                 where + ": '" + path + "' cannot be a bundle entry name (use letters, digits, '.', '_', '-', '+')");
        if (!paths_.insert(path).second)
            fail(Errc::format, where + ": a second file would be stored as '" + path + "'");
    }
    void add_inline(std::string path, std::string media_type, std::string content, const std::string& where) {
        Digest digest = Sha256::of(content);
        add_inline(std::move(path), std::move(media_type), std::move(content), where, digest);
    }
    // `digest`: the content's SHA-256, when the caller has it already.
    void add_inline(std::string path, std::string media_type, std::string content, const std::string& where,
                    const Digest& digest) {
        claim(path, where);
        inline_digests_[path] = digest;
        entries_.push_back({path, content.size(), digest, media_type});
        inline_.push_back({std::move(path), std::move(media_type), std::move(content)});
    }
    void add_blob(const CollectedBlob& b) {
        paths_.insert(paths::blob(b.blob.digest));
        entries_.push_back({paths::blob(b.blob.digest), b.blob.size, b.blob.digest, b.blob.media_type});
    }
    // Of an inline entry; a map, as a scan of the entries per SBOM is quadratic in the release's size.
    const Digest& digest_of(const std::string& path) const {
        auto it = inline_digests_.find(path);
        if (it == inline_digests_.end()) fail(Errc::internal, "no entry " + path);
        return it->second;
    }
    std::vector<manifests::BundleEntry>& entries() { return entries_; }
    // Handed over to the writer once: held twice, thousands of SBOMs would double the build's memory.
    std::vector<InlineEntry> take_inlines() { return std::move(inline_); }

private:
    std::set<std::string> paths_;
    std::map<std::string, Digest> inline_digests_;
    std::vector<manifests::BundleEntry> entries_;
    std::vector<InlineEntry> inline_;
};

std::string layout_index(const CollectedImages& images) {
    Json manifests_json = Json::array();
    for (const auto& img : images.images)
        manifests_json.push_back({{"mediaType", img.manifest.media_type},
                                  {"digest", img.manifest.digest.str()},
                                  {"size", img.manifest.size},
                                  {"annotations", {{manifests::annotation::ref_name, img.ref}}}});
    Json index = {{"schemaVersion", 2}, {"mediaType", mt::oci_index}, {"manifests", manifests_json}};
    return dump_json_safe(index, 2) + "\n";
}

std::vector<std::string> images_without_sbom(const CollectedImages& images, const manifests::BundleManifest& bm) {
    std::set<std::string> described;
    for (const auto& s : bm.sboms) described.insert(s.for_ref);
    std::vector<std::string> missing;
    for (const auto& img : images.images)
        if (!described.count(img.ref)) missing.push_back(img.ref);
    return missing;
}

std::string join_refs(const std::vector<std::string>& refs) {
    std::string text;
    for (const auto& r : refs) text += (text.empty() ? "" : ", ") + r;
    return text;
}

// A value parsed from an option: its error names the option ("invalid duration" alone would not).
template <class Parse>
auto option_value(const char* option, Parse parse) {
    try {
        return parse();
    } catch (const Error& e) {
        rethrow_with_context(e, std::string("sealift build: ") + option);
    }
}

// Where the issue time came from: what to correct when it is wrong.
std::string issue_time_source(const manifests::Release& release) {
    if (release.created) return "metadata.created in " + release.file.string();
    if (const char* sde = std::getenv("SOURCE_DATE_EPOCH"); sde && *sde) return "SOURCE_DATE_EPOCH";
    return "this machine's clock";
}

// A bundle issued in the sites' future would move their time floor; one that
// expires before it can reach them is refused there: both are refused here.
void check_validity(const manifests::BundleManifest& bm, const manifests::Release& release, const BuildOptions& o) {
    const TimePoint now = now_seconds();
    const std::string source = issue_time_source(release);
    if (bm.issued > now + manifests::kMaxIssuedAhead)
        fail(Errc::policy, "sealift build: the issue time " + format_time(bm.issued) + " (from " + source +
                               ") is ahead of this machine's clock (" + format_time(now) +
                               "); sites refuse a bundle issued in their future: correct " + source);
    const auto min_validity = option_value("--min-validity", [&] { return parse_duration(o.min_validity); });
    if (bm.expires > now + min_validity) return;
    std::string when =
        bm.expires <= now ? "which has passed" : "less than --min-validity " + o.min_validity + " from now";
    fail(Errc::policy, "sealift build: the bundle would expire at " + format_time(bm.expires) + ", " + when +
                           " (issued " + format_time(bm.issued) + " from " + source + ", --expires " + o.expires +
                           "): give a later --expires, e.g. --expires " +
                           format_time(now + parse_duration(kDefaultExpiry)).substr(0, 10));
}

RegistryPull registry_pull(const BuildOptions& o, const manifests::Release& release) {
    RegistryPull pull{o.registry, o.registry_credentials, std::nullopt, {}};
    if (o.from_lock) {
        pull.lock = LockFile::load(*o.from_lock);
        pull.lock_origin = "--from-lock " + o.from_lock->string();
    } else if (release.lock_file) {
        pull.lock = LockFile::load(*release.lock_file);
        pull.lock_origin = "lock file " + release.lock_file->string() + " (" + release.lock_where.str() + ")";
    }
    return pull;
}

}  // namespace

BuildResult build_bundle(const BuildOptions& o) {
    if (o.key_files.empty()) fail(Errc::usage, "sealift build: at least one --key is required to sign the bundle");
    auto release = manifests::load_release(o.release_file);
    std::vector<trust::PrivateKey> keys;
    for (const auto& k : o.key_files) {
        keys.push_back(trust::PrivateKey::load_pem(k));
        for (std::size_t i = 0; i + 1 < keys.size(); ++i)
            if (keys[i].public_key().keyid() == keys.back().public_key().keyid())
                fail(Errc::usage,
                     "sealift build: --key " + k.string() + " is the same key as --key " + o.key_files[i].string());
    }

    manifests::BundleManifest bm;
    bm.name = release.name;
    bm.version = release.version;
    bm.channel = release.channel;
    bm.issued = release.created ? *release.created : build_time();
    bm.expires = option_value("--expires", [&] { return parse_expiry(o.expires, bm.issued); });
    if (bm.expires <= bm.issued)
        fail(Errc::usage,
             "sealift build: --expires " + o.expires + " is not after the issue time " + format_time(bm.issued));
    check_validity(bm, release, o);
    const std::int64_t mtime = bm.issued.time_since_epoch().count();
    if (o.base && o.site_inventory)
        fail(Errc::usage, "sealift build: a bundle is cut against --base or --site-inventory, not both");
    if (o.base) bm.base = check_base(*o.base, release);
    if (o.site_inventory)
        bm.site_inventory = {o.site_inventory->file_digest, o.site_inventory->inventory.site_keyid,
                             o.site_inventory->inventory.created};
    if (o.split_size && o.split_size < kMinSplitSize)
        fail(Errc::usage,
             "sealift build: --split-size " + std::to_string(o.split_size) + " is too small (at least 1M)");

    CollectedImages images = collect_images(release, registry_pull(o, release));
    std::map<std::string, const CollectedImage*> image_by_ref;
    for (const auto& img : images.images) {
        image_by_ref[img.ref] = &img;
        std::optional<Digest> source_digest;
        if (img.registry_digest && *img.registry_digest != img.manifest.digest) source_digest = img.registry_digest;
        bm.images.push_back({img.ref, img.manifest.digest, img.manifest.media_type, img.manifest.size, source_digest});
    }
    for (const auto& [ref, a] : images.attachments)
        bm.attachments.push_back(
            {ref, a.subject, a.kind, a.tag, a.manifest.digest, a.manifest.media_type, a.manifest.size});
    std::sort(bm.attachments.begin(), bm.attachments.end(), manifests::attachment_before);

    Assembly a;
    std::vector<std::string> warnings;
    // Carried roots go in version order and must chain, each signed by its predecessor's root keys.
    std::vector<trust::TrustRoot> roots;
    for (const auto& root_file : o.root_files) roots.push_back(trust::TrustRoot::load(root_file));
    std::sort(roots.begin(), roots.end(), [](const auto& x, const auto& y) { return x.version() < y.version(); });
    for (std::size_t i = 0; i < roots.size(); ++i) {
        std::string entry = std::string(paths::root_prefix) + std::to_string(roots[i].version()) + ".root.json";
        if (i > 0) roots[i - 1].verify_successor(roots[i].text(), entry);
        a.add_inline(entry, manifests::media_type::sealift_trust_root, roots[i].text(), "--root " + entry);
    }
    sbom::BundleContents contents{
        release.name, release.version.str(), manifests::channel_name(release.channel), bm.issued, {}, {}, {}};
    if (release.release_notes) {
        bm.release_notes = "notes/" + release.release_notes->filename().string();
        std::string text = read_small_file(*release.release_notes, manifests::kMaxDocumentBytes);
        const char* type = release.release_notes->extension() == ".md" ? manifests::media_type::text_markdown
                                                                       : manifests::media_type::text_plain;
        a.add_inline(bm.release_notes, type, std::move(text), release.release_notes_where.str());
        contents.files.push_back({bm.release_notes, a.digest_of(bm.release_notes), "release-notes"});
    }
    for (const auto& s : release.sboms) {
        std::string where = s.where.str() + ": SBOM " + s.path.string();
        std::string text = read_small_file(s.path, manifests::kMaxDocumentBytes);
        auto doc = sbom::parse(text, where);
        std::string ref = manifests::ImageReference::parse(s.for_ref, where).str();
        auto img = image_by_ref.find(ref);
        if (img == image_by_ref.end())
            fail(Errc::format, where + ": names image " + ref + ", which is not in this release");
        sbom::check_subject(doc, ref, img->second->manifest.digest, where);
        std::string path = "sboms/" + s.path.filename().string();
        std::string format = sbom::format_name(doc.format);
        sbom::check_declared_format(doc, path, format, sbom::media_type(doc.format), where + " (entry " + path + ")");
        a.add_inline(path, sbom::media_type(doc.format), std::move(text), s.where.str());
        bm.sboms.push_back({path, ref, format});
        contents.files.push_back({path, a.digest_of(path), "sbom"});
    }
    if (auto missing = images_without_sbom(images, bm); !missing.empty()) {
        if (o.require_sbom)
            fail(Errc::policy, release.file.string() + ": image " + missing.front() +
                                   " has no SBOM, and --require-sbom is set (add an sboms: entry for it)");
        warnings.push_back(std::to_string(missing.size()) + " of " + std::to_string(images.images.size()) +
                           " images have no SBOM: " + join_refs(missing) + " (--require-sbom refuses this)");
    }
    // A delta leaves out the layers and chart archives the site holds already.
    std::vector<LoadedChart> charts;
    std::vector<manifests::ExternalBlob> chart_blobs;
    for (const auto& c : release.charts) {
        charts.push_back(load_chart(c.path, c.where.str(), mtime));
        chart_blobs.push_back({Sha256::of(charts.back().archive), charts.back().archive.size()});
    }
    DeltaSplit split =
        split_blobs(images, chart_blobs, o.base ? &*o.base : nullptr, o.site_inventory ? &*o.site_inventory : nullptr);
    for (std::size_t i = 0; i < charts.size(); ++i) {
        const auto& info = charts[i].info;
        const Digest& digest = chart_blobs[i].digest;
        std::string path = "charts/" + info.name + "-" + info.version + ".tgz";
        std::string where = release.charts[i].where.str();
        std::optional<Digest> left_out;
        if (split.left_out_charts.count(digest)) {
            a.claim(path, where);
            left_out = digest;
        } else {
            a.add_inline(path, mt::helm_chart, std::move(charts[i].archive), where, digest);
        }
        bm.charts.push_back({info.name, info.version, info.app_version, path, left_out});
        contents.charts.push_back(
            {info.name, info.version, info.app_version, path, digest});  // the bundle SBOM lists it either way
    }
    for (const auto& img : images.images)
        contents.images.push_back({img.ref, img.manifest.digest, img.manifest.media_type});
    bm.bundle_sbom = std::string(paths::bundle_sbom);
    a.add_inline(bm.bundle_sbom, sbom::media_type(sbom::Format::cyclonedx), sbom::write_bundle_cyclonedx(contents),
                 "bundle SBOM");
    if (!images.images.empty()) {
        a.add_inline(std::string(paths::layout_prefix) + "oci-layout", manifests::media_type::oci_layout_header,
                     "{\"imageLayoutVersion\":\"1.0.0\"}", "image layout");
        a.add_inline(std::string(paths::layout_prefix) + "index.json", mt::oci_index, layout_index(images),
                     "image layout");
    }
    // Manifests and indexes first, so a streaming reader knows each image's
    // shape before its layers arrive; then configs and layers by digest.
    std::vector<const CollectedBlob*> blobs = split.carried;
    bm.external_blobs = split.external;
    std::stable_partition(blobs.begin(), blobs.end(), [](const CollectedBlob* b) { return b->is_manifest; });
    for (const auto* b : blobs) a.add_blob(*b);

    std::string sums = manifests::format_sha256sums(a.entries());
    a.add_inline(std::string(paths::checksums), manifests::media_type::text_plain, std::move(sums), "SHA256SUMS");
    bm.entries = a.entries();
    std::sort(bm.entries.begin(), bm.entries.end(), [](const auto& x, const auto& y) { return x.path < y.path; });

    std::string manifest_bytes = bm.canonical_bytes();
    // Nothing a verifier refuses gets signed: its shape and the names importers need hold here already.
    manifests::BundleManifest::parse(manifest_bytes, "sealift build: the manifest to sign");
    std::vector<trust::Signature> signatures;
    for (const auto& k : keys) signatures.push_back(k.sign(manifest_bytes));

    BundleWriter writer;
    const Digest manifest_digest = Sha256::of(manifest_bytes);
    writer.add_inline(std::string(paths::manifest), std::move(manifest_bytes));  // megabytes at thousands of images
    writer.add_inline(std::string(paths::signatures), canonical_json(trust::signatures_to_json(signatures)));
    // Roots right after the signatures, then SHA256SUMS and the documents, then the layout.
    auto inlines = a.take_inlines();
    std::stable_partition(inlines.begin(), inlines.end(), [](const InlineEntry& e) {
        return e.path.rfind(paths::root_prefix, 0) == 0 || e.path == paths::checksums;
    });
    for (auto& e : inlines) writer.add_inline(e.path, std::move(e.content));
    for (const auto* b : blobs) {
        if (b->is_manifest) {
            writer.add_inline(paths::blob(b->blob.digest), b->inline_bytes);
            continue;
        }
        const ImageSource* source = b->source;
        SourceBlob blob = b->blob;
        writer.add_stream(
            paths::blob(blob.digest), blob.size, blob.digest, [source, blob] { return source->open_blob(blob); },
            !manifests::is_compressed_layer(blob.media_type), source->describe());
    }

    // Taken only once every input checked out: a refused build creates nothing.
    OutputFolder folder(o.out_dir, bm.file_name());
    BuildResult result;
    result.removed_stale = folder.removed_stale();
    result.warnings = std::move(warnings);
    result.bundle = o.out_dir / bm.file_name();
    result.manifest_digest = manifest_digest;
    result.images = images.images.size();
    result.blobs = blobs.size();
    result.external_blobs = bm.external_blobs.size();
    result.external_bytes = bm.external_bytes();
    result.charts = bm.charts.size();
    result.sboms = bm.sboms.size();

    Progress progress("build " + bm.file_name(), writer.payload_bytes(), writer.entry_count(),
                      o.quiet ? Progress::Mode::quiet : Progress::Mode::automatic);
    const std::filesystem::path whole = result.bundle;
    if (o.split_size) result.bundle = manifests::split_part_name(whole.string(), 1);
    AtomicFile out(result.bundle);
    unsigned workers = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
    writer.write(out.file(), {o.level, workers, mtime, &progress});
    result.bundle_bytes = out.file().size();
    // Reproducible builds make "build again and compare" a check: the same bytes
    // are left in place; other bytes never silently replace a bundle.
    auto existing = OutputFolder::existing_files(whole, o.split_size != 0);
    auto same = OutputFolder::compare(File::open_regular(out.temp_path()), existing);
    if (same == OutputFolder::Existing::different && !o.force)
        fail(Errc::usage,
             existing.front().string() +
                 ": a bundle with other bytes is there already; give --force to replace it, or another -o folder");
    if (same == OutputFolder::Existing::identical) {
        result.unchanged = true;
        if (o.split_size) result.parts = existing;
    } else if (o.split_size) {
        result.parts = write_split_parts(out, whole, o.split_size);
    } else {
        // Like tar and zstd, no fsync: a build is re-run after a crash, and the
        // rename alone keeps a partial bundle from ever carrying the final name.
        out.commit(false);
    }
    if (o.write_lock) write_file_atomically(*o.write_lock, images.resolved.text());
    progress.finish();
    return result;
}

}  // namespace sealift::builder
