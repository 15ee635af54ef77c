#include <algorithm>
#include <set>

#include "core/error.hpp"
#include "core/file.hpp"
#include "trust/hex.hpp"
#include "trust/trust.hpp"

namespace sealift::trust {

namespace {

constexpr const char* role_names[] = {"root", "targets", "snapshot", "timestamp"};

unsigned small_uint(const Json& object, const char* name, const std::string& what) {
    std::uint64_t value = json_uint(object, name, what);
    if (value == 0 || value > 0xffffffffu)
        fail(Errc::format, what + ": field '" + name + "' must be between 1 and 2^32-1");
    return static_cast<unsigned>(value);
}

RoleKeys parse_role(const Json& json, const std::map<std::string, PublicKey>& keys, const std::string& what) {
    RoleKeys role;
    const Json& keyids = json_field(json, "keyids", what);
    if (!keyids.is_array() || keyids.empty()) fail(Errc::format, what + ": 'keyids' must be a non-empty array");
    std::set<std::string> distinct_keys;
    for (const auto& id : keyids) {
        if (!id.is_string()) fail(Errc::format, what + ": key ids must be strings");
        const std::string& keyid = id.get_ref<const std::string&>();
        auto key = keys.find(keyid);
        if (key == keys.end()) fail(Errc::format, what + ": key id " + keyid + " is not among the root's keys");
        if (std::count(role.keyids.begin(), role.keyids.end(), keyid))
            fail(Errc::format, what + ": key id " + keyid + " is listed twice");
        role.keyids.push_back(keyid);
        distinct_keys.insert(key->second.spki_der());
    }
    role.threshold = small_uint(json, "threshold", what);
    if (role.threshold > distinct_keys.size())
        fail(Errc::format, what + ": threshold " + std::to_string(role.threshold) + " exceeds its " +
                               std::to_string(distinct_keys.size()) + " distinct keys");
    return role;
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
}

}  // namespace

TrustRoot TrustRoot::parse(std::string_view text, const std::string& what) {
    Json doc = parse_json_strict(text, what);
    if (!doc.is_object()) fail(Errc::format, what + ": root metadata must be a JSON object");
    Envelope envelope = Envelope::from_json(std::move(doc), what);
    const Json& signed_part = envelope.signed_part;

    TrustRoot root;
    root.text_ = std::string(text);
    root.what_ = what;
    if (std::string type = json_string(signed_part, "_type", what); type != "root")
        fail(Errc::format, what + ": _type is '" + type + "', not 'root'");
    if (json_string(signed_part, "spec_version", what).rfind("1.", 0) != 0)
        fail(Errc::format, what + ": unsupported TUF spec_version (want 1.x)");
    root.version_ = small_uint(signed_part, "version", what);
    try {
        root.expires_ = parse_time(json_string(signed_part, "expires", what));
    } catch (const Error& e) {
        rethrow_with_context(e, what + ": expires");
    }
    if (!json_field(signed_part, "consistent_snapshot", what).is_boolean())
        fail(Errc::format, what + ": 'consistent_snapshot' must be a boolean");

    const Json& keys = json_field(signed_part, "keys", what);
    if (!keys.is_object()) fail(Errc::format, what + ": 'keys' must be an object");
    for (auto it = keys.begin(); it != keys.end(); ++it)
        root.keys_.emplace(it.key(), PublicKey::from_tuf_json(it.value(), what + ": key " + it.key()));

    const Json& roles = json_field(signed_part, "roles", what);
    if (!roles.is_object()) fail(Errc::format, what + ": 'roles' must be an object");
    check_only_keys(roles, {"root", "targets", "snapshot", "timestamp"}, what + ": roles");
    for (const char* name : role_names)
        root.roles_.emplace(
            name, parse_role(json_field(roles, name, what + ": roles"), root.keys_, what + ": role '" + name + "'"));

    root.signed_bytes_ = envelope.signed_bytes();
    root.signatures_ = std::move(envelope.signatures);
    return root;
}

TrustRoot TrustRoot::load(const std::filesystem::path& path) {
    return parse(read_small_file(path, 1 << 20), path.string());
}

const RoleKeys& TrustRoot::role(std::string_view name) const {
    auto it = roles_.find(name);
    if (it == roles_.end()) fail(Errc::internal, what_ + ": no role '" + std::string(name) + "'");
    return it->second;
}

const PublicKey& TrustRoot::key(const std::string& keyid) const {
    auto it = keys_.find(keyid);
    if (it == keys_.end()) fail(Errc::signature, what_ + ": no key with id " + keyid);
    return it->second;
}

std::vector<std::string> TrustRoot::verify_role(std::string_view role_name, std::string_view signed_bytes,
                                                const std::vector<Signature>& signatures,
                                                const std::string& what) const {
    const RoleKeys& role = this->role(role_name);
    std::set<std::string> tried_keyids, counted_keys;  // counted by SubjectPublicKeyInfo, not by key id
    std::vector<std::string> verified, bad, unknown;
    for (const auto& signature : signatures) {
        // Each key id is tried once: duplicates can neither count twice nor make us verify without end.
        if (!tried_keyids.insert(signature.keyid).second) continue;
        if (std::find(role.keyids.begin(), role.keyids.end(), signature.keyid) == role.keyids.end()) {
            unknown.push_back(signature.keyid);
            continue;
        }
        const PublicKey& key = keys_.at(signature.keyid);
        if (counted_keys.count(key.spki_der())) continue;
        if (key.verify(signed_bytes, hex_decode(signature.sig_hex, what + ": signature by " + signature.keyid))) {
            counted_keys.insert(key.spki_der());
            verified.push_back(signature.keyid);
        } else {
            bad.push_back(signature.keyid);
        }
    }
    if (verified.size() >= role.threshold) return verified;

    std::string message = what + ": " + std::to_string(verified.size()) + " of " + std::to_string(role.threshold) +
                          " required signatures by " + std::string(role_name) + " keys verified";
    if (signatures.empty()) message += " (no signatures)";
    if (!bad.empty()) message += " (bad signature by key " + joined(bad) + ")";
    if (verified.empty() && !unknown.empty()) message += " (signed by unknown key " + joined(unknown) + ")";
    // Which keys of the role have yet to sign: in a rotation, usually the new root key.
    std::vector<std::string> missing;
    for (const auto& keyid : role.keyids)
        if (std::find(verified.begin(), verified.end(), keyid) == verified.end() &&
            std::find(bad.begin(), bad.end(), keyid) == bad.end())
            missing.push_back(keyid);
    if (!missing.empty()) message += " (no signature by " + std::string(role_name) + " key " + joined(missing) + ")";
    fail(Errc::signature, message);
}

void TrustRoot::verify_self() const { verify_role("root", signed_bytes_, signatures_, what_); }

TrustRoot TrustRoot::verify_successor(std::string_view next_text, const std::string& what) const {
    TrustRoot next = parse(next_text, what);
    std::string trusted = "root version " + std::to_string(version_);
    if (next.version_ != version_ + 1)
        fail(Errc::policy, what + ": root version " + std::to_string(next.version_) + " cannot follow trusted " +
                               trusted + " (want version " + std::to_string(version_ + 1) + ")");
    verify_role("root", next.signed_bytes_, next.signatures_, what + " (keys of trusted " + trusted + ")");
    next.verify_role("root", next.signed_bytes_, next.signatures_, what + " (its own root keys)");
    return next;
}

void TrustRoot::check_not_expired(TimePoint now, const std::string& what) const {
    if (now >= expires_)
        fail(Errc::policy,
             what + ": root version " + std::to_string(version_) + " expired at " + format_time(expires_));
}

}  // namespace sealift::trust
