#include <set>

#include "core/error.hpp"
#include "trust/trust.hpp"

namespace sealift::trust {

namespace {

// The TUF specification version whose root format this writes.
constexpr const char* tuf_spec_version = "1.0.31";

Json role_json(const std::vector<PublicKey>& keys, unsigned threshold, const std::string& role) {
    if (keys.empty()) fail(Errc::usage, "the " + role + " role needs at least one key");
    if (threshold == 0 || threshold > keys.size())
        fail(Errc::usage, "threshold " + std::to_string(threshold) + " of the " + role +
                              " role must be between 1 and its " + std::to_string(keys.size()) + " keys");
    Json keyids = Json::array();
    std::set<std::string> seen;
    for (const auto& key : keys) {
        if (!seen.insert(key.spki_der()).second)
            fail(Errc::usage, "key " + key.keyid() + " is given twice for the " + role + " role");
        keyids.push_back(key.keyid());
    }
    return {{"keyids", keyids}, {"threshold", threshold}};
}

}  // namespace

std::string make_root(const RootSpec& spec, const std::vector<PrivateKey>& signers) {
    if (spec.version == 0) fail(Errc::usage, "root versions start at 1");
    Json release = role_json(spec.release_keys, spec.release_threshold, "release");
    Json keys = Json::object();
    for (const auto* list : {&spec.root_keys, &spec.release_keys})
        for (const auto& key : *list) keys[key.keyid()] = key.to_tuf_json();
    Json signed_part = {
        {"_type", "root"},
        {"spec_version", tuf_spec_version},
        {"version", spec.version},
        {"expires", format_time(spec.expires)},
        {"consistent_snapshot", false},
        {"keys", keys},
        // Sealift's release role is TUF's targets role; the bundle manifest also plays
        // snapshot, and nothing plays timestamp, so both mirror targets.
        {"roles",
         {{"root", role_json(spec.root_keys, spec.root_threshold, "root")},
          {"targets", release},
          {"snapshot", release},
          {"timestamp", release}}},
    };
    const std::string signed_bytes = canonical_json(signed_part);
    std::vector<Signature> signatures;
    std::set<std::string> signed_by;
    for (const auto& signer : signers)
        if (signed_by.insert(signer.public_key().spki_der()).second) signatures.push_back(signer.sign(signed_bytes));
    std::string text = dump_json_safe(Envelope{signed_part, signatures}.to_json(), 2) + "\n";
    TrustRoot::parse(text, "new root version " + std::to_string(spec.version)).verify_self();
    return text;
}

}  // namespace sealift::trust
