#include "manifests/site_inventory.hpp"

#include <algorithm>
#include <set>

#include "core/error.hpp"
#include "manifests/site_document.hpp"

namespace sealift::manifests {

namespace {

InventoryRelease parse_release(const Json& item, const std::string& what) {
    check_only_keys(item, {"name", "version", "channel", "current", "manifestDigest"}, what);
    InventoryRelease r;
    r.name = json_string(item, "name", what);
    if (!valid_release_name(r.name))
        fail(Errc::format, what + ": field 'name' is not a valid release name: '" + r.name + "'");
    std::string rw = what + " " + r.name;
    try {
        r.version = SemVer::parse(json_string(item, "version", rw));
    } catch (const Error& e) {
        rethrow_with_context(e, rw + ": field 'version'");
    }
    std::string channel = json_string(item, "channel", rw);
    auto parsed = parse_channel(channel);
    if (!parsed) fail(Errc::format, rw + ": field 'channel' is not stable, lts or hotfix: '" + channel + "'");
    r.channel = *parsed;
    const Json& current = json_field(item, "current", rw);
    if (!current.is_boolean()) fail(Errc::format, rw + ": field 'current' must be true or false");
    r.current = current.get<bool>();
    r.manifest_digest = digest_value(json_field(item, "manifestDigest", rw), rw + ": field 'manifestDigest'");
    return r;
}

bool same_release(const InventoryRelease& a, const InventoryRelease& b) {
    return a.name == b.name && a.channel == b.channel && a.version == b.version;
}

}  // namespace

bool inventory_release_before(const InventoryRelease& a, const InventoryRelease& b) {
    if (a.name != b.name) return a.name < b.name;
    if (a.channel != b.channel) return std::string_view(channel_name(a.channel)) < channel_name(b.channel);
    return a.version < b.version;
}

bool SiteInventory::has(const Digest& digest) const { return std::binary_search(blobs.begin(), blobs.end(), digest); }

void SiteInventory::sort_and_dedupe() {
    std::sort(releases.begin(), releases.end(), inventory_release_before);
    std::sort(blobs.begin(), blobs.end());
    blobs.erase(std::unique(blobs.begin(), blobs.end()), blobs.end());
}

Json SiteInventory::signed_json() const {
    Json release_list = Json::array();
    for (const auto& r : releases) {
        release_list.push_back({{"name", r.name},
                                {"version", r.version.str()},
                                {"channel", channel_name(r.channel)},
                                {"current", r.current},
                                {"manifestDigest", r.manifest_digest.str()}});
    }
    Json blob_list = Json::array();
    for (const auto& b : blobs) blob_list.push_back(b.str());
    return {{"_type", kSiteInventoryType},
            {"specVersion", kSiteInventorySpecVersion},
            {"created", format_time(created)},
            {"site", site_json(site_keyid)},
            {"source", source},
            {"releases", release_list},
            {"blobs", blob_list}};
}

SiteInventory SiteInventory::parse_signed(const Json& s, const std::string& what) {
    std::string sw = what + ": signed";
    check_only_keys(s, {"_type", "specVersion", "created", "site", "source", "releases", "blobs"}, sw);
    check_type_and_version(s, kSiteInventoryType, kSiteInventorySpecVersion, sw);
    SiteInventory inv;
    inv.created = time_field(s, "created", sw);
    inv.site_keyid = site_keyid_field(s, sw);
    inv.source = json_string(s, "source", sw);
    if (!valid_site_location(inv.source))
        fail(Errc::format, sw + ": field 'source' is not 'store' or 'registry:HOST[/PREFIX]': '" + inv.source + "'");

    const Json& releases = json_field(s, "releases", sw);
    std::string rw = sw + ".releases";
    if (!releases.is_array()) fail(Errc::format, rw + ": must be an array");
    std::set<std::string> current_of;  // name/channel pairs with a current release
    for (const auto& item : releases) {
        InventoryRelease r = parse_release(item, rw);
        std::string id = r.name + " " + r.version.str() + " (" + channel_name(r.channel) + ")";
        if (!inv.releases.empty()) {
            const auto& prev = inv.releases.back();
            if (same_release(prev, r)) fail(Errc::format, rw + ": release " + id + " is listed twice");
            if (!inventory_release_before(prev, r))
                fail(Errc::format, rw + ": release " + id + " is out of order (sorted by name, channel, version)");
        }
        if (r.current && !current_of.insert(r.name + "/" + channel_name(r.channel)).second)
            fail(Errc::format, rw + ": release " + id + " is a second current release of its channel");
        inv.releases.push_back(std::move(r));
    }

    const Json& blobs = json_field(s, "blobs", sw);
    std::string bw = sw + ".blobs";
    if (!blobs.is_array()) fail(Errc::format, bw + ": must be an array");
    inv.blobs.reserve(blobs.size());
    for (const auto& item : blobs) {
        Digest d = digest_value(item, bw);
        if (!inv.blobs.empty() && !(inv.blobs.back() < d))
            fail(Errc::format,
                 bw + ": " + d.str() + " is out of order or listed twice (the list is sorted and unique)");
        inv.blobs.push_back(std::move(d));
    }
    return inv;
}

}  // namespace sealift::manifests
