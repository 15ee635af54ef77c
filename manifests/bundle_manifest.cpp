#include "manifests/bundle_manifest.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include "core/error.hpp"
#include "manifests/content_rules.hpp"
#include "manifests/manifest_schema.hpp"
#include "manifests/oci.hpp"
#include "manifests/site_document.hpp"

namespace sealift::manifests {

bool valid_entry_path(std::string_view path) {
    if (path.empty() || path.size() > 255 || path.front() == '/' || path.back() == '/') return false;
    std::size_t start = 0;
    while (start <= path.size()) {
        auto end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        auto part = path.substr(start, end - start);
        if (part.empty() || part == "." || part == "..") return false;
        for (char c : part) {
            bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                      c == '_' || c == '-' || c == '+';
            if (!ok) return false;
        }
        start = end + 1;
    }
    return true;
}

std::string split_part_name(const std::string& bundle_file_name, unsigned number) {
    std::string digits = std::to_string(number);
    return bundle_file_name + "." + std::string(digits.size() < 3 ? 3 - digits.size() : 0, '0') + digits;
}

std::string cosign_tag(const Digest& subject, const std::string& suffix) {
    return "sha256-" + std::string(subject.hex()) + "." + suffix;
}

bool attachment_before(const BundleAttachment& a, const BundleAttachment& b) {
    return std::tie(a.for_ref, a.subject, a.kind, a.digest) < std::tie(b.for_ref, b.subject, b.kind, b.digest);
}

std::string format_sha256sums(const std::vector<BundleEntry>& entries) {
    std::vector<const BundleEntry*> sorted;
    for (const auto& e : entries) sorted.push_back(&e);
    std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->path < b->path; });
    std::string out;
    for (const auto* e : sorted) out += std::string(e->digest.hex()) + "  " + e->path + "\n";
    return out;
}

std::string BundleManifest::canonical_bytes() const {
    Json targets = Json::object();
    for (const auto& e : entries)
        targets[e.path] = {{"length", e.size},
                           {"hashes", {{"sha256", std::string(e.digest.hex())}}},
                           {"custom", {{"mediaType", e.media_type}}}};
    Json images_json = Json::array();
    for (const auto& i : images) {
        images_json.push_back(
            {{"ref", i.ref}, {"digest", i.digest.str()}, {"mediaType", i.media_type}, {"size", i.size}});
        if (i.source_digest) images_json.back()["sourceDigest"] = i.source_digest->str();
    }
    Json charts_json = Json::array();
    for (const auto& c : charts) {
        charts_json.push_back(
            {{"name", c.name}, {"version", c.version}, {"appVersion", c.app_version}, {"path", c.path}});
        if (c.left_out) charts_json.back()["digest"] = c.left_out->str();  // deltas only: full bundles keep their bytes
    }
    Json sboms_json = Json::array();
    for (const auto& s : sboms) sboms_json.push_back({{"path", s.path}, {"for", s.for_ref}, {"format", s.format}});
    Json sealift = {{"formatVersion", format_version},
                    {"release", {{"name", name}, {"version", version.str()}, {"channel", channel_name(channel)}}},
                    {"issued", format_time(issued)},
                    {"images", images_json},
                    {"charts", charts_json},
                    {"sboms", sboms_json},
                    {"bundleSbom", bundle_sbom}};
    if (!release_notes.empty()) sealift["releaseNotes"] = release_notes;
    // Only delta bundles carry these, so a full bundle's bytes stay as they were.
    if (base)
        sealift["base"] = {{"name", base->name},
                           {"version", base->version.str()},
                           {"channel", channel_name(base->channel)},
                           {"manifestDigest", base->manifest_digest.str()}};
    if (site_inventory)
        sealift["siteInventory"] = {{"digest", site_inventory->digest.str()},
                                    {"siteKeyid", site_inventory->site_keyid},
                                    {"created", format_time(site_inventory->created)}};
    if (!external_blobs.empty()) {
        Json external = Json::array();
        for (const auto& b : external_blobs) external.push_back({{"digest", b.digest.str()}, {"size", b.size}});
        sealift["externalBlobs"] = external;
    }
    // Only bundles that carry attachments list them, so other bundles keep their bytes.
    if (!attachments.empty()) {
        Json list = Json::array();
        for (const auto& a : attachments) {
            list.push_back({{"for", a.for_ref},
                            {"subject", a.subject.str()},
                            {"kind", a.kind},
                            {"digest", a.digest.str()},
                            {"mediaType", a.media_type},
                            {"size", a.size}});
            if (!a.tag.empty()) list.back()["tag"] = a.tag;
        }
        sealift["attachments"] = list;
    }
    Json doc = {{"_type", "targets"}, {"spec_version", "1.0.31"}, {"version", 1}, {"expires", format_time(expires)},
                {"targets", targets}, {"sealift", sealift}};
    return canonical_json(doc);
}

