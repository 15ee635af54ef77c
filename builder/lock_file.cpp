#include "builder/lock_file.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/file.hpp"
#include "core/json.hpp"
#include "manifests/reference.hpp"

namespace sealift::builder {
namespace {

constexpr std::uint64_t kLockVersion = 1;

}  // namespace

std::string LockFile::text() const {
    Json list = Json::array();
    for (const auto& image : images) list.push_back({{"ref", image.ref}, {"digest", image.digest.str()}});
    return canonical_json(Json{{"lockVersion", kLockVersion}, {"images", list}}) + "\n";
}

LockFile LockFile::parse(std::string_view text, const std::string& what) {
    Json doc = parse_json_strict(text, what);
    check_only_keys(doc, {"lockVersion", "images"}, what);
    if (auto version = json_uint(doc, "lockVersion", what); version != kLockVersion)
        fail(Errc::format, what + ": lockVersion " + std::to_string(version) +
                               " is not supported (this sealift writes " + std::to_string(kLockVersion) + ")");
    const Json& list = json_field(doc, "images", what);
    if (!list.is_array()) fail(Errc::format, what + ": images must be an array");
    LockFile lock;
    for (std::size_t i = 0; i < list.size(); ++i) {
        std::string at = what + " images[" + std::to_string(i) + "]";
        check_only_keys(list[i], {"ref", "digest"}, at);
        std::string ref = json_string(list[i], "ref", at);
        std::string normal = manifests::ImageReference::parse(ref, at).str();
        if (normal != ref) fail(Errc::format, at + ": ref '" + ref + "' is not written in full ('" + normal + "')");
        std::string digest = json_string(list[i], "digest", at);
        if (!Digest::valid(digest)) fail(Errc::format, at + " (" + ref + "): '" + digest + "' is not a sha256 digest");
        if (!lock.images.empty() && !(lock.images.back().ref < ref))
            fail(Errc::format, at + ": " + ref + " is out of order or listed twice (the list is sorted by ref)");
        lock.images.push_back({ref, Digest::parse(digest)});
    }
    return lock;
}

LockFile LockFile::load(const std::filesystem::path& file) {
    return parse(read_small_file(file, 16u << 20), "lock file " + file.string());
}

const LockedImage* LockFile::find(const std::string& ref) const {
    auto it = std::lower_bound(images.begin(), images.end(), ref,
                               [](const LockedImage& l, const std::string& r) { return l.ref < r; });
    return it != images.end() && it->ref == ref ? &*it : nullptr;
}

}  // namespace sealift::builder
