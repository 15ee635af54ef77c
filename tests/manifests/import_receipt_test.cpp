#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "manifests/import_receipt.hpp"

using namespace sealift;
using namespace sealift::manifests;
using Catch::Matchers::Contains;

namespace {

ImportReceipt sample() {
    ImportReceipt r;
    r.time = parse_time("2026-11-24T01:00:00Z");
    r.site_keyid = std::string(64, 'b');
    r.target = "registry:registry.local:5000/mirror";
    r.bundle = {"platform-1.0.0-stable.bundle", ReceiptBundle::Release{"platform", "1.0.0", "stable", Sha256::of("m")}};
    r.signers = {std::string(64, 'c')};
    r.verdict = std::string(receipt_verdict::imported);
    r.present = {{"registry.local:5000/mirror/platform/api", "1.0.0", Sha256::of("api")}};
    return r;
}

std::string parse_error(const Json& j) {
    try {
        ImportReceipt::parse_signed(j, "r.json");
    } catch (const Error& e) {
        CHECK(e.code() == Errc::format);
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("an import receipt round-trips, with and without the release known") {
    auto r = sample();
    std::string text = canonical_json(r.signed_json());
    auto back = ImportReceipt::parse_signed(parse_json_strict(text, "r"), "r");
    CHECK(canonical_json(back.signed_json()) == text);
    REQUIRE(back.bundle.release);
    CHECK(back.bundle.release->manifest_digest == Sha256::of("m"));
    CHECK(back.present.at(0).reference == "1.0.0");
    CHECK(back.reason.empty());

    ImportReceipt refused = r;
    refused.bundle.release.reset();
    refused.verdict = std::string(receipt_verdict::rejected);
    refused.reason = "bundle.bundle: not a zstd frame";
    refused.signers.clear();
    refused.present.clear();
    auto back2 = ImportReceipt::parse_signed(refused.signed_json(), "r");
    CHECK_FALSE(back2.bundle.release);
    CHECK(back2.reason == "bundle.bundle: not a zstd frame");
}

TEST_CASE("import receipt errors name the file and the field") {
    const Json good = sample().signed_json();
    auto with = [&](auto change) {
        Json j = good;
        change(j);
        return parse_error(j);
    };
    CHECK(parse_error(good).empty());
    CHECK_THAT(with([](Json& j) { j["x"] = 1; }), Contains("r.json: signed: unknown field 'x'"));
    CHECK_THAT(with([](Json& j) { j["_type"] = "sealift-site-inventory"; }),
               Contains("field '_type' is 'sealift-site-inventory'"));
    CHECK_THAT(with([](Json& j) { j["verdict"] = "ok"; }), Contains("field 'verdict' is 'ok'"));
    CHECK_THAT(with([](Json& j) { j["verdict"] = "rejected"; }), Contains("a rejected import needs a 'reason'"));
    CHECK_THAT(with([](Json& j) { j["reason"] = "why"; }), Contains("field 'reason' is only for a rejected import"));
    CHECK_THAT(with([](Json& j) { j["bundle"].erase("name"); }),
               Contains("r.json: signed.bundle: missing field 'name'"));
    CHECK_THAT(with([](Json& j) {
                   j["bundle"] = {{"file", "b"}};
               }),
               Contains("an import that was not rejected names the release"));
    CHECK_THAT(with([](Json& j) { j["bundle"]["manifestDigest"] = "sha1:x"; }),
               Contains("signed.bundle: field 'manifestDigest': not a sha256"));
    CHECK_THAT(with([](Json& j) { j["signers"] = {1}; }), Contains("signed.signers: key id 1 is not a string"));
    CHECK_THAT(with([](Json& j) { j["present"][0]["digest"] = "x"; }),
               Contains("signed.present registry.local:5000/mirror/platform/api: field 'digest': not a sha256 digest"));
    CHECK_THAT(with([](Json& j) { j["present"][0]["size"] = 1; }), Contains("signed.present: unknown field 'size'"));
    CHECK_THAT(with([](Json& j) { j["target"] = "disk"; }),
               Contains("field 'target' is not 'store' or 'registry:HOST[/PREFIX]': 'disk'"));
    CHECK_THAT(with([](Json& j) { j["time"] = "now"; }), Contains("r.json: signed: field 'time'"));
    CHECK_THAT(with([](Json& j) {
                   j["site"] = {{"keyid", "k"}};
               }),
               Contains("signed.site: field 'keyid' is not a key id"));
}

TEST_CASE("an import receipt records an allowed downgrade, and only on an import that took place") {
    auto r = sample();
    r.downgrade = AllowedDowngrade{"2.0.0", "INC-4711"};
    auto back = ImportReceipt::parse_signed(parse_json_strict(canonical_json(r.signed_json()), "r"), "r");
    REQUIRE(back.downgrade);
    CHECK(back.downgrade->from_version == "2.0.0");
    CHECK(back.downgrade->reason == "INC-4711");
    CHECK_FALSE(ImportReceipt::parse_signed(sample().signed_json(), "r").downgrade);

    const Json good = r.signed_json();
    auto with = [&](auto change) {
        Json j = good;
        change(j);
        return parse_error(j);
    };
    CHECK(parse_error(good).empty());
    CHECK_THAT(with([](Json& j) { j["verdict"] = "already-imported"; }),
               Contains("r.json: signed: field 'downgrade' is only for an import that took place"));
    CHECK_THAT(with([](Json& j) { j["downgrade"]["reason"] = ""; }),
               Contains("signed.downgrade: 'from' and 'reason' must not be empty"));
    CHECK_THAT(with([](Json& j) { j["downgrade"]["x"] = 1; }), Contains("signed.downgrade: unknown field 'x'"));
    CHECK_THAT(with([](Json& j) { j["downgrade"] = "2.0.0"; }), Contains("signed.downgrade: expected a JSON object"));
}
