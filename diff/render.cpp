// The diff for people: aligned tables for a terminal, or Markdown that release
// notes can start from. Both say plainly what was not checked or not known.
#include "core/progress.hpp"
#include "diff/diff.hpp"
#include "diff/table.hpp"

namespace sealift::diff {

const char* change_name(ChangeKind kind) {
    switch (kind) {
    case ChangeKind::added: return "added";
    case ChangeKind::removed: return "removed";
    case ChangeKind::changed: return "changed";
    case ChangeKind::retagged: return "retagged";
    }
    return "changed";
}

namespace {

using detail::Table;

// "1 added, 0 removed, 2 changed, 0 unchanged"; images also count retags, which are not changes of them.
template <typename Change>
std::string counts(const std::vector<Change>& changes, std::size_t unchanged, bool retags) {
    std::size_t n[4] = {0, 0, 0, 0};
    for (const auto& c : changes) ++n[static_cast<int>(c.kind)];
    return std::to_string(n[0]) + " added, " + std::to_string(n[1]) + " removed, " + std::to_string(n[2]) +
           " changed, " + (retags ? std::to_string(n[3]) + " retagged, " : "") + std::to_string(unchanged) +
           " unchanged";
}

std::string release_name(const Side& s) { return s.name + " " + s.version + " (" + s.channel + ")"; }

std::string layer_count(std::size_t n) { return std::to_string(n) + (n == 1 ? " layer" : " layers"); }

std::string signatures_note(const Diff& d) {
    if (d.verified()) return "Signatures verified against the trust root for both releases.";
    return "Signatures NOT checked: these are what the manifests claim. Pass --trust FILE to verify both releases "
           "first.";
}

// What is unknown because a side is a bare manifest.
std::vector<std::string> unknowns(const Diff& d) {
    std::vector<std::string> out;
    for (const Side* s : {&d.old_side, &d.new_side})
        if (!s->whole_bundle)
            out.push_back(s->source + " is a bare manifest: layer sizes and SBOM package changes are unknown.");
    return out;
}

std::string versions(const std::vector<std::string>& list) {
    if (list.empty()) return "-";
    std::string out;
    for (const auto& v : list) out += (out.empty() ? "" : ", ") + (v.empty() ? std::string("(no version)") : v);
    return out;
}

std::string left_out(const ImagePackages& p) {
    return "... and " + std::to_string(p.left_out) + " more package " + (p.left_out == 1 ? "change" : "changes") +
           " (--max-packages)";
}

class Renderer {
public:
    explicit Renderer(bool markdown) : markdown_(markdown) {}

    std::string digest(const std::string& d) const {
        if (d.empty()) return "-";
        if (markdown_) return "`" + d + "`";
        return d.substr(0, 7 + 12);  // sha256: and 12 hex digits, as container tools abbreviate
    }
    std::string name(const std::string& n) const { return markdown_ ? "`" + n + "`" : n; }

    Table images(const Diff& d) const {
        Table t({"CHANGE", "IMAGE", "OLD DIGEST", "NEW DIGEST", "NEW LAYERS"});
        for (const auto& c : d.images) {
            std::string image = name(c.ref());
            if (c.old_image && c.new_image && c.old_image->ref != c.new_image->ref)
                image += " (was " + name(c.old_image->ref) + ")";
            std::string layers = "-";  // removed, or retagged: the same image, nothing new
            if (c.kind == ChangeKind::added || c.kind == ChangeKind::changed)
                layers = c.new_layers ? layer_count(c.new_layers->size()) + ", " + human_bytes(c.new_layer_bytes())
                                      : "unknown";
            t.add({change_name(c.kind), image, digest(c.old_image ? c.old_image->digest.str() : ""),
                   digest(c.new_image ? c.new_image->digest.str() : ""), layers});
        }
        return t;
    }

    Table layers(const Diff& d) const {
        Table t({"IMAGE", "NEW LAYER", "SIZE"});
        for (const auto& c : d.images)
            if (c.new_layers)
                for (const auto& l : *c.new_layers)
                    t.add({name(c.new_image->ref), markdown_ ? digest(l.digest) : l.digest, human_bytes(l.size)});
        return t;
    }

