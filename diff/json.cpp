// The diff for programs: every digest in full, unknowns as null. A release and
// an image are written as inspect and verify write them (verify/report_json.hpp).
#include "diff/diff.hpp"
#include "verify/report_json.hpp"

namespace sealift::diff {
namespace {

Json side_json(const Side& s) {
    Json j = {{"source", s.source},
              {"contents", s.whole_bundle ? "bundle" : "manifest"},
              {"verified", s.verified},
              {"signers", s.signer_keyids}};
    verify::put_release(j, {s.name, s.version, s.channel, s.issued, s.expires, s.manifest_digest});
    return j;
}

Json image_json(const ImageChange& c) {
    Json j = {{"change", change_name(c.kind)}};
    if (c.old_image) j["old"] = verify::image_json(*c.old_image);
    if (c.new_image) j["new"] = verify::image_json(*c.new_image);
    if (c.kind != ChangeKind::removed) {
        if (c.new_layers) {
            Json layers = Json::array();
            for (const Layer& l : *c.new_layers) layers.push_back({{"digest", l.digest}, {"size", l.size}});
            j["newLayers"] = std::move(layers);
            j["newLayerBytes"] = c.new_layer_bytes();
        } else {
            j["newLayers"] = nullptr;  // a side was a bare manifest
            j["newLayerBytes"] = nullptr;
        }
    }
    return j;
}

Json chart_json(const ChartChange& c) {
    Json j = {{"change", change_name(c.kind)}, {"name", c.name}};
    if (c.kind != ChangeKind::added)
        j["old"] = {{"version", c.old_version}, {"appVersion", c.old_app_version}, {"digest", c.old_digest}};
    if (c.kind != ChangeKind::removed)
        j["new"] = {{"version", c.new_version}, {"appVersion", c.new_app_version}, {"digest", c.new_digest}};
    return j;
}

Json packages_json(const ImagePackages& p) {
    Json changes = Json::array();
    for (const auto& c : p.changes)
        changes.push_back({{"change", change_name(c.kind)},
                           {"name", c.name},
                           {"key", c.key},
                           {"oldVersions", c.old_versions},
                           {"newVersions", c.new_versions}});
    return {{"oldRef", p.old_ref},          {"newRef", p.new_ref}, {"oldHasSbom", p.old_has_sbom},
            {"newHasSbom", p.new_has_sbom}, {"changes", changes},  {"changesLeftOut", p.left_out}};
}

}  // namespace

Json to_json(const Diff& d) {
    Json images = Json::array(), charts = Json::array(), packages = nullptr;
    for (const auto& c : d.images) images.push_back(image_json(c));
    for (const auto& c : d.charts) charts.push_back(chart_json(c));
    if (d.packages_known) {
        packages = Json::array();
        for (const auto& p : d.packages) packages.push_back(packages_json(p));
    }
    return {{"old", side_json(d.old_side)},
            {"new", side_json(d.new_side)},
            {"verified", d.verified()},
            {"images", images},
            {"unchangedImages", d.unchanged_images},
            {"charts", charts},
            {"unchangedCharts", d.unchanged_charts},
            {"packages", packages}};
}

}  // namespace sealift::diff
