#include "manifests/oci.hpp"

#include <algorithm>
#include <array>

#include "core/error.hpp"

namespace sealift::manifests {
namespace {

constexpr std::array known_media_types = {
    media_type::oci_manifest,
    media_type::oci_index,
    media_type::oci_config,
    media_type::oci_layer_tar,
    media_type::oci_layer_tar_gzip,
    media_type::oci_layer_tar_zstd,
    media_type::oci_nondistributable_tar,
    media_type::oci_nondistributable_tar_gzip,
    media_type::oci_nondistributable_tar_zstd,
    media_type::oci_empty,
    media_type::docker_manifest,
    media_type::docker_manifest_list,
    media_type::docker_config,
    media_type::docker_layer_tar_gzip,
    media_type::docker_foreign_layer_tar_gzip,
    media_type::helm_config,
    media_type::helm_chart,
    media_type::helm_provenance,
};

// RFC 6838 restricted-name: starts alphanumeric, then alphanumerics and !#$&-^_.+
bool valid_restricted_name(std::string_view s) {
    auto ok = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               std::string_view("!#$&-^_.+").find(c) != std::string_view::npos;
    };
    return !s.empty() && s.size() <= 127 && ok(s.front()) && s.front() != '!' && std::all_of(s.begin(), s.end(), ok);
}

bool valid_media_type(std::string_view s) {
    std::size_t slash = s.find('/');
    return slash != s.npos && valid_restricted_name(s.substr(0, slash)) && valid_restricted_name(s.substr(slash + 1));
}

std::string media_type_field(const Json& object, const char* name, const std::string& what) {
    std::string value = json_string(object, name, what);
    if (!valid_media_type(value))
        fail(Errc::format, what + ": field '" + name + "' is not a media type: '" + value + "'");
    return value;
}

std::vector<std::string> string_array(const Json& object, const char* name, const std::string& what) {
    const Json& array = json_field(object, name, what);
    if (!array.is_array()) fail(Errc::format, what + ": field '" + name + "' must be an array of strings");
    std::vector<std::string> out;
    for (const Json& item : array) {
        if (!item.is_string()) fail(Errc::format, what + ": field '" + name + "' must be an array of strings");
        out.push_back(item.get<std::string>());
    }
    return out;
}

std::map<std::string, std::string> annotations_field(const Json& object, const std::string& what) {
    std::map<std::string, std::string> out;
    auto it = object.find("annotations");
    if (it == object.end() || it->is_null()) return out;
    if (!it->is_object()) fail(Errc::format, what + ": field 'annotations' must be an object of strings");
    for (const auto& [key, value] : it->items()) {
        if (!value.is_string()) fail(Errc::format, what + ": annotation '" + key + "' must be a string");
        out.emplace(key, value.get<std::string>());
    }
    return out;
}

std::optional<Descriptor> optional_descriptor(const Json& object, const char* name, const std::string& what) {
    if (!object.contains(name)) return std::nullopt;
    return Descriptor::from_json(object.at(name), what + " " + name);
}

std::string optional_media_type(const Json& object, const char* name, const std::string& what) {
    return object.contains(name) ? media_type_field(object, name, what) : std::string();
}

std::vector<Descriptor> descriptor_array(const Json& object, const char* name, const std::string& what) {
    const Json& array = json_field(object, name, what);
    if (!array.is_array()) fail(Errc::format, what + ": field '" + name + "' must be an array");
    std::vector<Descriptor> out;
    for (std::size_t i = 0; i < array.size(); ++i)
        out.push_back(Descriptor::from_json(array[i], what + " " + name + "[" + std::to_string(i) + "]"));
    return out;
}

// The fields manifests and indexes share.
template <typename Document>
void read_common_fields(Document& doc, Json raw, std::string media_type, const std::string& what) {
    doc.media_type = std::move(media_type);
    doc.subject = optional_descriptor(raw, "subject", what);
    doc.artifact_type = optional_media_type(raw, "artifactType", what);
    doc.annotations = annotations_field(raw, what);
    doc.raw = std::move(raw);
}

void check_schema_version(const Json& raw, const std::string& what) {
    std::uint64_t version = json_uint(raw, "schemaVersion", what);
    if (version == 1)
        fail(Errc::format, what + ": Docker schema 1 manifests are not supported; re-push the image to get schema 2");
    if (version != 2) fail(Errc::format, what + ": schemaVersion is " + std::to_string(version) + ", expected 2");
}

// "type/subtype; charset=utf-8" as a Content-Type header may carry it.
std::string_view without_parameters(std::string_view media_type) {
    media_type = media_type.substr(0, media_type.find(';'));
    while (!media_type.empty() && media_type.back() == ' ') media_type.remove_suffix(1);
    return media_type;
}

}  // namespace

Json Platform::to_json() const {
    Json out = {{"architecture", architecture}, {"os", os}};
    if (!os_version.empty()) out["os.version"] = os_version;
    if (!os_features.empty()) out["os.features"] = os_features;
    if (!variant.empty()) out["variant"] = variant;
    if (!features.empty()) out["features"] = features;
    return out;
}

Platform Platform::from_json(const Json& value, const std::string& what) {
    Platform p;
    p.architecture = json_string(value, "architecture", what);
    p.os = json_string(value, "os", what);
    if (value.contains("os.version")) p.os_version = json_string(value, "os.version", what);
    if (value.contains("os.features")) p.os_features = string_array(value, "os.features", what);
    if (value.contains("variant")) p.variant = json_string(value, "variant", what);
    if (value.contains("features")) p.features = string_array(value, "features", what);
    return p;
}

