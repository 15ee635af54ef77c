#include "core/error.hpp"
#include "mirror/site/site.hpp"

namespace sealift::mirror::site {

std::string sign_envelope(const Json& signed_object, const trust::PrivateKey& key) {
    Json envelope = {{"signed", signed_object},
                     {"signatures", trust::signatures_to_json({key.sign(canonical_json(signed_object))})}};
    return canonical_json(envelope);
}

Json open_envelope(std::string_view text, const trust::PublicKey& key, const std::string& what) {
    Json doc = parse_json_strict(text, what);
    if (!doc.is_object() || doc.size() != 2 || !doc.contains("signed") || !doc.contains("signatures"))
        fail(Errc::format, what + ": must be an object with exactly 'signed' and 'signatures'");
    auto signatures = trust::signatures_from_json(doc["signatures"], what);
    Json& signed_object = doc["signed"];
    if (!signed_object.is_object() || !signed_object.contains("site") || !signed_object["site"].is_object() ||
        !signed_object["site"].contains("keyid") || !signed_object["site"]["keyid"].is_string())
        fail(Errc::format, what + ": signed: missing field 'site.keyid'");
    std::string made_by = signed_object["site"]["keyid"].get<std::string>();
    if (made_by != key.keyid())
        fail(Errc::signature, what + ": made by site key " + made_by + ", not by the given site key " + key.keyid());
    if (!trust::signed_by(key, canonical_json(signed_object), signatures))
        fail(Errc::signature, what + ": no valid signature by site key " + key.keyid() + " (altered, or signed by another key)");
    return std::move(signed_object);
}

}  // namespace sealift::mirror::site
