#include "manifests/import_receipt.hpp"

#include "core/error.hpp"
#include "manifests/site_document.hpp"

namespace sealift::manifests {

namespace {

bool known_verdict(std::string_view v) {
    return v == receipt_verdict::imported || v == receipt_verdict::already_imported || v == receipt_verdict::rejected;
}

ReceiptBundle parse_bundle(const Json& b, const std::string& what) {
    check_only_keys(b, {"file", "name", "version", "channel", "manifestDigest"}, what);
    ReceiptBundle bundle;
    bundle.file = json_string(b, "file", what);
    if (b.size() == 1) return bundle;  // refused before its manifest was read
    ReceiptBundle::Release r;
    r.name = json_string(b, "name", what);
    r.version = json_string(b, "version", what);
    r.channel = json_string(b, "channel", what);
    r.manifest_digest = digest_value(json_field(b, "manifestDigest", what), what + ": field 'manifestDigest'");
    bundle.release = std::move(r);
    return bundle;
}

std::vector<std::string> parse_signers(const Json& list, const std::string& what) {
    if (!list.is_array()) fail(Errc::format, what + ": must be an array");
    std::vector<std::string> out;
    for (const auto& id : list) {
        if (!id.is_string()) fail(Errc::format, what + ": key id " + dump_json_safe(id) + " is not a string");
        out.push_back(id.get<std::string>());
    }
    return out;
}

std::vector<ReceiptItem> parse_present(const Json& list, const std::string& what) {
    if (!list.is_array()) fail(Errc::format, what + ": must be an array");
    std::vector<ReceiptItem> out;
    for (const auto& item : list) {
        check_only_keys(item, {"repository", "reference", "digest"}, what);
        ReceiptItem r{json_string(item, "repository", what), json_string(item, "reference", what), {}};
        r.digest = digest_value(json_field(item, "digest", what), what + " " + r.repository + ": field 'digest'");
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace

Json ImportReceipt::signed_json() const {
    Json b = {{"file", bundle.file}};
    if (bundle.release) {
        b["name"] = bundle.release->name;
        b["version"] = bundle.release->version;
        b["channel"] = bundle.release->channel;
        b["manifestDigest"] = bundle.release->manifest_digest.str();
    }
    Json items = Json::array();
    for (const auto& p : present)
        items.push_back({{"repository", p.repository}, {"reference", p.reference}, {"digest", p.digest.str()}});
    Json out = {{"_type", kImportReceiptType},
                {"specVersion", kImportReceiptSpecVersion},
                {"time", format_time(time)},
                {"site", site_json(site_keyid)},
                {"target", target},
                {"bundle", b},
                {"signers", signers},
                {"verdict", verdict},
                {"present", items}};
    if (!reason.empty()) out["reason"] = reason;
    if (downgrade) out["downgrade"] = {{"from", downgrade->from_version}, {"reason", downgrade->reason}};
    return out;
}

ImportReceipt ImportReceipt::parse_signed(const Json& s, const std::string& what) {
    std::string sw = what + ": signed";
    check_only_keys(s,
                    {"_type", "specVersion", "time", "site", "target", "bundle", "signers", "verdict", "reason",
                     "present", "downgrade"},
                    sw);
    check_type_and_version(s, kImportReceiptType, kImportReceiptSpecVersion, sw);
    ImportReceipt r;
    r.time = time_field(s, "time", sw);
    r.site_keyid = site_keyid_field(s, sw);
    r.target = json_string(s, "target", sw);
    if (!valid_site_location(r.target))
        fail(Errc::format, sw + ": field 'target' is not 'store' or 'registry:HOST[/PREFIX]': '" + r.target + "'");
    r.bundle = parse_bundle(json_field(s, "bundle", sw), sw + ".bundle");
    r.signers = parse_signers(json_field(s, "signers", sw), sw + ".signers");
    r.verdict = json_string(s, "verdict", sw);
    if (!known_verdict(r.verdict))
        fail(Errc::format, sw + ": field 'verdict' is '" + r.verdict + "', not imported, already-imported or rejected");
    bool rejected = r.verdict == receipt_verdict::rejected;
    if (s.contains("reason")) r.reason = json_string(s, "reason", sw);
    if (rejected && r.reason.empty()) fail(Errc::format, sw + ": a rejected import needs a 'reason'");
    if (!rejected && s.contains("reason")) fail(Errc::format, sw + ": field 'reason' is only for a rejected import");
    if (!rejected && !r.bundle.release)
        fail(
            Errc::format,
            sw + ".bundle: an import that was not rejected names the release (name, version, channel, manifestDigest)");
    r.present = parse_present(json_field(s, "present", sw), sw + ".present");
    if (s.contains("downgrade")) {
        if (r.verdict != receipt_verdict::imported)
            fail(Errc::format, sw + ": field 'downgrade' is only for an import that took place");
        const Json& d = s["downgrade"];
        std::string dw = sw + ".downgrade";
        check_only_keys(d, {"from", "reason"}, dw);
        r.downgrade = AllowedDowngrade{json_string(d, "from", dw), json_string(d, "reason", dw)};
        if (r.downgrade->from_version.empty() || r.downgrade->reason.empty())
            fail(Errc::format, dw + ": 'from' and 'reason' must not be empty");
    }
    return r;
}

}  // namespace sealift::manifests