    Table charts(const Diff& d) const {
        Table t({"CHANGE", "CHART", "OLD VERSION", "NEW VERSION", "APP VERSION"});
        for (const auto& c : d.charts) {
            std::string app = c.kind == ChangeKind::removed ? c.old_app_version : c.new_app_version;
            if (c.kind == ChangeKind::changed && c.old_app_version != c.new_app_version)
                app = c.old_app_version + " -> " + c.new_app_version;
            std::string new_version = c.new_version.empty() ? "-" : c.new_version;
            if (c.kind == ChangeKind::changed && c.old_version == c.new_version) new_version += " (content changed)";
            t.add({change_name(c.kind), name(c.name), c.old_version.empty() ? "-" : c.old_version, new_version,
                   app.empty() ? "-" : app});
        }
        return t;
    }

    Table packages(const ImagePackages& p) const {
        Table t({"CHANGE", "PACKAGE", "OLD VERSION", "NEW VERSION"});
        for (const auto& c : p.changes)
            t.add({change_name(c.kind), c.name, versions(c.old_versions), versions(c.new_versions)});
        return t;
    }

    std::string image_heading(const ImagePackages& p) const {
        std::string out = name(p.new_ref);
        if (p.old_ref != p.new_ref) out += " (was " + name(p.old_ref) + ")";
        if (!p.old_has_sbom) out += ": SBOM added";
        if (!p.new_has_sbom) out += ": SBOM removed";
        return out;
    }

private:
    bool markdown_;
};

}  // namespace

std::string render_table(const Diff& d) {
    Renderer r(false);
    std::string out = "Release  " + release_name(d.old_side) + " -> " + release_name(d.new_side) + "\n";
    out += "Old      " + d.old_side.source + "  manifest " + d.old_side.manifest_digest + "\n";
    out += "New      " + d.new_side.source + "  manifest " + d.new_side.manifest_digest + "\n";
    out += signatures_note(d) + "\n";
    for (const auto& note : unknowns(d)) out += note + "\n";

    out += "\nImages: " + counts(d.images, d.unchanged_images, true) + "\n";
    if (!d.images.empty()) out += r.images(d).text("  ");
    if (Table layers = r.layers(d); !layers.empty()) out += "\nNew layers:\n" + layers.text("  ");

    out += "\nCharts: " + counts(d.charts, d.unchanged_charts, false) + "\n";
    if (!d.charts.empty()) out += r.charts(d).text("  ");

    out += "\nSBOM packages: ";
    if (!d.packages_known)
        out += "unknown (compare two bundles to see them)\n";
    else if (d.packages.empty())
        out += "no changes in images present in both releases\n";
    else {
        out += "changes in " + std::to_string(d.packages.size()) + (d.packages.size() == 1 ? " image\n" : " images\n");
        for (const auto& p : d.packages) {
            out += "  " + r.image_heading(p) + "\n";
            if (!p.changes.empty()) out += r.packages(p).text("    ");
            if (p.left_out) out += "    " + left_out(p) + "\n";
        }
    }
    return out;
}

std::string render_markdown(const Diff& d) {
    Renderer r(true);
    std::string out = "# " + release_name(d.new_side) + "\n\nChanges since " + release_name(d.old_side) + ".\n\n";
    out += "> " + signatures_note(d) + "\n";
    for (const auto& note : unknowns(d)) out += ">\n> " + note + "\n";
    out += "\n| | Release | Manifest |\n| --- | --- | --- |\n";
    out += "| old | " + release_name(d.old_side) + " | `" + d.old_side.manifest_digest + "` |\n";
    out += "| new | " + release_name(d.new_side) + " | `" + d.new_side.manifest_digest + "` |\n";

    out += "\n## Images\n\n" + counts(d.images, d.unchanged_images, true) + ".\n";
    if (!d.images.empty()) out += "\n" + r.images(d).markdown();
    if (Table layers = r.layers(d); !layers.empty()) out += "\n### New layers\n\n" + layers.markdown();

    out += "\n## Charts\n\n" + counts(d.charts, d.unchanged_charts, false) + ".\n";
    if (!d.charts.empty()) out += "\n" + r.charts(d).markdown();

    out += "\n## Packages\n";
    if (!d.packages_known)
        out += "\nUnknown: compare two bundles to see the changes in the images' SBOMs.\n";
    else if (d.packages.empty())
        out += "\nNo changes in the SBOMs of images present in both releases.\n";
    for (const auto& p : d.packages) {
        out += "\n### " + r.image_heading(p) + "\n";
        if (!p.changes.empty()) out += "\n" + r.packages(p).markdown();
        if (p.left_out) out += "\n" + left_out(p) + "\n";
    }
    return out;
}

}  // namespace sealift::diff
