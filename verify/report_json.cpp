#include "verify/report_json.hpp"

namespace sealift::verify {

ReleaseSummary ReleaseSummary::of(const manifests::BundleManifest& m, const Digest& manifest_digest) {
    return {m.name, m.version.str(), manifests::channel_name(m.channel), m.issued, m.expires, manifest_digest.str()};
}

void put_release(Json& report, const ReleaseSummary& r) {
    report["release"] = {{"name", r.name}, {"version", r.version}, {"channel", r.channel}};
    report["issued"] = format_time(r.issued);
    report["expires"] = format_time(r.expires);
    report["manifestDigest"] = r.manifest_digest;
}

Json image_json(const manifests::BundleImage& i) {
    Json j = {{"ref", i.ref}, {"digest", i.digest.str()}, {"mediaType", i.media_type}, {"size", i.size}};
    if (i.source_digest) j["sourceDigest"] = i.source_digest->str();
    return j;
}

Json images_json(const manifests::BundleManifest& m) {
    Json images = Json::array();
    for (const auto& i : m.images) images.push_back(image_json(i));
    return images;
}

Json attachments_json(const manifests::BundleManifest& m) {
    Json out = Json::array();
    for (const auto& a : m.attachments) {
        Json j = {{"for", a.for_ref},         {"subject", a.subject.str()}, {"kind", a.kind},
                  {"digest", a.digest.str()}, {"mediaType", a.media_type},  {"size", a.size}};
        if (!a.tag.empty()) j["tag"] = a.tag;
        out.push_back(std::move(j));
    }
    return out;
}

Json base_json(const manifests::BundleManifest& m) {
    if (!m.base) return nullptr;
    return {{"name", m.base->name},
            {"version", m.base->version.str()},
            {"channel", manifests::channel_name(m.base->channel)},
            {"manifestDigest", m.base->manifest_digest.str()},
            {"externalBlobs", m.external_blobs.size()},
            {"externalBytes", m.external_bytes()}};
}

Json site_inventory_json(const manifests::BundleManifest& m) {
    if (!m.site_inventory) return nullptr;
    return {{"digest", m.site_inventory->digest.str()},
            {"siteKeyid", m.site_inventory->site_keyid},
            {"created", format_time(m.site_inventory->created)},
            {"externalBlobs", m.external_blobs.size()},
            {"externalBytes", m.external_bytes()}};
}

}  // namespace sealift::verify
