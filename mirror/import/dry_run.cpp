#include "mirror/import/dry_run.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

#include "core/error.hpp"
#include "core/worker_pool.hpp"
#include "manifests/oci.hpp"
#include "mirror/import/chart_archive.hpp"
#include "mirror/import/import.hpp"
#include "mirror/import/registry_channel.hpp"
#include "mirror/site/release_records.hpp"

namespace sealift::mirror {

verify::VerifyReport collect_plan_from_metadata(const std::filesystem::path& bundle, const trust::TrustRoot& root,
                                                const verify::VerifyOptions& options, PlanCollector& collector) {
    verify::VerifyReport verified = verify::verify_metadata(bundle, root, options);
    const auto& m = verified.manifest;
    auto wanted = [](const manifests::BundleManifest& listed) {
        std::map<std::string, std::size_t> out;
        for (const auto& e : listed.entries)
            if (manifests::bundle_paths::is_blob(e.path) &&
                (manifests::is_manifest_media_type(e.media_type) || manifests::is_index_media_type(e.media_type)))
                out[e.path] = manifests::kMaxDocumentBytes;
        for (const auto& c : listed.charts)
            if (!c.left_out) out[c.path] = manifests::kMaxDocumentBytes;
        for (const auto& s : listed.sboms) out[s.path] = manifests::kMaxDocumentBytes;
        return out;
    };
    auto read = verify::inspect_entries(bundle, wanted);
    if (read.head.manifest_digest != verified.manifest_digest)
        fail(Errc::integrity, bundle.string() + ": the bundle changed while it was read (manifest " +
                                  read.head.manifest_digest.str() + ", verified " + verified.manifest_digest.str() +
                                  ")");
    collector.on_manifest(m);
    for (const auto& [path, content] : read.entries) {
        const auto* e = m.find(path);
        if (!e) fail(Errc::internal, bundle.string() + ": entry '" + path + "' read but not listed");
        collector.on_entry_begin(*e);
        collector.on_entry_data(*e, content.data(), content.size());
        collector.on_entry_end(*e);
    }
    return verified;
}

namespace {

// One blob an import would make present: where it goes first, and its size.
struct BlobNeed {
    std::uint64_t size = 0;
    // A carried blob: the repositories using it, the first being where it is uploaded.
    // A left-out one: every repository of the release (the import mounts it from any).
    std::vector<std::string> repositories;
    bool external = false;
};

}  // namespace

DryRunReport dry_run_registry(const RegistryImportOptions& o, const trust::TrustRoot& root) {
    NameMapping names(o.target, o.rules_file);
    PlanCollector collector(names);
    auto verified = collect_plan_from_metadata(o.bundle, root, {}, collector);
    ImportPlan& plan = collector.plan();
    plan.finish();
    const auto& m = verified.manifest;

    registry::RegistryOptions ro = o.registry;
    ro.host = o.target.host;
    registry::RegistryClient client(ro);
    client.ping();
    std::string refusal;  // the channel policy's verdict is reported, not thrown
    try {
        check_registry_channel(client, o.target, o.bundle, m, verified.manifest_digest, o.allow_downgrade);
    } catch (const Error& e) {
        if (e.code() != Errc::policy) throw;
        refusal = e.what();
    }
    // A left-out layer or chart archive must be in some repository of the release:
    // import mounts it from there (a chart's Helm config is made from its archive).
    std::set<std::string> release_repositories;
    for (const auto& img : plan.images()) release_repositories.insert(img.repository);
    for (const auto& c : plan.charts()) release_repositories.insert(c.repository);
    const std::vector<std::string> anywhere(release_repositories.begin(), release_repositories.end());

    // Configs and layers go to their image's repository (mounted into others from
    // there); chart and SBOM artifacts upload their content and config.
    std::map<Digest, BlobNeed> needs;
    for (const auto& img : plan.images())
        for (const auto& b : img.blobs) {
            const auto* entry = m.find(manifests::bundle_paths::blob(b));
            if (!entry) {
                const auto* external = m.find_external(b);
                if (!external)
                    fail(Errc::format, "image " + img.source_ref + ": blob " + b.str() + " is not in the bundle");
                needs[b] = {external->size, anywhere, true};
                continue;
            }
            auto& n = needs[b];
            n.size = entry->size;
            n.repositories.push_back(img.repository);
        }
    // Artifact blobs are pushed into each repository that needs them, never mounted.
    std::map<std::pair<std::string, Digest>, BlobNeed> made;
    auto need_made = [&](const std::string& repository, const Digest& d, std::uint64_t size) {
        made[{repository, d}] = {size, {repository}, false};
    };
    auto site = registry_chart_reader(client, release_repositories);
    for (const auto& c : plan.charts()) {
        auto archive = chart_archive(c, collector, site);
        if (c.chart.left_out)
            needs[c.digest] = {c.size, anywhere, true};
        else
            need_made(c.repository, c.digest, c.size);
        if (!archive) continue;  // missing: reported with the other left-out blobs missing
        Artifact a = ImportPlan::chart_artifact(c, *archive);
        need_made(c.repository, Sha256::of(a.config), a.config.size());
    }
    for (const auto& s : plan.sboms()) {
        Artifact a = ImportPlan::sbom_artifact(s);
        need_made(s.repository, s.entry->digest, s.entry->size);
        need_made(s.repository, Sha256::of(a.config), a.config.size());
    }
    // The import ends by recording the release in the registry.
    auto record = site::release_record_blobs(m, verified.manifest_digest);
    for (const std::string* b : {&record.config, &record.layer})
        need_made(site::release_records_repository(o.target), Sha256::of(*b), b->size());

    DryRunReport report;
    report.release = m.name + " " + m.version.str() + " (" + manifests::channel_name(m.channel) + ")";
    report.manifest_digest = verified.manifest_digest;
    report.signer_keyids = verified.signer_keyids;
    report.refusal = refusal;
    std::mutex mu;
    WorkerPool pool(o.parallel);
    auto check = [&](const Digest& digest, const BlobNeed& n) {
        pool.submit([&] {
            // A blob the bundle carries is uploaded once, to its first repository; an
            // external one must be in some repository of the release to be mounted.
            bool present = false;
            for (std::size_t i = 0; i < n.repositories.size() && !present && (i == 0 || n.external); ++i)
                present = client.blob_exists(n.repositories[i], digest);
            std::lock_guard lock(mu);
            if (n.external) {
                if (present)
                    ++report.external_present;
                else
                    report.external_missing.push_back(digest);
            } else if (present) {
                ++report.blobs_present, report.bytes_present += n.size;
            } else {
                ++report.blobs_to_write, report.bytes_to_write += n.size;
            }
        });
    };
    for (const auto& [digest, n] : needs) check(digest, n);
    for (const auto& [key, n] : made) check(key.second, n);
    pool.wait();
    std::sort(report.external_missing.begin(), report.external_missing.end());
    return report;
}

}  // namespace sealift::mirror
