#include <set>
#include <vector>

#include "core/error.hpp"
#include "core/file.hpp"
#include "mirror/import/chart_archive.hpp"
#include "mirror/import/import_plan.hpp"
#include "mirror/import/name_mapping.hpp"
#include "mirror/store/blob_store.hpp"
#include "mirror/import/release_content.hpp"
#include "mirror/store/store.hpp"
#include "mirror/store/trust_pin.hpp"
#include "verify/verify.hpp"

namespace sealift::mirror {
using namespace store;  // the import writes the storage layer's types
namespace {

class StorePreflight {
public:
    explicit StorePreflight(const Snapshot& snap, bool read_blobs) : snap_(snap), read_blobs_(read_blobs) {}

    void artifact(const StoredArtifact& a, const Repository& expected) {
        if (a.kind == "sbom") {
            std::string name = a.repository + "@" + a.digest.str();
            bool listed = false;
            for (const auto& [subject, list] : expected.referrers)
                for (const auto& d : snap_.referrers(a.repository, subject))
                    listed = listed || d.digest == a.digest;
            rows_.push_back({"sbom", name, a.digest, listed ? "present" : "missing", listed ? "" : "not listed among the referrers of its image"});
            if (listed) blob(a.repository, a.digest);
            return;
        }
        std::string name = a.repository + ":" + a.reference;
        auto current = snap_.resolve_tag(a.repository, a.reference);
        if (!current) {
            rows_.push_back({a.kind, name, a.digest, "missing", ""});
            return;
        }
        if (current->digest != a.digest) {
            rows_.push_back({a.kind, name, a.digest, "different", "tag points to " + current->digest.str()});
            return;
        }
        rows_.push_back({a.kind, name, a.digest, "present", ""});
    }

    void missing_chart(const PlannedChart& c) {
        rows_.push_back({"chart", c.repository + ":" + c.tag, c.digest, "missing", left_out_chart_name(c) + " is not in the store"});
    }

    void repository(const std::string& repo, const Repository& expected) {
        for (const auto& [d, desc] : expected.manifests) blob(repo, d);
        for (const auto& [d, size] : expected.blobs) blob(repo, d);
    }

    std::vector<PreflightRow> rows() && { return std::move(rows_); }

private:
    void blob(const std::string& repo, const Digest& d) {
        if (!checked_.insert(repo + "@" + d.str()).second) return;
        std::string name = repo + "@" + d.str();
        auto path = snap_.blob_path(d);
        if (!snap_.blob_size(repo, d)) {
            rows_.push_back({"blob", name, d, "missing", "not part of the repository in the store"});
            return;
        }
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) {
            rows_.push_back({"blob", name, d, "missing", "file " + path.string() + " is missing"});
            return;
        }
        if (!read_blobs_) return;
        try {
            Digest got = hash_blob_file(path);
            if (got != d) rows_.push_back({"blob", name, d, "different", "file " + path.string() + " has digest " + got.str()});
        } catch (const Error& e) {
            rows_.push_back({"blob", name, d, "unreadable", e.what()});
        }
    }

    const Snapshot& snap_;
    bool read_blobs_;
    std::set<std::string> checked_;
    std::vector<PreflightRow> rows_;
};

}  // namespace

std::vector<PreflightRow> preflight_store(const std::filesystem::path& bundle, const std::filesystem::path& store,
                                          const trust::TrustRoot* given_root, bool read_blobs) {
    auto opened = Store::open(store);
    auto root = root_to_use(StorePaths(store), given_root);
    auto names = NameMapping::keeping_hosts();
    PlanCollector collector(names);
    verify::verify_bundle(bundle, root, {}, &collector);
    PlannedContent planned = plan_content(collector, BlobStore(store));
    auto snap = opened->refresh();
    StorePreflight check(*snap, read_blobs);
    for (const auto& c : planned.missing_charts) check.missing_chart(c);
    for (const auto& a : planned.content.artifacts) check.artifact(a, planned.content.repositories.at(a.repository));
    for (const auto& [repo, expected] : planned.content.repositories) check.repository(repo, expected);
    return std::move(check).rows();
}

}  // namespace sealift::mirror
