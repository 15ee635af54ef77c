// Matching two releases' images, charts and packages, and saying what changed.
#include <algorithm>
#include <map>
#include <set>

#include "core/error.hpp"
#include "diff/diff.hpp"
#include "manifests/bundle_lookup.hpp"
#include "manifests/oci.hpp"
#include "manifests/reference.hpp"
#include "sbom/sbom.hpp"

namespace sealift::diff {
namespace {

using manifests::BundleImage;

// Layer digest -> size, over every platform of an index; nullopt when a manifest it needs was not read.
using Layers = std::map<std::string, std::uint64_t>;

std::optional<Layers> layers_of(const ReleaseSnapshot& s, const std::string& digest, const std::string& media_type) {
    auto bytes = s.image_manifests.find(digest);
    if (bytes == s.image_manifests.end()) return std::nullopt;
    std::string what = s.source + ": image manifest " + digest;
    manifests::ManifestOrIndex parsed = manifests::parse_manifest_or_index(bytes->second, media_type, what);
    Layers layers;
    if (const auto* manifest = std::get_if<manifests::ImageManifest>(&parsed)) {
        for (const auto& layer : manifest->layers) layers[layer.digest.str()] = layer.size;
        return layers;
    }
    // An index nests no deeper than one level of manifests in a bundle, but an index of indexes is still an image.
    for (const auto& child : std::get<manifests::ImageIndex>(parsed).manifests) {
        if (child.digest.str() == digest) fail(Errc::format, what + ": lists itself");
        std::optional<Layers> child_layers = layers_of(s, child.digest.str(), child.media_type);
        if (!child_layers) return std::nullopt;
        layers.insert(child_layers->begin(), child_layers->end());
    }
    return layers;
}

std::string repository(const std::string& ref) { return manifests::ImageReference::parse(ref, "image").name(); }

// Same reference first; then, among the rest, the same digest (a retag), then the same repository,
// each when it pairs one image of each release.
std::vector<std::pair<const BundleImage*, const BundleImage*>> pair_images(const std::vector<BundleImage>& old_images,
                                                                           const std::vector<BundleImage>& new_images) {
    std::vector<std::pair<const BundleImage*, const BundleImage*>> pairs;
    std::set<const BundleImage*> paired;
    std::multimap<std::string_view, const BundleImage*> new_by_ref;  // not a scan of the new images per old one
    for (const auto& n : new_images) new_by_ref.emplace(n.ref, &n);
    for (const auto& o : old_images) {
        auto [first, last] = new_by_ref.equal_range(o.ref);
        for (auto it = first; it != last; ++it) {
            pairs.emplace_back(&o, it->second);
            paired.insert(&o), paired.insert(it->second);
        }
    }
    using Sides = std::pair<std::vector<const BundleImage*>, std::vector<const BundleImage*>>;
    std::map<std::string, Sides> by_digest;
    for (const auto& o : old_images)
        if (!paired.count(&o)) by_digest[o.digest.str()].first.push_back(&o);
    for (const auto& n : new_images)
        if (!paired.count(&n)) by_digest[n.digest.str()].second.push_back(&n);
    for (const auto& [digest, sides] : by_digest)
        if (sides.first.size() == 1 && sides.second.size() == 1) {
            pairs.emplace_back(sides.first[0], sides.second[0]);
            paired.insert(sides.first[0]), paired.insert(sides.second[0]);
        }
    std::map<std::string, Sides> by_repository;
    for (const auto& o : old_images)
        if (!paired.count(&o)) by_repository[repository(o.ref)].first.push_back(&o);
    for (const auto& n : new_images)
        if (!paired.count(&n)) by_repository[repository(n.ref)].second.push_back(&n);
    for (const auto& [name, sides] : by_repository)
        if (sides.first.size() == 1 && sides.second.size() == 1) pairs.emplace_back(sides.first[0], sides.second[0]);
    for (const auto& [name, sides] : by_repository)
        if (sides.first.size() != 1 || sides.second.size() != 1) {
            for (const auto* o : sides.first) pairs.emplace_back(o, nullptr);
            for (const auto* n : sides.second) pairs.emplace_back(nullptr, n);
        }
    return pairs;
}

// Every layer of every image of a release; nullopt when its image manifests were not read.
std::optional<Layers> all_layers(const ReleaseSnapshot& s) {
    Layers all;
    for (const auto& image : s.manifest.images) {
        std::optional<Layers> layers = layers_of(s, image.digest.str(), image.media_type);
        if (!layers) return std::nullopt;
        all.insert(layers->begin(), layers->end());
    }
    return all;
}

// The layers of `image` that the old release did not have: what a site has yet to receive.
std::optional<std::vector<Layer>> new_layers(const std::optional<Layers>& old_layers, const ReleaseSnapshot& new_s,
                                             const BundleImage& image) {
    if (!old_layers) return std::nullopt;
    std::optional<Layers> now = layers_of(new_s, image.digest.str(), image.media_type);
    if (!now) return std::nullopt;
    std::vector<Layer> out;
    for (const auto& [digest, size] : *now)
        if (!old_layers->count(digest)) out.push_back({digest, size});
    return out;
}

// Package key -> its name and every version the image's SBOMs list.
struct Listed {
    std::string name;
    std::set<std::string> versions;
};

std::map<std::string, Listed> packages_of(const ReleaseSnapshot& s, const manifests::BundleLookup& lookup,
                                          const std::string& ref, bool& has_sbom) {
    std::map<std::string, Listed> out;
    for (const auto* entry : lookup.sboms_for(ref)) {
        has_sbom = true;
        auto text = s.sboms.find(entry->path);
        if (text == s.sboms.end()) fail(Errc::internal, s.source + ": SBOM " + entry->path + " was not read");
        sbom::Document doc = sbom::parse(text->second, s.source + ": " + entry->path);
        for (const auto& c : doc.components) {
            Listed& listed = out[sbom::package_key(c)];
            if (listed.name.empty()) listed.name = c.name;
            listed.versions.insert(sbom::package_version(c));
        }
    }
    return out;
}

// A release's SBOMs by the image they describe, found without a scan per image.
struct Sboms {
    const ReleaseSnapshot& s;
    manifests::BundleLookup lookup{s.manifest};
};

ImagePackages compare_packages(const Sboms& old_s, const BundleImage& old_image, const Sboms& new_s,
                               const BundleImage& new_image) {
    ImagePackages result{old_image.ref, new_image.ref};
    auto before = packages_of(old_s.s, old_s.lookup, old_image.ref, result.old_has_sbom);
    auto after = packages_of(new_s.s, new_s.lookup, new_image.ref, result.new_has_sbom);
    auto versions = [](const Listed& l) { return std::vector<std::string>(l.versions.begin(), l.versions.end()); };
    for (const auto& [key, listed] : before) {
        auto now = after.find(key);
        if (now == after.end())
            result.changes.push_back({ChangeKind::removed, listed.name, key, versions(listed), {}});
        else if (now->second.versions != listed.versions)
            result.changes.push_back(
                {ChangeKind::changed, now->second.name, key, versions(listed), versions(now->second)});
    }
    for (const auto& [key, listed] : after)
        if (!before.count(key)) result.changes.push_back({ChangeKind::added, listed.name, key, {}, versions(listed)});
    std::sort(result.changes.begin(), result.changes.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
    return result;
}

void compare_charts(const manifests::BundleManifest& old_m, const manifests::BundleManifest& new_m, Diff& d) {
    std::map<std::string, const manifests::BundleChart*> before, after;
    for (const auto& c : old_m.charts) before[c.name] = &c;
    for (const auto& c : new_m.charts) after[c.name] = &c;
    for (const auto& [name, o] : before) {
        auto n = after.find(name);
        ChartChange change{ChangeKind::removed,          name, o->version, "", o->app_version, "",
                           old_m.chart_digest(*o).str(), ""};
        if (n != after.end()) {
            change.kind = ChangeKind::changed;
            change.new_version = n->second->version;
            change.new_app_version = n->second->app_version;
            change.new_digest = new_m.chart_digest(*n->second).str();
            if (change.old_version == change.new_version && change.old_app_version == change.new_app_version &&
                change.old_digest == change.new_digest) {
                ++d.unchanged_charts;
                continue;
            }
        }
        d.charts.push_back(change);
    }
    for (const auto& [name, n] : after)
        if (!before.count(name))
            d.charts.push_back(
                {ChangeKind::added, name, "", n->version, "", n->app_version, "", new_m.chart_digest(*n).str()});
    std::stable_sort(d.charts.begin(), d.charts.end(), [](const auto& a, const auto& b) { return a.kind < b.kind; });
}

Side side_of(const ReleaseSnapshot& s) {
    return {s.source,
            s.manifest.name,
            s.manifest.version.str(),
            manifests::channel_name(s.manifest.channel),
            s.manifest_digest.str(),
            s.manifest.issued,
            s.manifest.expires,
            s.whole_bundle,
            s.verified,
            s.signer_keyids};
}

}  // namespace

std::uint64_t ImageChange::new_layer_bytes() const {
    std::uint64_t total = 0;
    if (new_layers)
        for (const Layer& l : *new_layers) total += l.size;
    return total;
}

Diff compare(const ReleaseSnapshot& old_s, const ReleaseSnapshot& new_s) {
    Diff d;
    d.old_side = side_of(old_s);
    d.new_side = side_of(new_s);
    d.packages_known = old_s.whole_bundle && new_s.whole_bundle;
    const std::optional<Layers> old_layers = all_layers(old_s);
    const Sboms old_sboms{old_s}, new_sboms{new_s};
    for (const auto& [o, n] : pair_images(old_s.manifest.images, new_s.manifest.images)) {
        if (o && n && d.packages_known) {
            ImagePackages packages = compare_packages(old_sboms, *o, new_sboms, *n);
            if (!packages.changes.empty() || packages.old_has_sbom != packages.new_has_sbom)
                d.packages.push_back(std::move(packages));
        }
        if (o && n && o->ref == n->ref && o->digest == n->digest) {
            ++d.unchanged_images;
            continue;
        }
        ImageChange change;
        change.kind = !o                       ? ChangeKind::added
                      : !n                     ? ChangeKind::removed
                      : o->digest == n->digest ? ChangeKind::retagged
                                               : ChangeKind::changed;
        if (o) change.old_image = *o;
        if (n) {
            change.new_image = *n;
            change.new_layers = new_layers(old_layers, new_s, *n);
        }
        d.images.push_back(std::move(change));
    }
    std::sort(d.images.begin(), d.images.end(), [&](const auto& a, const auto& b) {
        return std::make_pair(a.kind, a.ref()) < std::make_pair(b.kind, b.ref());
    });
    std::sort(d.packages.begin(), d.packages.end(), [](const auto& a, const auto& b) { return a.new_ref < b.new_ref; });
    compare_charts(old_s.manifest, new_s.manifest, d);
    return d;
}

void cap_package_changes(Diff& d, std::size_t max) {
    for (ImagePackages& p : d.packages)
        if (p.changes.size() > max) {
            p.left_out += p.changes.size() - max;
            p.changes.resize(max);
        }
}

}  // namespace sealift::diff
