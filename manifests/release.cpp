#include "manifests/release.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <optional>
#include <set>
#include <sstream>
#include <utility>

#include "core/error.hpp"
#include "core/file.hpp"
#include "manifests/reference.hpp"

namespace sealift::manifests {

const char* channel_name(Channel channel) {
    switch (channel) {
    case Channel::stable: return "stable";
    case Channel::lts: return "lts";
    case Channel::hotfix: return "hotfix";
    }
    return "stable";
}

std::optional<Channel> parse_channel(std::string_view text) {
    if (text == "stable") return Channel::stable;
    if (text == "lts") return Channel::lts;
    if (text == "hotfix") return Channel::hotfix;
    return std::nullopt;
}

bool valid_release_name(std::string_view name) {
    if (name.empty() || name.size() > 63) return false;
    auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    if (!alnum(name.front()) || !alnum(name.back())) return false;
    for (char c : name)
        if (!alnum(c) && c != '-' && c != '.') return false;
    return true;
}

bool valid_platform_filter(std::string_view platform) {
    int parts = 1;
    bool empty_part = true;
    for (char c : platform) {
        if (c == '/') {
            if (empty_part) return false;
            ++parts, empty_part = true;
            continue;
        }
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!ok) return false;
        empty_part = false;
    }
    return !empty_part && (parts == 2 || parts == 3);
}

namespace {

// Walks the YAML tree with the file name at hand, so every error says where.
class Reader {
public:
    explicit Reader(std::filesystem::path file) : file_(std::move(file)), base_(file_.parent_path()) {}

    SourceLocation at(const YAML::Node& node) const {
        auto mark = node.Mark();
        return {file_.string(), mark.line + 1, mark.column + 1};
    }

    [[noreturn]] void error(const YAML::Node& node, const std::string& message) const {
        fail(Errc::format, at(node).str() + ": " + message);
    }

    // Checks a mapping has only `allowed` keys, none twice, and every `required` key.
    void check_keys(const YAML::Node& map, const std::string& what, std::initializer_list<const char*> allowed,
                    std::initializer_list<const char*> required) const {
        if (!map.IsMap()) error(map, what + " must be a mapping");
        std::set<std::string> seen;
        for (const auto& kv : map) {
            auto key = kv.first.Scalar();
            bool known = false;
            for (const char* a : allowed) known = known || key == a;
            if (!known) error(kv.first, "unknown key '" + key + "' in " + what);
            if (!seen.insert(key).second) error(kv.first, "duplicate key '" + key + "' in " + what);
        }
        for (const char* r : required)
            if (!seen.count(r)) error(map, what + " is missing required key '" + r + "'");
    }

    std::string scalar(const YAML::Node& node, const std::string& what) const {
        if (!node.IsScalar() || node.Scalar().empty()) error(node, what + " must be a non-empty string");
        return node.Scalar();
    }

    // A path relative to the manifest that must exist (as a file, or a folder when allowed).
    std::filesystem::path existing_path(const YAML::Node& node, const std::string& what, bool folder_ok) const {
        std::filesystem::path p = base_ / scalar(node, what);
        std::error_code ec;
        auto status = std::filesystem::status(p, ec);
        if (ec || !std::filesystem::exists(status)) error(node, what + " '" + node.Scalar() + "' does not exist");
        if (std::filesystem::is_directory(status) && !folder_ok)
            error(node, what + " '" + node.Scalar() + "' is a folder, not a file");
        if (!std::filesystem::is_directory(status) && !std::filesystem::is_regular_file(status))
            error(node, what + " '" + node.Scalar() + "' is not a regular file");
        return p.lexically_normal();
    }

    std::string reference(const YAML::Node& node, const std::string& what) const {
        std::string text = scalar(node, what);
        try {
            ImageReference::parse(text, what);
        } catch (const Error& e) {
            error(node, e.what());
        }
        return text;
    }

