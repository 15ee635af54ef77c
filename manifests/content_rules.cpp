#include "manifests/content_rules.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "core/error.hpp"
#include "manifests/bundle_lookup.hpp"
#include "manifests/chart.hpp"

namespace sealift::manifests {

ImageReference image_reference(const std::string& ref, const std::string& what) {
    ImageReference parsed = ImageReference::parse(ref, what);
    if (parsed.str() != ref)
        fail(Errc::format,
             what + ": image reference '" + ref + "' is not normalized (it would be '" + parsed.str() + "')");
    if (parsed.tag.empty())
        fail(Errc::format, what + ": image " + ref + " has no tag to import it under (name it with both, as " +
                               parsed.name() + ":TAG@" + parsed.digest->str() + ")");
    return parsed;
}

std::string chart_repository(const std::string& chart_name) {
    if (!valid_chart_name(chart_name))
        fail(Errc::format, "chart '" + chart_name.substr(0, 300) +
                               "': not a chart name Helm accepts (lower case letters, digits and '-', starting and "
                               "ending with a letter or digit, at most " +
                               std::to_string(kMaxChartNameLength) + ")");
    return "charts/" + chart_name;
}

void check_content_names(const BundleManifest& m, const std::string& what) {
    const BundleLookup lookup(m);  // a scan of the images per SBOM is quadratic in the release's size
    auto is_image = [&](const std::string& ref) { return lookup.image(ref) != nullptr; };
    for (std::size_t i = 0; i < m.images.size(); ++i)
        image_reference(m.images[i].ref, what + ": signed.sealift.images[" + std::to_string(i) + "].ref");
    for (std::size_t i = 0; i < m.sboms.size(); ++i)
        if (!is_image(m.sboms[i].for_ref))
            fail(Errc::format, what + ": signed.sealift.sboms[" + std::to_string(i) + "].for: SBOM '" +
                                   m.sboms[i].path + "' describes " + m.sboms[i].for_ref +
                                   ", which is not an image of this bundle");
    std::set<std::pair<std::string, std::string>> charts;
    for (std::size_t i = 0; i < m.charts.size(); ++i) {
        const BundleChart& c = m.charts[i];
        std::string cw = what + ": signed.sealift.charts[" + std::to_string(i) + "]";
        try {
            chart_repository(c.name);
        } catch (const Error& e) {
            rethrow_with_context(e, cw + ".name");
        }
        if (!valid_tag(chart_tag(c.version)))
            fail(Errc::format,
                 cw + ".version: chart " + c.name + " version '" + c.version.substr(0, 300) + "' is not a valid tag");
        std::string path = "charts/" + c.name + "-" + c.version + ".tgz";
        if (c.path != path)
            fail(Errc::format,
                 cw + ".path: chart " + c.name + " " + c.version + " must be at '" + path + "', not '" + c.path + "'");
        if (!charts.emplace(c.name, c.version).second)
            fail(Errc::format, cw + ": chart " + c.name + " " + c.version + " is listed twice");
    }
}

void check_index_depth(const Digest& top, const IndexChildren& children, const std::string& what) {
    // Level by level, each manifest once per level: shared children cost nothing twice.
    std::set<Digest> level{top};
    for (int depth = 1; !level.empty(); ++depth) {
        std::set<Digest> next;
        for (const auto& d : level)
            if (const auto* c = children(d)) next.insert(c->begin(), c->end());
        if (!next.empty() && depth > kMaxIndexDepth)
            fail(Errc::format, what + ": indexes nested more than " + std::to_string(kMaxIndexDepth) +
                                   " deep (manifest " + next.begin()->str() + " is at depth " + std::to_string(depth) +
                                   ")");
        level = std::move(next);
    }
}

}  // namespace sealift::manifests
