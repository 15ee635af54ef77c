#include "core/error.hpp"
#include "core/json.hpp"
#include "manifests/oci.hpp"
#include "mirror/import/chart_archive.hpp"
#include "mirror/import/import_plan.hpp"
#include "mirror/import/import.hpp"
#include "verify/verify.hpp"

namespace sealift::mirror {
namespace {

class Preflight {
public:
    Preflight(registry::RegistryClient& client, const PreflightOptions& o) : client_(client), o_(o) {}

    void image(const ImportPlan& plan, const PlannedImage& img) {
        std::string name = o_.target.host + "/" + img.repository + ":" + img.tag;
        if (!tagged(img.repository, img.tag, img.top.digest, "image", name)) return;
        for (const auto& d : img.manifests) {
            if (d == img.top.digest) continue;
            if (!client_.head_manifest(img.repository, d.str()))
                rows_.push_back({"image", name, d, "missing", "manifest " + d.str() + " of the image is missing"});
        }
        for (const auto& blob : img.blobs) {
            std::string blob_name = o_.target.host + "/" + img.repository + "@" + blob.str();
            if (!client_.blob_exists(img.repository, blob)) {
                rows_.push_back({"blob", blob_name, blob, "missing", "needed by " + img.source_ref});
                continue;
            }
            if (!o_.read_blobs) continue;
            try {
                client_.read_blob(img.repository, blob, blob_size(plan.manifest(), blob));
            } catch (const Error& e) {
                rows_.push_back({"blob", blob_name, blob, "unreadable", e.what()});
            }
        }
    }

    // `archive`: nullopt for a left-out chart whose archive is not in its repository.
    void chart(const PlannedChart& c, const std::optional<std::string>& archive) {
        std::string name = o_.target.host + "/" + c.repository + ":" + c.tag;
        if (!archive) {
            rows_.push_back({"chart", name, c.digest, "missing", left_out_chart_name(c) + " is not in the repository"});
            return;
        }
        Artifact a = ImportPlan::chart_artifact(c, *archive);
        tagged(c.repository, c.tag, a.manifest_digest, "chart", name);
    }

    void sbom(const PlannedSbom& s) {
        const auto& img = *s.image;
        Artifact a = ImportPlan::sbom_artifact(s);
        std::string name = o_.target.host + "/" + s.repository + "@" + a.manifest_digest.str();
        if (!client_.head_manifest(s.repository, a.manifest_digest.str())) {
            rows_.push_back({"sbom", name, a.manifest_digest, "missing", "referrer of " + img.source_ref});
            return;
        }
        // Findable as a referrer: through the API, else through the fallback tag.
        auto listing = client_.referrer_index(s.repository, img.top.digest);
        if (!listing || listing->find(a.manifest_digest.str()) == std::string::npos) {
            rows_.push_back({"sbom", name, a.manifest_digest, "missing", "not listed among the referrers of " + img.source_ref});
            return;
        }
        rows_.push_back({"sbom", name, a.manifest_digest, "present", ""});
    }

    std::vector<PreflightRow> rows() && { return std::move(rows_); }

private:
    // A blob the bundle carries, or one a delta bundle leaves to its base.
    static std::uint64_t blob_size(const manifests::BundleManifest& m, const Digest& blob) {
        if (const auto* entry = m.find(manifests::bundle_paths::blob(blob))) return entry->size;
        if (const auto* external = m.find_external(blob)) return external->size;
        fail(Errc::format, "blob " + blob.str() + " is neither in the bundle nor among the blobs it leaves to its base");
    }

    bool tagged(const std::string& repo, const std::string& tag, const Digest& expected, const char* kind, const std::string& name) {
        auto current = client_.head_manifest(repo, tag);
        if (!current) {
            rows_.push_back({kind, name, expected, "missing", ""});
            return false;
        }
        if (current->digest != expected) {
            rows_.push_back({kind, name, expected, "different", "tag points to " + current->digest.str()});
            return false;
        }
        rows_.push_back({kind, name, expected, "present", ""});
        return true;
    }

    registry::RegistryClient& client_;
    const PreflightOptions& o_;
    std::vector<PreflightRow> rows_;
};

}  // namespace

std::vector<PreflightRow> preflight_registry(const PreflightOptions& o, const trust::TrustRoot& root) {
    NameMapping names(o.target, o.rules_file);
    PlanCollector collector(names);
    verify::verify_bundle(o.bundle, root, {}, &collector);
    ImportPlan& plan = collector.plan();
    plan.finish();

    registry::RegistryOptions ro = o.registry;
    ro.host = o.target.host;
    registry::RegistryClient client(ro);
    client.ping();
    Preflight check(client, o);
    for (const auto& img : plan.images()) check.image(plan, img);
    for (const auto& c : plan.charts()) check.chart(c, chart_archive(c, collector, registry_chart_reader(client)));
    for (const auto& s : plan.sboms()) check.sbom(s);
    return std::move(check).rows();
}

}  // namespace sealift::mirror