std::string Platform::str() const { return os + "/" + architecture + (variant.empty() ? "" : "/" + variant); }

Json Descriptor::to_json() const {
    Json out = {{"mediaType", media_type}, {"digest", digest.str()}, {"size", size}};
    if (!annotations.empty()) out["annotations"] = annotations;
    if (platform) out["platform"] = platform->to_json();
    if (!artifact_type.empty()) out["artifactType"] = artifact_type;
    if (!urls.empty()) out["urls"] = urls;
    return out;
}

Descriptor Descriptor::from_json(const Json& value, const std::string& what) {
    if (!value.is_object()) fail(Errc::format, what + ": descriptor must be a JSON object");
    Descriptor d;
    d.media_type = media_type_field(value, "mediaType", what);
    std::string digest = json_string(value, "digest", what);
    try {
        d.digest = Digest::parse(digest);
    } catch (const Error& e) {
        rethrow_with_context(e, what + ": field 'digest'");
    }
    d.size = json_uint(value, "size", what);
    d.annotations = annotations_field(value, what);
    if (value.contains("platform")) d.platform = Platform::from_json(value.at("platform"), what + " platform");
    d.artifact_type = optional_media_type(value, "artifactType", what);
    if (value.contains("urls")) d.urls = string_array(value, "urls", what);
    return d;
}

ImageManifest ImageManifest::from_json(Json raw, std::string media_type, const std::string& what) {
    if (!raw.is_object()) fail(Errc::format, what + ": manifest must be a JSON object");
    check_schema_version(raw, what);
    if (raw.contains("manifests"))
        fail(Errc::format, what + ": image manifest has a 'manifests' field, which makes it ambiguous with an index");
    ImageManifest m;
    m.config = Descriptor::from_json(json_field(raw, "config", what), what + " config");
    m.layers = descriptor_array(raw, "layers", what);
    read_common_fields(m, std::move(raw), std::move(media_type), what);
    return m;
}

ImageIndex ImageIndex::from_json(Json raw, std::string media_type, const std::string& what) {
    if (!raw.is_object()) fail(Errc::format, what + ": index must be a JSON object");
    check_schema_version(raw, what);
    if (raw.contains("config") || raw.contains("layers"))
        fail(Errc::format,
             what + ": image index has a 'config' or 'layers' field, which makes it ambiguous with a manifest");
    ImageIndex index;
    index.manifests = descriptor_array(raw, "manifests", what);
    read_common_fields(index, std::move(raw), std::move(media_type), what);
    return index;
}

Descriptor referrer_descriptor(std::string_view bytes, const std::string& media_type, const std::string& what) {
    Descriptor d{media_type, Sha256::of(bytes), bytes.size()};
    auto parsed = parse_manifest_or_index(bytes, media_type, what);
    if (auto* m = std::get_if<ImageManifest>(&parsed)) {
        d.artifact_type = m->artifact_type.empty() ? m->config.media_type : m->artifact_type;
        d.annotations = m->annotations;
    } else {
        const auto& index = std::get<ImageIndex>(parsed);
        d.artifact_type = index.artifact_type;
        d.annotations = index.annotations;
    }
    return d;
}

ManifestOrIndex parse_manifest_or_index(std::string_view bytes, std::string_view declared_media_type,
                                        const std::string& what) {
    if (bytes.size() > max_manifest_size)
        fail(Errc::format, what + ": manifest is " + std::to_string(bytes.size()) + " bytes, more than the " +
                               std::to_string(max_manifest_size) + " allowed");
    Json raw = parse_json_strict(bytes, what);
    if (!raw.is_object()) fail(Errc::format, what + ": manifest must be a JSON object");
    check_schema_version(raw, what);

    std::string declared(without_parameters(declared_media_type));
    std::string field = raw.contains("mediaType") ? json_string(raw, "mediaType", what) : std::string();
    if (!field.empty() && !declared.empty() && field != declared)
        fail(Errc::format, what + ": declared as '" + declared + "' but its mediaType field says '" + field + "'");
    std::string type = !field.empty() ? field : declared;
    if (type.empty()) {
        if (raw.contains("manifests"))
            type = media_type::oci_index;
        else if (raw.contains("config"))
            type = media_type::oci_manifest;
        else
            fail(Errc::format, what + ": no mediaType, and neither a 'config' nor a 'manifests' field");
    }

    ManifestOrIndex out;
    if (is_manifest_media_type(type))
        out = ImageManifest::from_json(std::move(raw), type, what);
    else if (is_index_media_type(type))
        out = ImageIndex::from_json(std::move(raw), type, what);
    else
        fail(Errc::format, what + ": unsupported manifest media type '" + type + "'");
    std::visit(
        [&](auto& parsed) {
            parsed.bytes = std::string(bytes);
            parsed.digest = Sha256::of(bytes);
        },
        out);
    return out;
}

bool is_manifest_media_type(std::string_view media_type) {
    return media_type == media_type::oci_manifest || media_type == media_type::docker_manifest;
}

bool is_index_media_type(std::string_view media_type) {
    return media_type == media_type::oci_index || media_type == media_type::docker_manifest_list;
}

bool is_known_media_type(std::string_view media_type) {
    return std::find(known_media_types.begin(), known_media_types.end(), media_type) != known_media_types.end();
}

bool is_compressed_layer(std::string_view media_type) {
    return media_type.ends_with("+gzip") || media_type.ends_with("+zstd") || media_type.ends_with(".tar.gzip");
}

}  // namespace sealift::manifests