namespace {

std::string entry_path(const Json& obj, const char* key, const std::string& what) {
    std::string p = json_string(obj, key, what);
    if (!valid_entry_path(p)) fail(Errc::format, what + ": unsafe or invalid entry path '" + p + "'");
    return p;
}

Channel channel_field(const Json& obj, const std::string& what) {
    std::string text = json_string(obj, "channel", what);
    auto ch = parse_channel(text);
    if (!ch) fail(Errc::format, what + ": unknown channel '" + text + "'");
    return *ch;
}

Digest digest_field(const Json& obj, const char* key, const std::string& what) {
    std::string text = json_string(obj, key, what);
    if (!Digest::valid(text)) fail(Errc::format, what + ": field '" + key + "' is not a sha256 digest: '" + text + "'");
    return Digest::parse(text);
}

// sealift.base and sealift.externalBlobs: what a delta bundle leaves to its base.
void parse_delta(const Json& sealift, const std::string& sw, BundleManifest& m) {
    if (sealift.contains("base")) {
        const Json& b = sealift["base"];
        std::string bw = sw + ".base";
        BundleBase base;
        base.name = json_string(b, "name", bw);
        try {
            base.version = SemVer::parse(json_string(b, "version", bw));
        } catch (const Error& e) {
            rethrow_with_context(e, bw);
        }
        base.channel = channel_field(b, bw);
        base.manifest_digest = digest_field(b, "manifestDigest", bw);
        if (base.name != m.name)
            fail(Errc::format, bw + ": base release '" + base.name + "' is not release '" + m.name + "'");
        if (!(base.version < m.version))
            fail(Errc::format,
                 bw + ": base version " + base.version.str() + " does not precede this release's " + m.version.str());
        m.base = std::move(base);
    }
    if (sealift.contains("siteInventory")) {
        const Json& inv = sealift["siteInventory"];
        std::string iw = sw + ".siteInventory";
        if (m.base) fail(Errc::format, iw + ": a bundle is cut against a base release or a site inventory, not both");
        BundleSiteInventory si;
        si.digest = digest_field(inv, "digest", iw);
        si.site_keyid = json_string(inv, "siteKeyid", iw);
        if (!valid_keyid(si.site_keyid))
            fail(Errc::format, iw + ": siteKeyid '" + si.site_keyid + "' is not a key id (64 lowercase hex)");
        si.created = time_field(inv, "created", iw);
        m.site_inventory = std::move(si);
    }
    if (!sealift.contains("externalBlobs")) return;
    std::string ew = sw + ".externalBlobs";
    const Json& list = sealift["externalBlobs"];
    if (!m.is_delta())
        fail(Errc::format,
             ew + ": only a delta bundle (with sealift.base or sealift.siteInventory) may leave blobs out");
    if (list.size() > kMaxEntries) fail(Errc::format, ew + ": too many blobs (" + std::to_string(list.size()) + ")");
    for (const auto& item : list) {
        ExternalBlob b{digest_field(item, "digest", ew), json_uint(item, "size", ew)};
        if (!m.external_blobs.empty() && !(m.external_blobs.back().digest < b.digest))
            fail(Errc::format,
                 ew + ": " + b.digest.str() + " is out of order or listed twice (the list is sorted by digest)");
        if (m.find(bundle_paths::blob(b.digest)))
            fail(Errc::format, ew + ": " + b.digest.str() + " is also an entry of the bundle");
        m.external_blobs.push_back(std::move(b));
    }
}

// A chart a delta leaves out names its archive by digest instead of carrying it:
// only in a delta, and the digest is one of its external blobs.
void check_left_out_charts(const std::string& sw, const BundleManifest& m) {
    for (const auto& c : m.charts) {
        if (!c.left_out) continue;
        std::string cw = sw + ".charts " + c.name + " " + c.version;
        if (!m.is_delta())
            fail(Errc::format,
                 cw + ": only a delta bundle (with sealift.base or sealift.siteInventory) may leave a chart out");
        if (!m.find_external(*c.left_out))
            fail(Errc::format,
                 cw + ": its left-out archive " + c.left_out->str() + " is not among sealift.externalBlobs");
    }
}

// sealift.attachments: signatures and referrers carried with their images.
void parse_attachments(const Json& sealift, const std::string& sw, BundleManifest& m) {
    if (!sealift.contains("attachments")) return;
    const Json& list = sealift["attachments"];
    std::string aw = sw + ".attachments";
    std::set<std::string_view> image_refs;  // not a scan of the images per attachment
    for (const auto& i : m.images) image_refs.insert(i.ref);
    for (const auto& item : list) {
        BundleAttachment a;
        a.for_ref = json_string(item, "for", aw);
        a.subject = digest_field(item, "subject", aw);
        a.kind = json_string(item, "kind", aw);
        a.digest = digest_field(item, "digest", aw);
        a.media_type = json_string(item, "mediaType", aw);
        a.size = json_uint(item, "size", aw);
        std::string what = aw + " " + a.digest.str();
        if (item.contains("tag")) a.tag = json_string(item, "tag", what);
        if (a.kind == attachment_kind::signature || a.kind == attachment_kind::attestation) {
            std::string want = cosign_tag(a.subject, a.kind == attachment_kind::signature ? "sig" : "att");
            if (a.tag != want)
                fail(Errc::format, what + ": " + a.kind + " of " + a.subject.str() + " must be tagged " + want +
                                       ", not '" + a.tag + "'");
        } else if (a.kind == attachment_kind::referrer) {
            if (!a.tag.empty()) fail(Errc::format, what + ": a referrer has no tag");
        } else {
            fail(Errc::format, what + ": unknown kind '" + a.kind + "' (signature, attestation or referrer)");
        }
        if (!image_refs.count(a.for_ref))
            fail(Errc::format, what + ": belongs to image " + a.for_ref + ", which is not in the bundle");
        const BundleEntry* entry = m.find(bundle_paths::blob(a.digest));
        if (!entry) fail(Errc::format, what + ": its manifest is not a listed entry");
        if (entry->size != a.size || entry->media_type != a.media_type)
            fail(Errc::format, what + ": size or media type differs from its entry's");
        // Cosign tags name image manifests; a referrer may also be an index (OCI 1.1: an index with a subject).
        bool referrer = a.kind == attachment_kind::referrer;
        if (!is_manifest_media_type(a.media_type) && !(referrer && is_index_media_type(a.media_type)))
            fail(Errc::format, what + ": media type '" + a.media_type + "' is not an image manifest's" +
                                   (referrer ? " or an image index's" : ""));
        if (!m.attachments.empty() && !attachment_before(m.attachments.back(), a))
            fail(Errc::format, what + ": out of order or listed twice (sorted by image, subject, kind, digest)");
        m.attachments.push_back(std::move(a));
    }
}

}  // namespace

