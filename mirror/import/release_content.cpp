#include "mirror/import/release_content.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/file.hpp"
#include "manifests/content_rules.hpp"
#include "manifests/oci.hpp"
#include "manifests/reference.hpp"
#include "mirror/import/chart_archive.hpp"

namespace sealift::mirror {
using namespace store;  // the import writes the storage layer's types
namespace mt = manifests::media_type;

std::string image_repository_key(const std::string& original_reference) {
    return manifests::image_reference(original_reference, "bundle image").name();
}

namespace {

class ContentBuilder {
public:
    explicit ContentBuilder(const ImportPlan& plan) : plan_(plan) {}

    std::uint64_t blob_size(const Digest& d, const std::string& needed_by) const {
        const auto& m = plan_.manifest();
        if (const auto* e = m.find(manifests::bundle_paths::blob(d))) return e->size;
        if (const auto* x = m.find_external(d)) return x->size;
        fail(Errc::format, needed_by + ": blob " + d.str() + " is neither in the bundle nor declared external");
    }

    void image(const PlannedImage& img) {
        std::string key = image_repository_key(img.source_ref);
        Repository& repo = out_.content.repositories[key];
        for (const auto& d : img.manifests) {
            manifests::Descriptor desc{plan_.manifest_media_type(d), d, plan_.manifest_bytes(d).size()};
            repo.manifests[d] = desc;
            out_.needed_blobs[d] = desc.size;
        }
        repo.tags[img.tag] = repo.manifests.at(img.top.digest);
        for (const auto& b : img.blobs) {
            auto size = blob_size(b, "image " + img.source_ref);
            repo.blobs[b] = size;
            out_.needed_blobs[b] = size;
        }
        // Cosign finds signatures and attestations by their tags, admission controllers
        // find referrers through the referrers API: both as the registry import places them.
        for (const auto& a : img.attachments) {
            if (a.kind != manifests::attachment_kind::referrer) {
                repo.tags[a.tag] = repo.manifests.at(a.digest);
                continue;
            }
            add_referrer(repo, a.subject,
                         manifests::referrer_descriptor(plan_.manifest_bytes(a.digest), a.media_type,
                                                        "referrer " + a.digest.str() + " of " + img.source_ref));
        }
        out_.content.artifacts.push_back({"image", img.source_ref, key, img.tag, img.top.digest});
    }

    void chart(const PlannedChart& c, const std::string& archive) {
        Artifact a = ImportPlan::chart_artifact(c, archive);
        Repository& repo = out_.content.repositories[c.repository];
        manifests::Descriptor desc{mt::oci_manifest, a.manifest_digest, a.manifest.size()};
        repo.manifests[a.manifest_digest] = desc;
        repo.tags[c.tag] = desc;
        made(repo, a.manifest_digest, a.manifest);
        made(repo, Sha256::of(a.config), a.config);
        made(repo, c.digest, archive);
        out_.content.artifacts.push_back(
            {"chart", c.chart.name + ":" + c.chart.version, c.repository, c.tag, a.manifest_digest});
    }

    void sbom(const PlannedSbom& s, const std::string& document) {
        Artifact a = ImportPlan::sbom_artifact(s);
        std::string key = image_repository_key(s.image->source_ref);
        Repository& repo = out_.content.repositories[key];
        auto parsed = manifests::ImageManifest::from_json(parse_json_strict(a.manifest, s.sbom.path), mt::oci_manifest,
                                                          s.sbom.path);
        manifests::Descriptor desc{mt::oci_manifest, a.manifest_digest, a.manifest.size()};
        desc.artifact_type = a.artifact_type;
        desc.annotations = parsed.annotations;
        repo.manifests[a.manifest_digest] = desc;
        add_referrer(repo, s.image->top.digest, desc);
        made(repo, a.manifest_digest, a.manifest);
        made(repo, Sha256::of(a.config), a.config);
        made(repo, s.entry->digest, document);
        out_.content.artifacts.push_back({"sbom", s.sbom.path, key, a.manifest_digest.str(), a.manifest_digest});
    }

    // A left-out chart the store lacks: only its archive is known to be needed.
    void missing_chart(const PlannedChart& c) {
        out_.needed_blobs[c.digest] = c.size;
        out_.missing_charts.push_back(c);
    }

    PlannedContent take() { return std::move(out_); }

private:
    static void add_referrer(Repository& repo, const Digest& subject, const manifests::Descriptor& referrer) {
        auto& list = repo.referrers[subject];
        auto same = [&](const manifests::Descriptor& x) { return x.digest == referrer.digest; };
        if (std::none_of(list.begin(), list.end(), same)) list.push_back(referrer);
        std::sort(list.begin(), list.end(),
                  [](const manifests::Descriptor& x, const manifests::Descriptor& y) { return x.digest < y.digest; });
    }

    // A blob made from bytes in memory; manifests are listed by the caller, others become repository blobs.
    // `d` is the digest of `bytes`: the verifier's for a chart archive or SBOM document, computed from
    // the bytes for an artifact's manifest and config.
    void made(Repository& repo, const Digest& d, const std::string& bytes) {
        if (!repo.manifests.count(d)) repo.blobs[d] = bytes.size();
        out_.needed_blobs[d] = bytes.size();
        out_.made_blobs.emplace(d, bytes);
    }

    const ImportPlan& plan_;
    PlannedContent out_;
};

}  // namespace

PlannedContent plan_content(PlanCollector& collected, const BlobStore& blobs) {
    ImportPlan& plan = collected.plan();
    plan.finish();
    ContentBuilder builder(plan);
    for (const auto& img : plan.images()) builder.image(img);
    auto from_store = store_chart_reader(blobs);
    for (const auto& c : plan.charts()) {
        if (auto archive = chart_archive(c, collected, from_store))
            builder.chart(c, *archive);
        else
            builder.missing_chart(c);
    }
    for (const auto& s : plan.sboms()) builder.sbom(s, collected.document(s.sbom.path));
    return builder.take();
}

}  // namespace sealift::mirror
