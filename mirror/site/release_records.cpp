#include "mirror/site/release_records.hpp"

#include <algorithm>

#include "core/digest.hpp"
#include "core/error.hpp"
#include "manifests/oci.hpp"

namespace sealift::mirror::site {

namespace {

namespace mt = manifests::media_type;

constexpr const char* kName = "io.sealift.release.name";
constexpr const char* kVersion = "io.sealift.release.version";
constexpr const char* kChannel = "io.sealift.release.channel";
constexpr const char* kManifestDigest = "io.sealift.release.manifest-digest";
constexpr const char* kDowngradedFrom = "io.sealift.release.downgraded-from";
constexpr const char* kDowngradeReason = "io.sealift.release.downgrade-reason";

std::string record_tag(const std::string& name, const std::string& version, const std::string& channel) {
    std::string tag = name + "-" + version + "-" + channel;
    std::replace(tag.begin(), tag.end(), '+', '_');
    return tag;
}

std::string record_tag(const manifests::BundleManifest& m) {
    return record_tag(m.name, m.version.str(), manifests::channel_name(m.channel));
}

std::string annotation(const manifests::ImageManifest& m, const char* key, const std::string& what) {
    auto it = m.annotations.find(key);
    if (it == m.annotations.end()) fail(Errc::format, what + ": annotation '" + key + "' is missing");
    return it->second;
}

}  // namespace

std::string release_records_repository(const registry::Target& target) {
    return (target.prefix.empty() ? "" : target.prefix + "/") + "sealift/releases";
}

std::string release_record_reference(const registry::RegistryClient& client, const registry::Target& target,
                                     const std::string& name, const std::string& version, const std::string& channel) {
    return client.host() + "/" + release_records_repository(target) + ":" + record_tag(name, version, channel);
}

ReleaseRecordBlobs release_record_blobs(const manifests::BundleManifest& m, const Digest& manifest_digest,
                                        const std::optional<manifests::AllowedDowngrade>& downgrade) {
    Json record = {{"name", m.name},
                   {"version", m.version.str()},
                   {"channel", manifests::channel_name(m.channel)},
                   {"manifestDigest", manifest_digest.str()}};
    if (downgrade) record["downgrade"] = {{"from", downgrade->from_version}, {"reason", downgrade->reason}};
    return {"{}", canonical_json(record)};
}

std::string push_release_record(registry::RegistryClient& client, const registry::Target& target,
                                const manifests::BundleManifest& m, const Digest& manifest_digest,
                                const std::optional<manifests::AllowedDowngrade>& downgrade) {
    std::string repo = release_records_repository(target);
    auto [config, layer] = release_record_blobs(m, manifest_digest, downgrade);
    client.ensure_blob(repo, Sha256::of(config), config);
    client.ensure_blob(repo, Sha256::of(layer), layer);
    Json annotations = {{kName, m.name},
                        {kVersion, m.version.str()},
                        {kChannel, manifests::channel_name(m.channel)},
                        {kManifestDigest, manifest_digest.str()}};
    if (downgrade) {
        annotations[kDowngradedFrom] = downgrade->from_version;
        annotations[kDowngradeReason] = downgrade->reason;
    }
    Json manifest = {{"schemaVersion", 2},
                     {"mediaType", mt::oci_manifest},
                     {"artifactType", manifests::media_type::sealift_release},
                     {"config", {{"mediaType", mt::oci_empty}, {"digest", manifests::empty_json_digest}, {"size", 2}}},
                     {"layers", Json::array({{{"mediaType", manifests::media_type::sealift_release},
                                              {"digest", Sha256::of(layer).str()},
                                              {"size", layer.size()}}})},
                     {"annotations", annotations}};
    std::string tag = record_tag(m);
    client.put_manifest(repo, tag, mt::oci_manifest, canonical_json(manifest));
    return tag;
}

namespace {

// The record under `tag`, or nothing when it was deleted since the listing.
std::optional<manifests::InventoryRelease> read_record(registry::RegistryClient& client, const std::string& repo,
                                                       const std::string& tag) {
    std::string what = client.host() + "/" + repo + ":" + tag;
    std::string bytes;
    auto info = client.get_manifest(repo, tag, bytes);
    if (!info) return std::nullopt;
    auto parsed = manifests::parse_manifest_or_index(bytes, info->media_type, what);
    auto* m = std::get_if<manifests::ImageManifest>(&parsed);
    if (!m || m->artifact_type != manifests::media_type::sealift_release)
        fail(Errc::format, what + ": not a Sealift release record");
    std::string channel = annotation(*m, kChannel, what);
    auto parsed_channel = manifests::parse_channel(channel);
    if (!parsed_channel) fail(Errc::format, what + ": unknown channel '" + channel + "'");
    std::string digest = annotation(*m, kManifestDigest, what);
    if (!Digest::valid(digest))
        fail(Errc::format, what + ": annotation '" + kManifestDigest + "' is not a sha256 digest");
    manifests::InventoryRelease r{annotation(*m, kName, what), {}, *parsed_channel, false, Digest::parse(digest)};
    try {
        r.version = manifests::SemVer::parse(annotation(*m, kVersion, what));
    } catch (const Error& e) {
        rethrow_with_context(e, what);
    }
    return r;
}

}  // namespace

std::vector<manifests::InventoryRelease> read_release_records(registry::RegistryClient& client,
                                                              const registry::Target& target) {
    std::string repo = release_records_repository(target);
    std::vector<manifests::InventoryRelease> out;
    for (const auto& tag : client.list_tags(repo))
        if (auto r = read_record(client, repo, tag)) out.push_back(std::move(*r));
    return out;
}

std::vector<manifests::InventoryRelease> read_release_records(registry::RegistryClient& client,
                                                              const registry::Target& target, const std::string& name,
                                                              manifests::Channel channel) {
    std::string repo = release_records_repository(target);
    std::string head = name + "-", tail = std::string("-") + manifests::channel_name(channel);  // around the version
    std::vector<manifests::InventoryRelease> out;
    for (const auto& tag : client.list_tags(repo)) {
        // A name may hold dashes itself, so the tag only narrows; the annotations decide.
        if (tag.size() <= head.size() + tail.size() || tag.compare(0, head.size(), head) != 0 ||
            tag.compare(tag.size() - tail.size(), tail.size(), tail) != 0)
            continue;
        auto r = read_record(client, repo, tag);
        if (r && r->name == name && r->channel == channel) out.push_back(std::move(*r));
    }
    return out;
}

}  // namespace sealift::mirror::site