    const std::filesystem::path& file() const { return file_; }

private:
    std::filesystem::path file_, base_;
};

// `verify: {cosignKey: keys/cosign.pub}`: which signatures the entry's images must carry.
// `images` names them in messages: "image REF" or "the images of PATH".
void read_verify(const Reader& r, const YAML::Node& node, ImageEntry& e, const std::string& images) {
    const YAML::Node verify = node["verify"];
    if (!verify) return;
    const std::string what = "verify of " + images;
    r.check_keys(verify, what, {"cosignKey"}, {"cosignKey"});
    e.cosign_key = r.existing_path(verify["cosignKey"], what + ": cosignKey", false);
    e.cosign_key_where = r.at(verify["cosignKey"]);
}

// `- ref: registry.example.com/platform/api:1.0.0` (or @sha256:...), optionally `platforms: [linux/amd64]`.
ImageEntry read_registry_image(const Reader& r, const YAML::Node& node) {
    r.check_keys(node, "registry image entry", {"ref", "platforms", "verify"}, {"ref"});
    ImageEntry e;
    e.kind = ImageSourceKind::registry;
    e.where = r.at(node);
    e.refs.push_back(r.reference(node["ref"], "image reference"));
    read_verify(r, node, e, "image " + e.refs.front());
    if (auto platforms = node["platforms"]) {
        if (!platforms.IsSequence() || platforms.size() == 0)
            r.error(platforms, "platforms must be a non-empty list such as [linux/amd64]");
        for (const auto& p : platforms) {
            std::string text = r.scalar(p, "platform");
            if (!valid_platform_filter(text))
                r.error(p, "platform '" + text + "' is not os/arch or os/arch/variant (e.g. linux/arm64/v8)");
            for (const auto& seen : e.platforms)
                if (seen == text) r.error(p, "platform '" + text + "' is listed twice");
            e.platforms.push_back(text);
        }
    }
    return e;
}

// Where each item of the top-level `images:` list is an alias (`- *api`), by index.
// yaml-cpp hands an alias the node of its anchor, and so the anchor's position:
// without this, an image listed twice through an alias would name one position twice.
class ImageAliasMarks : public YAML::EventHandler {
public:
    std::vector<std::optional<YAML::Mark>> items;  // per image item: where its alias is, or nullopt

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { node(mark, false, nullptr); }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { node(mark, true, nullptr); }
    void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string& value) override {
        node(mark, false, &value);
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                         YAML::EmitterStyle::value) override {
        bool images = node(mark, false, nullptr);
        open_.push_back({false, images});
    }
    void OnSequenceEnd() override { open_.pop_back(); }
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
        node(mark, false, nullptr);
        open_.push_back({true, false});
    }
    void OnMapEnd() override { open_.pop_back(); }

private:
    struct Open {
        bool map, images;            // a mapping; the `images:` list
        bool at_key = true;          // in a mapping: the next node is a key
        bool key_is_images = false;  // the last key was the top-level `images`
    };
    // A node starts; returns whether it is the value of the top-level `images` key.
    bool node(const YAML::Mark& mark, bool alias, const std::string* scalar) {
        if (open_.empty()) return false;
        Open& o = open_.back();
        if (o.images) items.push_back(alias ? std::optional(mark) : std::nullopt);
        if (!o.map) return false;
        bool images_value = false;
        if (o.at_key)
            o.key_is_images = open_.size() == 1 && scalar && *scalar == "images";
        else
            images_value = o.key_is_images;
        o.at_key = !o.at_key;
        return images_value;
    }
    std::vector<Open> open_;
};

// The first tab in a line's indentation, as 1-based line and column. YAML forbids
// tabs there, and yaml-cpp then reports a symptom ("illegal block entry",
// "end of map not found") at some later token instead of the tab.
std::optional<std::pair<std::size_t, std::size_t>> tab_in_indentation(std::string_view yaml) {
    std::size_t line = 1;
    for (std::size_t start = 0; start <= yaml.size(); ++line) {
        std::size_t end = std::min(yaml.find('\n', start), yaml.size());
        std::string_view text = yaml.substr(start, end - start);
        std::size_t indent = text.find_first_not_of(" \t");
        std::size_t tab = text.substr(0, indent).find('\t');
        if (tab != std::string_view::npos && indent != std::string_view::npos) return std::pair(line, tab + 1);
        start = end + 1;
    }
    return std::nullopt;
}

// What yaml-cpp's message means for someone who wrote the file.
std::string yaml_error(std::string_view yaml, const std::filesystem::path& file, const YAML::Exception& e) {
    if (auto tab = tab_in_indentation(yaml))
        return file.string() + ":" + std::to_string(tab->first) + ":" + std::to_string(tab->second) +
               ": invalid YAML: a tab in the indentation; YAML forbids tabs for indentation, indent with spaces";
    std::string where = file.string() + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1);
    std::string message = where + ": invalid YAML: " + e.msg;
    // The messages yaml-cpp gives when a line is indented more or less than its siblings.
    for (const char* symptom : {"illegal map value", "end of map not found", "end of sequence not found",
                                "illegal block entry", "block sequence entries are not allowed in this context"})
        if (e.msg == symptom)
            return message + " (is this line, or the one before it, indented differently from its siblings?)";
    return message;
}

ImageEntry read_image(const Reader& r, const YAML::Node& node) {
    if (node.IsMap() && node["ref"]) return read_registry_image(r, node);
    r.check_keys(node, "image entry", {"layout", "ociArchive", "dockerArchive", "refs", "repository", "verify"}, {});
    ImageEntry e;
    e.where = r.at(node);
    int sources = 0;
    if (node["layout"])
        e.kind = ImageSourceKind::layout, e.path = r.existing_path(node["layout"], "image layout", true), ++sources;
    if (node["ociArchive"])
        e.kind = ImageSourceKind::oci_archive, e.path = r.existing_path(node["ociArchive"], "OCI archive", false),
        ++sources;
    if (node["dockerArchive"])
        e.kind = ImageSourceKind::docker_archive,
        e.path = r.existing_path(node["dockerArchive"], "docker archive", false), ++sources;
    if (sources != 1) r.error(node, "image entry needs exactly one of layout, ociArchive, dockerArchive, ref");
    if (e.kind == ImageSourceKind::layout && !std::filesystem::is_directory(e.path))
        r.error(node["layout"], "image layout '" + node["layout"].Scalar() + "' is not a folder");
    if (auto refs = node["refs"]) {
        if (!refs.IsSequence() || refs.size() == 0) r.error(refs, "refs must be a non-empty list of image references");
        for (const auto& ref : refs) e.refs.push_back(r.reference(ref, "image reference"));
    }
    if (auto repo = node["repository"]) {
        e.repository = r.reference(repo, "repository");
        if (e.repository.find_first_of(
                ":@", e.repository.find('/') == std::string::npos ? 0 : e.repository.find('/')) != std::string::npos)
            r.error(repo, "repository '" + e.repository + "' must not carry a tag or digest");
    }
    read_verify(r, node, e, e.refs.size() == 1 ? "image " + e.refs.front() : "the images of " + e.path.string());
    return e;
}

}  // namespace

