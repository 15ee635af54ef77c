#include "core/error.hpp"
#include "trust/trust.hpp"

namespace sealift::trust {

Envelope Envelope::from_json(Json document, const std::string& what) {
    const std::string shape = what + ": must be an object with exactly 'signed' and 'signatures'";
    if (!document.is_object()) fail(Errc::format, shape);
    check_only_keys(document, {"signed", "signatures"}, what);
    if (!document.contains("signed") || !document.contains("signatures")) fail(Errc::format, shape);
    if (!document["signed"].is_object()) fail(Errc::format, what + ": 'signed' must be an object");
    Envelope out;
    out.signatures = signatures_from_json(document["signatures"], what);
    out.signed_part = std::move(document["signed"]);
    return out;
}

Envelope Envelope::parse(std::string_view text, const std::string& what) {
    return from_json(parse_json_strict(text, what), what);
}

Envelope Envelope::sign(Json signed_part, const PrivateKey& key) {
    Envelope out;
    out.signed_part = std::move(signed_part);
    out.signatures = {key.sign(out.signed_bytes())};
    return out;
}

std::string Envelope::signed_bytes() const { return canonical_json(signed_part); }

Json Envelope::to_json() const { return {{"signed", signed_part}, {"signatures", signatures_to_json(signatures)}}; }

Json open_signed_by(std::string_view text, const PublicKey& key, const std::string& holder, const std::string& what) {
    Envelope envelope = Envelope::parse(text, what);
    const Json& s = envelope.signed_part;
    if (!s.contains(holder) || !s[holder].is_object() || !s[holder].contains("keyid") ||
        !s[holder]["keyid"].is_string())
        fail(Errc::format, what + ": signed: missing field '" + holder + ".keyid'");
    std::string made_by = s[holder]["keyid"].get<std::string>();
    if (made_by != key.keyid())
        fail(Errc::signature,
             what + ": made by " + holder + " key " + made_by + ", not by the given " + holder + " key " + key.keyid());
    if (!signed_by(key, envelope.signed_bytes(), envelope.signatures))
        fail(Errc::signature, what + ": no valid signature by " + holder + " key " + key.keyid() +
                                  " (altered, or signed by another key)");
    return std::move(envelope.signed_part);
}

}  // namespace sealift::trust