BundleManifest BundleManifest::parse(std::string_view bytes, const std::string& what) {
    Json doc = parse_json_strict(bytes, what);
    check_manifest_shape(doc, what);  // from here on every field has its type, and _type is "targets"
    BundleManifest m;
    const Json& sealift = doc["sealift"];
    std::string sw = what + " sealift";
    m.format_version = kBundleFormatVersion;
    try {
        m.expires = parse_time(json_string(doc, "expires", what));
        m.issued = parse_time(json_string(sealift, "issued", sw));
        const Json& rel = json_field(sealift, "release", sw);
        m.name = json_string(rel, "name", sw + ".release");
        if (!valid_release_name(m.name)) fail(Errc::format, "invalid release name '" + m.name + "'");
        m.version = SemVer::parse(json_string(rel, "version", sw + ".release"));
        m.channel = channel_field(rel, sw + ".release");
    } catch (const Error& e) {
        rethrow_with_context(e, what);
    }

    const Json& targets = doc["targets"];
    if (targets.size() > kMaxEntries)
        fail(Errc::format, what + ": too many entries (" + std::to_string(targets.size()) + ")");
    for (auto it = targets.begin(); it != targets.end(); ++it) {
        std::string tw = what + " target '" + it.key() + "'";
        if (!valid_entry_path(it.key())) fail(Errc::format, what + ": unsafe or invalid entry path '" + it.key() + "'");
        if (it.key() == bundle_paths::manifest || it.key() == bundle_paths::signatures)
            fail(Errc::format, what + ": target '" + it.key() + "' is reserved for the signed metadata");
        BundleEntry e;
        e.path = it.key();
        e.size = json_uint(*it, "length", tw);
        std::string hex = json_string(json_field(*it, "hashes", tw), "sha256", tw);
        if (!Digest::valid("sha256:" + hex)) fail(Errc::format, tw + ": invalid sha256 '" + hex + "'");
        e.digest = Digest::from_hex(hex);
        e.media_type = json_string(json_field(*it, "custom", tw), "mediaType", tw);
        // Content addressing: a blob's name is its digest.
        if (bundle_paths::is_blob(e.path) && e.path != bundle_paths::blob(e.digest))
            fail(Errc::format, tw + ": a blob's name must be its SHA-256, the manifest lists " + e.digest.str());
        m.entries.push_back(std::move(e));
    }  // nlohmann objects iterate sorted by key, so entries are sorted by path

    auto require_entry = [&](const std::string& path, const std::string& by) {
        if (!m.find(path)) fail(Errc::format, what + ": " + by + " names '" + path + "', which is not a listed entry");
    };
    for (const auto& img : json_field(sealift, "images", sw)) {
        BundleImage i;
        i.ref = json_string(img, "ref", sw + ".images");
        i.digest = digest_field(img, "digest", sw + ".images " + i.ref);
        i.media_type = json_string(img, "mediaType", sw + ".images");
        i.size = json_uint(img, "size", sw + ".images");
        if (img.contains("sourceDigest")) i.source_digest = digest_field(img, "sourceDigest", sw + ".images " + i.ref);
        require_entry(bundle_paths::blob(i.digest), "image " + i.ref);
        m.images.push_back(std::move(i));
    }
    for (const auto& c : json_field(sealift, "charts", sw)) {
        BundleChart ch{json_string(c, "name", sw + ".charts"), json_string(c, "version", sw + ".charts"),
                       json_string(c, "appVersion", sw + ".charts"), entry_path(c, "path", sw + ".charts"),
                       std::nullopt};
        if (!c.contains("digest")) {
            require_entry(ch.path, "chart " + ch.name);
        } else {
            ch.left_out = digest_field(c, "digest", sw + ".charts " + ch.name + " " + ch.version);
            if (m.find(ch.path))
                fail(Errc::format, what + ": chart " + ch.name + " " + ch.version + " is left out (digest " +
                                       ch.left_out->str() + ") but '" + ch.path + "' is also a listed entry");
        }
        m.charts.push_back(std::move(ch));
    }
    for (const auto& s : json_field(sealift, "sboms", sw)) {
        BundleSbom sb{entry_path(s, "path", sw + ".sboms"), json_string(s, "for", sw + ".sboms"),
                      json_string(s, "format", sw + ".sboms")};
        if (sb.format != "cyclonedx" && sb.format != "spdx")
            fail(Errc::format, what + ": SBOM '" + sb.path + "' has unknown format '" + sb.format + "'");
        require_entry(sb.path, "SBOM");
        m.sboms.push_back(std::move(sb));
    }
    if (sealift.contains("releaseNotes")) {
        m.release_notes = entry_path(sealift, "releaseNotes", sw);
        require_entry(m.release_notes, "releaseNotes");
    }
    m.bundle_sbom = entry_path(sealift, "bundleSbom", sw);
    require_entry(m.bundle_sbom, "bundleSbom");
    require_entry(std::string(bundle_paths::checksums), "the format");
    parse_delta(sealift, sw, m);
    check_left_out_charts(sw, m);
    parse_attachments(sealift, sw, m);
    check_content_names(m, what);
    return m;
}

