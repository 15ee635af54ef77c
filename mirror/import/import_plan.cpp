#include "mirror/import/import_plan.hpp"

#include "core/error.hpp"
#include "manifests/content_rules.hpp"
#include "manifests/oci.hpp"
#include "sbom/sbom.hpp"

namespace sealift::mirror {

ImportPlan::ImportPlan(const manifests::BundleManifest& bundle, const NameMapping& names)
    : manifest_(bundle), lookup_(manifest_) {
    const auto& m = manifest_;
    std::vector<std::string> originals;
    for (const auto& img : m.images) {
        auto ref = manifests::image_reference(img.ref, "bundle image");
        originals.push_back(ref.name());
        images_.push_back({img.ref, names.repository(ref.name()), ref.tag, img, {}, {}, {}});
        for (const auto* a : lookup_.attachments_for(img.ref)) images_.back().attachments.push_back(*a);
    }
    names.check_collisions(originals);
    for (const auto& c : m.charts) {
        const Digest& digest = m.chart_digest(c);
        const auto* entry = c.left_out ? nullptr : m.find(c.path);
        charts_.push_back({c, names.chart_repository(c.name), helm_tag(c.version), digest,
                           entry ? entry->size : m.find_external(digest)->size});
    }
    std::map<std::string_view, const PlannedImage*> by_ref;  // the last of a reference listed twice, as before
    for (const auto& img : images_) by_ref[img.source_ref] = &img;
    for (const auto& s : m.sboms) {
        PlannedSbom p{s, {}, m.find(s.path), nullptr};
        if (auto it = by_ref.find(s.for_ref); it != by_ref.end())
            p.image = it->second, p.repository = it->second->repository;
        if (!p.image)
            fail(Errc::format, s.path + ": describes " + s.for_ref + ", which is not an image of this bundle");
        sboms_.push_back(std::move(p));
    }
}

void ImportPlan::add_manifest(const Digest& digest, const std::string& media_type, std::string bytes) {
    auto parsed = manifests::parse_manifest_or_index(bytes, media_type, "manifest " + digest.str());
    Stored s{media_type, std::move(bytes), {}, {}};
    if (auto* im = std::get_if<manifests::ImageManifest>(&parsed)) {
        s.blobs.push_back(im->config.digest);
        for (const auto& l : im->layers) s.blobs.push_back(l.digest);
    } else {
        for (const auto& c : std::get<manifests::ImageIndex>(parsed).manifests) s.children.push_back(c.digest);
    }
    manifests_.emplace(digest, std::move(s));
}

Artifact ImportPlan::chart_artifact(const PlannedChart& chart, const std::string& archive) {
    auto info = manifests::read_chart_archive(archive, chart.chart.path);
    return make_helm_artifact(info, chart.digest, chart.size);
}

Artifact ImportPlan::sbom_artifact(const PlannedSbom& s) {
    const auto& img = *s.image;
    auto format = s.sbom.format == sbom::format_name(sbom::Format::spdx) ? sbom::Format::spdx : sbom::Format::cyclonedx;
    std::string file = s.sbom.path.substr(s.sbom.path.rfind('/') + 1);
    return make_sbom_referrer(sbom::media_type(format), s.entry->digest, s.entry->size, file, img.top.media_type,
                              img.top.digest, img.top.size);
}

bool ImportPlan::tree_contains(const Digest& root, const Digest& blob, int depth) const {
    auto it = manifests_.find(root);
    if (it == manifests_.end() || depth > manifests::kMaxIndexDepth) return false;
    for (const auto& b : it->second.blobs)
        if (b == blob) return true;
    for (const auto& c : it->second.children)
        if (c == blob || tree_contains(c, blob, depth + 1)) return true;
    return false;
}

std::string ImportPlan::home_repository(const Digest& blob) const {
    if (images_.empty()) fail(Errc::internal, "blob " + blob.str() + " in a bundle without images");
    for (const auto& img : images_)
        if (tree_contains(img.top.digest, blob, 0)) return img.repository;
    return images_.front().repository;  // its manifest has not streamed yet: mounted where needed later
}

void ImportPlan::walk(PlannedImage& image, const Digest& d, int depth) {
    auto it = manifests_.find(d);
    if (it == manifests_.end())
        fail(Errc::format, "image " + image.source_ref + ": manifest " + d.str() + " is not in the bundle");
    if (depth > manifests::kMaxIndexDepth)
        fail(Errc::format, "image " + image.source_ref + ": indexes nested too deeply");
    for (const auto& c : it->second.children) walk(image, c, depth + 1);
    image.manifests.push_back(d);
    image.blobs.insert(it->second.blobs.begin(), it->second.blobs.end());
}

void ImportPlan::finish() {
    auto children = [&](const Digest& d) -> const std::vector<Digest>* {
        auto it = manifests_.find(d);
        return it == manifests_.end() ? nullptr : &it->second.children;
    };
    for (auto& img : images_) {
        manifests::check_index_depth(img.top.digest, children, "image " + img.source_ref);
        walk(img, img.top.digest, 0);
        for (const auto& a : img.attachments) walk(img, a.digest, 0);
    }
}

}  // namespace sealift::mirror

namespace sealift::mirror {

void PlanCollector::on_entry_begin(const manifests::BundleEntry& e) {
    buffer_.clear();
    keep_ = manifests::bundle_paths::is_blob(e.path) &&
            (manifests::is_manifest_media_type(e.media_type) || manifests::is_index_media_type(e.media_type));
    const auto& lookup = plan_->lookup();
    keep_ = keep_ || !lookup.charts_at(e.path).empty() || !lookup.sboms_at(e.path).empty();
}

void PlanCollector::on_entry_data(const manifests::BundleEntry&, const char* data, std::size_t size) {
    if (keep_) buffer_.append(data, size);
}

void PlanCollector::on_entry_end(const manifests::BundleEntry& e) {
    if (!keep_) return;
    if (manifests::bundle_paths::is_blob(e.path))
        plan_->add_manifest(e.digest, e.media_type, std::move(buffer_));
    else
        documents_[e.path] = std::move(buffer_);
    buffer_.clear();
}

}  // namespace sealift::mirror