Release parse_release(std::string_view yaml, const std::filesystem::path& file) {
    Reader r(file);
    YAML::Node root;
    try {
        root = YAML::Load(std::string(yaml));
    } catch (const YAML::Exception& e) {
        fail(Errc::format, yaml_error(yaml, file, e));
    }
    if (!root || root.IsNull()) fail(Errc::format, file.string() + ": empty release manifest");
    r.check_keys(root, "release manifest",
                 {"apiVersion", "kind", "metadata", "images", "charts", "sboms", "releaseNotes", "lock"},
                 {"apiVersion", "kind", "metadata"});
    if (r.scalar(root["apiVersion"], "apiVersion") != "sealift.dev/v1")
        r.error(root["apiVersion"],
                "unsupported apiVersion '" + root["apiVersion"].Scalar() + "' (want sealift.dev/v1)");
    if (r.scalar(root["kind"], "kind") != "Release") r.error(root["kind"], "kind must be Release");

    Release rel;
    rel.file = file;
    const YAML::Node meta = root["metadata"];
    r.check_keys(meta, "metadata", {"name", "version", "channel", "created"}, {"name", "version", "channel"});
    rel.name = r.scalar(meta["name"], "metadata.name");
    if (!valid_release_name(rel.name))
        r.error(meta["name"],
                "invalid release name '" + rel.name + "' (lowercase letters, digits, '.', '-'; at most 63)");
    try {
        rel.version = SemVer::parse(r.scalar(meta["version"], "metadata.version"));
    } catch (const Error& e) {
        r.error(meta["version"], e.what());
    }
    auto channel = parse_channel(r.scalar(meta["channel"], "metadata.channel"));
    if (!channel)
        r.error(meta["channel"], "unknown channel '" + meta["channel"].Scalar() + "' (stable, lts or hotfix)");
    rel.channel = *channel;
    if (rel.channel != Channel::hotfix && rel.version.prerelease())
        r.error(meta["version"], "pre-release version " + rel.version.str() +
                                     " is only allowed on the hotfix channel, not " + channel_name(rel.channel));
    if (auto created = meta["created"]) {
        try {
            rel.created = parse_time(r.scalar(created, "metadata.created"));
        } catch (const Error& e) {
            r.error(created, e.what());
        }
    }

    auto list = [&](const char* key) {
        YAML::Node n = root[key];
        if (n && !n.IsSequence()) r.error(n, std::string(key) + " must be a list");
        return n;
    };
    ImageAliasMarks aliases;
    {
        std::istringstream stream{std::string(yaml)};
        YAML::Parser(stream).HandleNextDocument(aliases);
    }
    for (const auto& img : list("images")) {
        rel.images.push_back(read_image(r, img));
        std::size_t index = rel.images.size() - 1;
        if (index < aliases.items.size() && aliases.items[index]) {
            // An alias of an earlier entry: named where the alias is, so a repeat names both positions.
            const YAML::Mark& mark = *aliases.items[index];
            rel.images.back().where = {file.string(), mark.line + 1, mark.column + 1};
        }
    }
    for (const auto& chart : list("charts")) {
        r.check_keys(chart, "chart entry", {"path"}, {"path"});
        rel.charts.push_back({r.existing_path(chart["path"], "chart", true), r.at(chart)});
    }
    for (const auto& sbom : list("sboms")) {
        r.check_keys(sbom, "sbom entry", {"path", "for"}, {"path", "for"});
        rel.sboms.push_back(
            {r.existing_path(sbom["path"], "SBOM", false), r.reference(sbom["for"], "SBOM subject"), r.at(sbom)});
    }
    if (auto notes = root["releaseNotes"]) {
        rel.release_notes = r.existing_path(notes, "release notes", false);
        rel.release_notes_where = r.at(notes);
    }
    if (auto lock = root["lock"]) {
        rel.lock_file = r.existing_path(lock, "lock file", false);
        rel.lock_where = r.at(lock);
    }
    if (rel.images.empty() && rel.charts.empty())
        fail(Errc::format, file.string() + ": a release needs at least one image or chart");
    return rel;
}

Release load_release(const std::filesystem::path& file) { return parse_release(read_small_file(file, 4u << 20), file); }

}  // namespace sealift::manifests