const BundleEntry* BundleManifest::find(std::string_view path) const {
    auto it = std::lower_bound(entries.begin(), entries.end(), path,
                               [](const BundleEntry& e, std::string_view p) { return e.path < p; });
    return it != entries.end() && it->path == path ? &*it : nullptr;
}

const ExternalBlob* BundleManifest::find_external(const Digest& digest) const {
    auto it = std::lower_bound(external_blobs.begin(), external_blobs.end(), digest,
                               [](const ExternalBlob& b, const Digest& d) { return b.digest < d; });
    return it != external_blobs.end() && it->digest == digest ? &*it : nullptr;
}

const Digest& BundleManifest::chart_digest(const BundleChart& chart) const {
    if (chart.left_out) return *chart.left_out;
    const BundleEntry* entry = find(chart.path);
    if (!entry)
        fail(Errc::internal, "chart " + chart.name + " " + chart.version + ": '" + chart.path + "' is not an entry");
    return entry->digest;
}

std::uint64_t BundleManifest::payload_bytes() const {
    std::uint64_t total = 0;
    for (const auto& e : entries) total += e.size;
    return total;
}

std::uint64_t BundleManifest::external_bytes() const {
    std::uint64_t total = 0;
    for (const auto& b : external_blobs) total += b.size;
    return total;
}

std::string BundleManifest::delta_description() const {
    if (base) return "delta bundle on " + base->name + " " + base->version.str();
    if (site_inventory) return "inventory delta for site " + site_inventory->site_keyid;
    return "full bundle";
}

std::string BundleManifest::file_name() const {
    return name + "-" + version.str() + "-" + channel_name(channel) + ".bundle";
}

}  // namespace sealift::manifests
