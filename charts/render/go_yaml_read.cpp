#include "charts/render/go_yaml_read.hpp"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "charts/render/format.hpp"
#include "charts/render/go_json.hpp"
#include "charts/render/yaml_resolve.hpp"
#include "core/error.hpp"

namespace sealift::render {
namespace {

using Json = nlohmann::json;

constexpr int max_depth = 10000;

// A failure on goyaml.v2's side (before the JSON round trip).
[[noreturn]] void yaml_fail(const std::string& message) {
    fail(Errc::format, "error converting YAML to JSON: yaml: " + message);
}

[[noreturn]] void json_fail(const std::string& message) {
    fail(Errc::format, "error converting YAML to JSON: json: " + message);
}

bool is_plain(const YAML::Node& n) { return n.Tag() == "?"; }

// The JSON round trip of a float: NaN and infinities cannot be written.
Json checked_float(double f) {
    if (std::isnan(f)) json_fail("unsupported value: NaN");
    if (std::isinf(f)) json_fail(std::string("unsupported value: ") + (f > 0 ? "+Inf" : "-Inf"));
    return Json(f);
}

Json scalar_value(const YAML::Node& n) {
    const std::string& text = n.Scalar();
    const std::string& tag = n.Tag();
    YamlScalar r;
    if (tag == "?") {
        r = resolve_plain_scalar(text);
    } else if (tag == "!" || tag == "tag:yaml.org,2002:str" || tag == "tag:yaml.org,2002:timestamp") {
        return Json(text);
    } else if (tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float" || tag == "tag:yaml.org,2002:bool" ||
               tag == "tag:yaml.org,2002:null") {
        r = resolve_plain_scalar(text);
        using Tag = YamlScalar::Tag;
        bool fits = (tag.ends_with(":int") && (r.tag == Tag::integer || r.tag == Tag::unsigned_integer)) ||
                    (tag.ends_with(":float") &&
                     (r.tag == Tag::floating || r.tag == Tag::integer || r.tag == Tag::unsigned_integer)) ||
                    (tag.ends_with(":bool") && r.tag == Tag::boolean) || (tag.ends_with(":null") && r.tag == Tag::null);
        if (!fits) {
            std::string shown = tag.substr(tag.rfind(':') + 1);
            yaml_fail("cannot decode !!" + std::string(r.tag == Tag::string ? "str" : "value") + " `" + text +
                      "` as a !!" + shown);
        }
    } else {
        return Json(text);  // a tag goyaml.v2 cannot resolve: the text
    }
    switch (r.tag) {
    case YamlScalar::Tag::null: return Json(nullptr);
    case YamlScalar::Tag::boolean: return Json(r.boolean);
    case YamlScalar::Tag::integer: return Json(double(r.integer));
    case YamlScalar::Tag::unsigned_integer: return Json(double(r.unsigned_integer));
    case YamlScalar::Tag::floating: return checked_float(r.floating);
    case YamlScalar::Tag::string:
    case YamlScalar::Tag::timestamp: return Json(text);
    }
    return Json(text);
}

// A map key as sigs.k8s.io/yaml turns it into a JSON key.
std::string key_text(const YAML::Node& k) {
    if (!k.IsScalar() && !k.IsNull()) yaml_fail("invalid map key: a " + std::string(k.IsMap() ? "map" : "sequence"));
    if (k.IsNull()) fail(Errc::format, "error converting YAML to JSON: unsupported map key of type: <nil>");
    if (!is_plain(k)) return k.Scalar();
    YamlScalar r = resolve_plain_scalar(k.Scalar());
    switch (r.tag) {
    case YamlScalar::Tag::null: fail(Errc::format, "error converting YAML to JSON: unsupported map key of type: <nil>");
    case YamlScalar::Tag::boolean: return r.boolean ? "true" : "false";
    case YamlScalar::Tag::integer: return std::to_string(r.integer);
    case YamlScalar::Tag::unsigned_integer:
        fail(Errc::format, "error converting YAML to JSON: unsupported map key of type: uint64, key: 0x" + k.Scalar());
    case YamlScalar::Tag::floating: {
        if (std::isnan(r.floating)) return ".nan";
        if (std::isinf(r.floating)) return r.floating > 0 ? ".inf" : "-.inf";
        // strconv.FormatFloat(f, 'g', -1, 32): the shortest digits of the float32 nearest to it.
        char digits[32];
        auto end = std::to_chars(digits, digits + sizeof digits, float(r.floating), std::chars_format::scientific).ptr;
        return format_float(std::strtod(std::string(digits, end).c_str(), nullptr), 'g', -1);
    }
    case YamlScalar::Tag::string:
    case YamlScalar::Tag::timestamp: return k.Scalar();
    }
    return k.Scalar();
}

Json convert(const YAML::Node& n, int depth);

bool is_merge_key(const YAML::Node& k) {
    return k.IsScalar() && k.Scalar() == "<<" && (is_plain(k) || k.Tag() == "tag:yaml.org,2002:merge");
}

// goyaml.v2's merge: a map (or alias of one) sets its keys into `out`; a list of maps merges them
// from the last to the first, so the first one's keys win; keys written after the `<<` win too.
void merge_into(Json& out, const YAML::Node& source, int depth) {
    if (source.IsMap()) {
        Json merged = convert(source, depth + 1);
        for (auto& [key, value] : merged.items()) out[key] = std::move(value);
        return;
    }
    if (source.IsSequence()) {
        for (size_t i = source.size(); i-- > 0;) {
            const YAML::Node item = source[i];
            if (!item.IsMap()) yaml_fail("map merge requires map or sequence of maps as the value");
            merge_into(out, item, depth + 1);
        }
        return;
    }
    yaml_fail("map merge requires map or sequence of maps as the value");
}

Json convert(const YAML::Node& n, int depth) {
    if (depth > max_depth) yaml_fail("exceeded max depth of " + std::to_string(max_depth));
    switch (n.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined: return Json(nullptr);
    case YAML::NodeType::Scalar: return scalar_value(n);
    case YAML::NodeType::Sequence: {
        Json out = Json::array();
        for (const auto& item : n) out.push_back(convert(item, depth + 1));
        return out;
    }
    case YAML::NodeType::Map: {
        Json out = Json::object();
        for (const auto& entry : n) {
            if (is_merge_key(entry.first)) {
                merge_into(out, entry.second, depth);
                continue;
            }
            out[key_text(entry.first)] = convert(entry.second, depth + 1);
        }
        return out;
    }
    }
    return Json(nullptr);
}

std::string go_kind_name(const Json& v) {
    if (v.is_array()) return "array";
    if (v.is_object()) return "object";
    if (v.is_string()) return "string";
    if (v.is_boolean()) return "bool";
    return "number";
}

}  // namespace

nlohmann::json go_yaml_unmarshal(std::string_view text) {
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
        std::string where = e.mark.is_null() ? "" : "line " + std::to_string(e.mark.line + 1) + ": ";
        yaml_fail(where + e.msg);
    }
    return convert(root, 0);
}

nlohmann::json go_yaml_unmarshal_map(std::string_view text) {
    Json v = go_yaml_unmarshal(text);
    if (v.is_null()) return Json::object();
    if (!v.is_object())
        fail(Errc::format, "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal " + go_kind_name(v) +
                               " into Go value of type map[string]interface {}");
    return v;
}

nlohmann::json go_yaml_unmarshal_list(std::string_view text) {
    Json v = go_yaml_unmarshal(text);
    if (v.is_null()) return Json::array();
    if (!v.is_array())
        fail(Errc::format, "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal " + go_kind_name(v) +
                               " into Go value of type []interface {}");
    return v;
}

}  // namespace sealift::render
