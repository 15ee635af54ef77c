#include "manifests/manifest_schema.hpp"

#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "manifests/bundle_manifest.hpp"

namespace sealift::manifests {
namespace {

enum class Type { string, uint, object, array };

struct Shape;
struct Member {
    std::string_view name;
    bool required;
    const Shape* shape;
};

struct Shape {
    Type type;
    std::vector<Member> members = {};  // of an object
    bool closed = false;               // an object with no other members
    const Shape* values = nullptr;     // an object: the shape of every member's value
    const Shape* items = nullptr;      // an array: the shape of every item
};

constexpr bool required = true, optional = false;

Shape array_of(const Shape& item) { return {Type::array, {}, false, nullptr, &item}; }
Shape map_of(const Shape& value) { return {Type::object, {}, false, &value, nullptr}; }

// Section 7, bottom up.
const Shape kString{Type::string}, kUint{Type::uint};
const Shape kHashes{Type::object, {{"sha256", required, &kString}}};
const Shape kCustom{Type::object, {{"mediaType", required, &kString}}};
const Shape kTarget{Type::object,
                    {{"length", required, &kUint}, {"hashes", required, &kHashes}, {"custom", required, &kCustom}}};
const Shape kTargets = map_of(kTarget);
const Shape kRelease{Type::object,
                     {{"name", required, &kString}, {"version", required, &kString}, {"channel", required, &kString}}};
const Shape kImage{Type::object,
                   {{"ref", required, &kString},
                    {"digest", required, &kString},
                    {"mediaType", required, &kString},
                    {"size", required, &kUint},
                    {"sourceDigest", optional, &kString}}};
const Shape kImages = array_of(kImage);
const Shape kChart{Type::object,
                   {{"name", required, &kString},
                    {"version", required, &kString},
                    {"appVersion", required, &kString},
                    {"path", required, &kString},
                    {"digest", optional, &kString}}};
const Shape kCharts = array_of(kChart);
const Shape kSbom{Type::object,
                  {{"path", required, &kString}, {"for", required, &kString}, {"format", required, &kString}}};
const Shape kSboms = array_of(kSbom);
const Shape kBase{Type::object,
                  {{"name", required, &kString},
                   {"version", required, &kString},
                   {"channel", required, &kString},
                   {"manifestDigest", required, &kString}}};
const Shape kSiteInventory{
    Type::object,
    {{"digest", required, &kString}, {"siteKeyid", required, &kString}, {"created", required, &kString}},
    true};
const Shape kExternalBlob{Type::object, {{"digest", required, &kString}, {"size", required, &kUint}}};
const Shape kExternalBlobs = array_of(kExternalBlob);
const Shape kAttachment{Type::object,
                        {{"for", required, &kString},
                         {"subject", required, &kString},
                         {"kind", required, &kString},
                         {"tag", optional, &kString},
                         {"digest", required, &kString},
                         {"mediaType", required, &kString},
                         {"size", required, &kUint}}};
const Shape kAttachments = array_of(kAttachment);
const Shape kSealift{Type::object,
                     {{"formatVersion", required, &kUint},
                      {"release", required, &kRelease},
                      {"issued", required, &kString},
                      {"images", required, &kImages},
                      {"charts", required, &kCharts},
                      {"sboms", required, &kSboms},
                      {"releaseNotes", optional, &kString},
                      {"bundleSbom", required, &kString},
                      {"base", optional, &kBase},
                      {"siteInventory", optional, &kSiteInventory},
                      {"externalBlobs", optional, &kExternalBlobs},
                      {"attachments", optional, &kAttachments}}};
const Shape kManifest{Type::object,
                      {{"_type", required, &kString},
                       {"spec_version", required, &kString},
                       {"version", required, &kUint},
                       {"expires", required, &kString},
                       {"targets", required, &kTargets},
                       {"sealift", required, &kSealift}}};

const char* type_name(const Json& v) {
    if (v.is_number_float()) return "a fraction";
    if (v.is_number_integer() && !v.is_number_unsigned() && v.get<std::int64_t>() < 0) return "negative";
    return v.type_name();
}

class Checker {
public:
    explicit Checker(const std::string& what) : what_(what) {}

    [[noreturn]] void bad(const std::string& path, const std::string& why) const {
        fail(Errc::format, what_ + ": " + path + ": " + why);
    }

    void check(const Json& v, const Shape& shape, const std::string& path) const {
        switch (shape.type) {
        case Type::string:
            if (!v.is_string()) bad(path, std::string("must be a string, not ") + type_name(v));
            return;
        case Type::uint:
            if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<std::int64_t>() >= 0))
                bad(path, std::string("must be a non-negative integer, not ") + type_name(v));
            return;
        case Type::array:
            if (!v.is_array()) bad(path, std::string("must be an array, not ") + type_name(v));
            for (std::size_t i = 0; i < v.size(); ++i) check(v[i], *shape.items, path + "[" + std::to_string(i) + "]");
            return;
        case Type::object: check_object(v, shape, path); return;
        }
    }

private:
    void check_object(const Json& v, const Shape& shape, const std::string& path) const {
        if (!v.is_object()) bad(path, std::string("must be an object, not ") + type_name(v));
        for (const auto& m : shape.members) {
            auto it = v.find(m.name);
            if (it == v.end()) {
                if (m.required) bad(path + "." + std::string(m.name), "missing required field");
                continue;
            }
            check(*it, *m.shape, path + "." + std::string(m.name));
        }
        if (shape.closed)
            for (auto it = v.begin(); it != v.end(); ++it) {
                bool known = false;
                for (const auto& m : shape.members) known = known || m.name == it.key();
                if (!known)
                    bad(path, "unknown field '" + it.key().substr(0, 100) + "' (the format closes this object)");
            }
        if (shape.values)
            for (auto it = v.begin(); it != v.end(); ++it)
                check(*it, *shape.values, path + "[" + dump_json_safe(Json(it.key())) + "]");
    }

    const std::string& what_;
};

}  // namespace

void check_manifest_shape(const Json& manifest, const std::string& what) {
    Checker checker(what);
    // Only a version 1 manifest has the shape below; another version is refused as such.
    if (!manifest.is_object()) checker.bad("signed", std::string("must be an object, not ") + type_name(manifest));
    auto sealift = manifest.find("sealift");
    if (sealift != manifest.end() && sealift->is_object() && sealift->contains("formatVersion")) {
        const Json& format = (*sealift)["formatVersion"];
        checker.check(format, kUint, "signed.sealift.formatVersion");
        if (format.get<std::uint64_t>() != static_cast<std::uint64_t>(kBundleFormatVersion))
            fail(Errc::format, what + ": unsupported bundle formatVersion " +
                                   std::to_string(format.get<std::uint64_t>()) + " (this sealift reads " +
                                   std::to_string(kBundleFormatVersion) + ")");
    }
    // Nor is a document of another type, such as a trust root given by mistake.
    auto type = manifest.find("_type");
    if (type != manifest.end() && *type != "targets")
        checker.bad("signed._type", "must be \"targets\", not " + type->dump().substr(0, 100));
    checker.check(manifest, kManifest, "signed");
}

}  // namespace sealift::manifests
