#include "verify/layout_check.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/json.hpp"
#include "manifests/content_rules.hpp"
#include "manifests/oci.hpp"

namespace sealift::verify {
namespace {

namespace mt = manifests::media_type;

const std::string kLayout = std::string(manifests::bundle_paths::layout_prefix) + "oci-layout";
const std::string kIndex = std::string(manifests::bundle_paths::layout_prefix) + "index.json";

bool is_config(std::string_view media_type) { return media_type == mt::oci_config || media_type == mt::docker_config; }
bool is_structural(std::string_view media_type) {
    return manifests::is_manifest_media_type(media_type) || manifests::is_index_media_type(media_type);
}

}  // namespace

bool LayoutCheck::wants_content(const manifests::BundleEntry& e) const {
    if (e.path == kLayout || e.path == kIndex) return true;
    return manifests::bundle_paths::is_blob(e.path) && (is_structural(e.media_type) || is_config(e.media_type));
}

std::size_t LayoutCheck::content_limit(const manifests::BundleEntry& e) const {
    return is_config(e.media_type) ? 8u << 20 : manifests::max_manifest_size;
}

void LayoutCheck::add_json(const manifests::BundleEntry& e, const std::string& bytes) {
    if (e.path == kLayout) {
        Json layout = parse_json_strict(bytes, e.path);
        if (json_string(layout, "imageLayoutVersion", e.path) != "1.0.0")
            fail(Errc::format, e.path + ": unsupported imageLayoutVersion");
        have_layout_ = true;
        return;
    }
    if (is_config(e.media_type)) {
        parse_json_strict(bytes, e.path);
        return;
    }
    auto parsed = manifests::parse_manifest_or_index(bytes, e.path == kIndex ? mt::oci_index : e.media_type, e.path);
    if (e.path == kIndex) {
        auto* index = std::get_if<manifests::ImageIndex>(&parsed);
        if (!index) fail(Errc::format, e.path + ": is not an image index");
        for (const auto& d : index->manifests) {
            auto name = d.annotations.find(manifests::annotation::ref_name);
            if (name == d.annotations.end())
                fail(Errc::format, e.path + ": manifest " + d.digest.str() + " has no " +
                                       manifests::annotation::ref_name + " annotation");
            Ref ref{d.digest, d.size, d.media_type, "index.json entry " + name->second};
            if (!tagged_.emplace(name->second, ref).second)
                fail(Errc::format, e.path + ": image " + name->second + " is tagged twice");
            refs_.push_back(ref);
        }
        have_index_ = true;
        return;
    }
    std::string digest = Digest::from_hex(e.path.substr(manifests::bundle_paths::blobs_prefix.size())).str();
    std::string owner = "manifest " + digest;
    if (auto* m = std::get_if<manifests::ImageManifest>(&parsed)) {
        refs_.push_back({m->config.digest, m->config.size, m->config.media_type, owner + " config"});
        // Whether the manifest belongs to an attachment (possibly as a child of a referrer
        // index) is known once every entry is read: layers are judged in finish().
        for (const auto& layer : m->layers) {
            if (!manifests::is_known_media_type(layer.media_type))
                unknown_layers_.push_back({e.digest, e.path + ": layer " + layer.digest.str() +
                                                         " has unknown media type '" + layer.media_type + "'"});
            refs_.push_back({layer.digest, layer.size, layer.media_type, owner + " layer", true, e.digest});
        }
    } else {
        auto& children = children_[e.digest];
        for (const auto& child : std::get<manifests::ImageIndex>(parsed).manifests) {
            refs_.push_back({child.digest, child.size, child.media_type, "index " + digest + " entry"});
            children.push_back(child.digest);
        }
    }
}

void LayoutCheck::require(const Ref& ref) const {
    std::string path = manifests::bundle_paths::blob(ref.digest);
    const auto* entry = manifest_.find(path);
    if (!entry) {
        const auto* external = manifest_.find_external(ref.digest);
        if (!external) fail(Errc::format, ref.by + " references " + ref.digest.str() + ", which is not in the bundle");
        if (!ref.layer)
            fail(Errc::format, ref.by + " references external blob " + ref.digest.str() +
                                   ": only layers may be left to the base bundle");
        if (external->size != ref.size)
            fail(Errc::format, ref.by + " declares " + ref.digest.str() + " with " + std::to_string(ref.size) +
                                   " bytes, the signed manifest lists it as an external blob of " +
                                   std::to_string(external->size));
        return;
    }
    if (entry->size != ref.size)
        fail(Errc::format, ref.by + " declares " + ref.digest.str() + " with " + std::to_string(ref.size) +
                               " bytes, the bundle holds " + std::to_string(entry->size));
    if (is_structural(ref.media_type) && entry->media_type != ref.media_type)
        fail(Errc::format,
             path + ": listed as '" + entry->media_type + "' but " + ref.by + " says '" + ref.media_type + "'");
}

void LayoutCheck::finish() const {
    std::set<std::string> referenced;
    if (!manifest_.images.empty() || manifest_.find(kIndex)) referenced = check_images();
    // A left-out chart's archive is an external blob too: the one thing besides a layer that may be.
    for (const auto& c : manifest_.charts)
        if (c.left_out) referenced.insert(manifests::bundle_paths::blob(*c.left_out));
    for (const auto& e : manifest_.entries)
        if (manifests::bundle_paths::is_blob(e.path) && !referenced.count(e.path))
            fail(Errc::format, e.path + ": blob is not referenced by any image");
    for (const auto& b : manifest_.external_blobs)
        if (!referenced.count(manifests::bundle_paths::blob(b.digest)))
            fail(Errc::format,
                 "external blob " + b.digest.str() + " is not referenced by any image layer or left-out chart");
}

std::set<std::string> LayoutCheck::check_images() const {
    if (!have_layout_) fail(Errc::format, kLayout + " is missing: images/ is not an OCI image layout");
    if (!have_index_) fail(Errc::format, kIndex + " is missing: images/ is not an OCI image layout");
    for (const auto& img : manifest_.images) {
        auto it = tagged_.find(img.ref);
        if (it == tagged_.end())
            fail(Errc::format, kIndex + ": image " + img.ref + " of the signed manifest is not tagged");
        if (it->second.digest != img.digest || it->second.size != img.size || it->second.media_type != img.media_type)
            fail(Errc::format, kIndex + ": image " + img.ref + " is tagged as " + it->second.digest.str() +
                                   ", the signed manifest says " + img.digest.str());
    }
    if (tagged_.size() != manifest_.images.size()) {
        std::set<std::string_view> listed;
        for (const auto& img : manifest_.images) listed.insert(img.ref);
        for (const auto& [name, ref] : tagged_) {
            if (!listed.count(name))
                fail(Errc::format, kIndex + ": image " + name + " is not in the signed manifest's image list");
        }
    }
    // As deep as importers walk, and no deeper.
    auto children = [&](const Digest& d) -> const std::vector<Digest>* {
        auto it = children_.find(d);
        return it == children_.end() ? nullptr : &it->second;
    };
    for (const auto& img : manifest_.images) manifests::check_index_depth(img.digest, children, "image " + img.ref);
    for (const auto& a : manifest_.attachments)
        manifests::check_index_depth(a.digest, children, a.kind + " " + a.digest.str() + " of " + a.for_ref);
    // Signatures and referrers (and the children of a referrer index) carry payloads of
    // their own types, and always travel whole.
    std::set<Digest> attached;
    std::vector<Digest> pending;
    for (const auto& a : manifest_.attachments) pending.push_back(a.digest);
    while (!pending.empty()) {
        Digest d = pending.back();
        pending.pop_back();
        if (!attached.insert(d).second) continue;
        if (const auto* list = children(d)) pending.insert(pending.end(), list->begin(), list->end());
    }
    for (const auto& [owner, problem] : unknown_layers_)
        if (!attached.count(owner)) fail(Errc::format, problem);
    std::set<std::string> referenced;
    for (auto ref : refs_) {
        if (ref.layer && ref.owner && attached.count(*ref.owner)) ref.layer = false;
        require(ref);
        referenced.insert(manifests::bundle_paths::blob(ref.digest));
    }
    // The signed manifest's attachments are the roots of their own small trees.
    for (const auto& a : manifest_.attachments) {
        require({a.digest, a.size, a.media_type, a.kind + " " + a.digest.str() + " of " + a.for_ref});
        referenced.insert(manifests::bundle_paths::blob(a.digest));
    }
    return referenced;
}

}  // namespace sealift::verify
