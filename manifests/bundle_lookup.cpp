#include "manifests/bundle_lookup.hpp"

namespace sealift::manifests {

BundleLookup::BundleLookup(const BundleManifest& m) {
    for (const auto& i : m.images) images_.try_emplace(i.ref, &i);
    for (const auto& s : m.sboms) {
        sboms_by_ref_[s.for_ref].push_back(&s);
        sboms_by_path_[s.path].push_back(&s);
    }
    for (const auto& a : m.attachments) attachments_by_ref_[a.for_ref].push_back(&a);
    for (const auto& c : m.charts)
        if (!c.left_out) charts_by_path_[c.path].push_back(&c);
}

template <class T>
std::span<const T* const> BundleLookup::list(const Multi<T>& map, std::string_view key) {
    auto it = map.find(key);
    if (it == map.end()) return {};
    return it->second;
}

const BundleImage* BundleLookup::image(std::string_view ref) const {
    auto it = images_.find(ref);
    return it == images_.end() ? nullptr : it->second;
}

std::span<const BundleSbom* const> BundleLookup::sboms_for(std::string_view ref) const {
    return list(sboms_by_ref_, ref);
}

std::span<const BundleAttachment* const> BundleLookup::attachments_for(std::string_view ref) const {
    return list(attachments_by_ref_, ref);
}

std::span<const BundleSbom* const> BundleLookup::sboms_at(std::string_view path) const {
    return list(sboms_by_path_, path);
}

std::span<const BundleChart* const> BundleLookup::charts_at(std::string_view path) const {
    return list(charts_by_path_, path);
}

}  // namespace sealift::manifests
