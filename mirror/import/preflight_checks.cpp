#include "mirror/import/preflight_checks.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "core/error.hpp"

namespace sealift::mirror {
namespace {

// "what: why", or just "what" when the site knows no more.
std::string with_reason(std::string what, const std::string& why) { return why.empty() ? what : what + ": " + why; }

class Checks {
public:
    Checks(const ImportPlan& plan, SiteContent& site, bool read_blobs)
        : plan_(plan), site_(site), read_blobs_(read_blobs) {}

    void image(const PlannedImage& img) {
        std::string name = site_.display_name(img.repository) + ":" + img.tag;
        if (!tagged("image", name, img.repository, img.tag, img.top.digest)) return;
        for (const auto& d : img.manifests) manifest("image", name, img.repository, d);
        for (const auto& b : img.blobs) blob(img.repository, b, bundle_blob_size(b), "needed by " + img.source_ref);
    }

    // `archive`: nullopt for a left-out chart whose archive the site lacks.
    void chart(const PlannedChart& c, const std::optional<std::string>& archive) {
        std::string name = site_.display_name(c.repository) + ":" + c.tag;
        if (!archive) {
            add("chart", name, c.digest, "missing", left_out_chart_name(c) + " is not in the repository");
            return;
        }
        Artifact a = ImportPlan::chart_artifact(c, *archive);
        if (!tagged("chart", name, c.repository, c.tag, a.manifest_digest)) return;
        manifest("chart", name, c.repository, a.manifest_digest);
        std::string needed = "needed by chart " + c.chart.name + ":" + c.chart.version;
        blob(c.repository, Sha256::of(a.config), a.config.size(), needed);
        blob(c.repository, c.digest, c.size, needed);
    }

    void sbom(const PlannedSbom& s) {
        const auto& img = *s.image;
        Artifact a = ImportPlan::sbom_artifact(s);
        std::string name = site_.display_name(s.repository) + "@" + a.manifest_digest.str();
        if (!site_.has_manifest(s.repository, a.manifest_digest)) {
            add("sbom", name, a.manifest_digest, "missing",
                with_reason("referrer of " + img.source_ref, site_.why_absent(s.repository, a.manifest_digest)));
            return;
        }
        auto listed = site_.referrers(s.repository, img.top.digest);
        if (std::find(listed.begin(), listed.end(), a.manifest_digest) == listed.end()) {
            add("sbom", name, a.manifest_digest, "missing", "not listed among the referrers of " + img.source_ref);
            return;
        }
        add("sbom", name, a.manifest_digest, "present", "");
        manifest("sbom", name, s.repository, a.manifest_digest);
        std::string needed = "needed by SBOM " + s.sbom.path;
        blob(s.repository, Sha256::of(a.config), a.config.size(), needed);
        blob(s.repository, s.entry->digest, s.entry->size, needed);
    }

    std::vector<PreflightRow> rows() && { return std::move(rows_); }

private:
    void add(const char* kind, const std::string& name, const Digest& expected, const std::string& state,
             std::string detail) {
        rows_.push_back({kind, name, expected, state, std::move(detail)});
    }

    bool tagged(const char* kind, const std::string& name, const std::string& repo, const std::string& tag,
                const Digest& expected) {
        auto current = site_.resolve_tag(repo, tag);
        if (!current) {
            add(kind, name, expected, "missing", "");
            return false;
        }
        if (*current != expected) {
            add(kind, name, expected, "different", "tag points to " + current->str());
            return false;
        }
        add(kind, name, expected, "present", "");
        return true;
    }

    // A manifest of the image, chart or SBOM `name`: there, and with read_blobs its bytes hash to `d`.
    void manifest(const char* kind, const std::string& name, const std::string& repo, const Digest& d) {
        if (!first_check(repo, d)) return;
        if (!site_.has_manifest(repo, d)) {
            std::string what =
                "manifest " + d.str() + " of the " + (kind == std::string("sbom") ? "SBOM" : kind) + " is missing";
            add(kind, name, d, "missing", with_reason(what, site_.why_absent(repo, d)));
            return;
        }
        if (!read_blobs_) return;
        try {
            site_.read_manifest(repo, d);
        } catch (const Error& e) {
            add(kind, name, d, site_.failed_read_state(e), e.what());
        }
    }

    void blob(const std::string& repo, const Digest& d, std::uint64_t size, const std::string& needed_by) {
        if (!first_check(repo, d)) return;
        std::string name = site_.display_name(repo) + "@" + d.str();
        if (!site_.has_blob(repo, d)) {
            add("blob", name, d, "missing", with_reason(needed_by, site_.why_absent(repo, d)));
            return;
        }
        if (!read_blobs_) return;
        try {
            site_.read_blob(repo, d, size, {});
        } catch (const Error& e) {
            add("blob", name, d, site_.failed_read_state(e), e.what());
        }
    }

    // Images of one repository share blobs: each is checked (and read) once.
    bool first_check(const std::string& repo, const Digest& d) { return checked_.emplace(repo, d).second; }

    // A blob the bundle carries, or one a delta bundle leaves to its base.
    std::uint64_t bundle_blob_size(const Digest& blob) const {
        const auto& m = plan_.manifest();
        if (const auto* entry = m.find(manifests::bundle_paths::blob(blob))) return entry->size;
        if (const auto* external = m.find_external(blob)) return external->size;
        fail(Errc::format,
             "blob " + blob.str() + " is neither in the bundle nor among the blobs it leaves to its base");
    }

    const ImportPlan& plan_;
    SiteContent& site_;
    bool read_blobs_;
    std::set<std::pair<std::string, Digest>> checked_;
    std::vector<PreflightRow> rows_;
};

}  // namespace

std::vector<PreflightRow> preflight_checks(PlanCollector& collected, const SiteChartReader& site_charts,
                                           SiteContent& site, bool read_blobs) {
    ImportPlan& plan = collected.plan();
    Checks check(plan, site, read_blobs);
    for (const auto& img : plan.images()) check.image(img);
    for (const auto& c : plan.charts()) check.chart(c, chart_archive(c, collected, site_charts));
    for (const auto& s : plan.sboms()) check.sbom(s);
    return std::move(check).rows();
}

}  // namespace sealift::mirror
