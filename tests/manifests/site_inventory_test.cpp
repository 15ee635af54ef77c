#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "manifests/site_inventory.hpp"

using namespace sealift;
using namespace sealift::manifests;

namespace {

const std::string kKeyid(64, 'a');

InventoryRelease release(const std::string& name, const std::string& version, Channel channel, bool current,
                         const std::string& seed) {
    return {name, SemVer::parse(version), channel, current, Sha256::of(seed)};
}

SiteInventory sample() {
    SiteInventory inv;
    inv.created = parse_time("2026-11-24T00:00:00Z");
    inv.site_keyid = kKeyid;
    inv.source = "store";
    inv.releases = {release("platform", "1.10.0", Channel::stable, true, "m3"),
                    release("platform", "1.2.0", Channel::stable, false, "m2"),
                    release("platform", "1.0.0", Channel::lts, true, "m1"),
                    release("agent", "0.1.0", Channel::hotfix, false, "m0")};
    inv.blobs = {Sha256::of("b"), Sha256::of("a"), Sha256::of("b"), Sha256::of("c")};
    inv.sort_and_dedupe();
    return inv;
}

// Parses `signed_object` and returns the error message (empty when it parsed).
std::string parse_error(const Json& signed_object) {
    try {
        SiteInventory::parse_signed(signed_object, "site.inventory");
    } catch (const Error& e) {
        CHECK(e.code() == Errc::format);
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("a site inventory sorts on write and round-trips through its canonical JSON") {
    auto inv = sample();
    REQUIRE(inv.releases.size() == 4);
    CHECK(inv.releases[0].name == "agent");
    CHECK(inv.releases[1].channel == Channel::lts);   // "lts" < "stable"
    CHECK(inv.releases[2].version.str() == "1.2.0");  // precedence, not text order
    CHECK(inv.releases[3].version.str() == "1.10.0");
    CHECK(inv.blobs.size() == 3);
    CHECK(inv.has(Sha256::of("a")));
    CHECK_FALSE(inv.has(Sha256::of("z")));

    std::string text = canonical_json(inv.signed_json());
    CHECK(text.rfind("{\"_type\":\"sealift-site-inventory\"", 0) == 0);
    CHECK(text.find("\"site\":{\"keyid\":\"" + kKeyid + "\"}") != std::string::npos);
    auto back = SiteInventory::parse_signed(parse_json_strict(text, "t"), "t");
    CHECK(canonical_json(back.signed_json()) == text);
    CHECK(back.created == inv.created);
    CHECK(back.source == "store");
    CHECK(back.releases[3].current);
    CHECK(back.releases[3].manifest_digest == Sha256::of("m3"));
    CHECK(back.blobs == inv.blobs);
}

TEST_CASE("a registry source and an empty site parse") {
    SiteInventory inv;
    inv.created = parse_time("2026-11-24T00:00:00Z");
    inv.site_keyid = kKeyid;
    inv.source = "registry:registry.local:5000/mirror";
    auto back = SiteInventory::parse_signed(inv.signed_json(), "t");
    CHECK(back.source == "registry:registry.local:5000/mirror");
    CHECK(back.releases.empty());
    CHECK(back.blobs.empty());
}

TEST_CASE("site inventory errors name the file and the field") {
    const Json good = sample().signed_json();
    CHECK(parse_error(good).empty());
    auto with = [&](auto change) {
        Json j = good;
        change(j);
        return parse_error(j);
    };
    using Catch::Matchers::Contains;

    CHECK_THAT(with([](Json& j) { j["extra"] = 1; }), Contains("site.inventory: signed: unknown field 'extra'"));
    CHECK_THAT(with([](Json& j) { j["_type"] = "sealift-import-receipt"; }),
               Contains("field '_type' is 'sealift-import-receipt', not 'sealift-site-inventory'"));
    CHECK_THAT(with([](Json& j) { j["specVersion"] = 2; }), Contains("field 'specVersion' is 2"));
    CHECK_THAT(with([](Json& j) { j["specVersion"] = "1"; }), Contains("field 'specVersion' is \"1\""));
    CHECK_THAT(with([](Json& j) { j.erase("blobs"); }), Contains("site.inventory: signed: missing field 'blobs'"));
    CHECK_THAT(with([](Json& j) { j["created"] = "yesterday"; }), Contains("site.inventory: signed: field 'created'"));
    CHECK_THAT(with([](Json& j) { j["site"]["keyid"] = "ABC"; }),
               Contains("signed.site: field 'keyid' is not a key id"));
    CHECK_THAT(with([](Json& j) { j["site"]["name"] = "x"; }), Contains("signed.site: unknown field 'name'"));
    CHECK_THAT(with([](Json& j) { j["source"] = "registry:"; }), Contains("field 'source' is not 'store'"));
    CHECK_THAT(with([](Json& j) { j["blobs"] = "sha256:00"; }), Contains("signed.blobs: must be an array"));
    CHECK_THAT(with([](Json& j) { j["blobs"][0] = "sha256:ABC"; }),
               Contains("signed.blobs: not a sha256 digest: \"sha256:ABC\""));
    CHECK_THAT(with([](Json& j) { std::swap(j["blobs"][0], j["blobs"][1]); }),
               Contains("is out of order or listed twice"));
    CHECK_THAT(with([](Json& j) { j["blobs"][1] = j["blobs"][0]; }), Contains("is out of order or listed twice"));
    CHECK_THAT(with([](Json& j) { j["releases"][0]["size"] = 1; }), Contains("signed.releases: unknown field 'size'"));
    CHECK_THAT(with([](Json& j) { j["releases"][0]["name"] = "Bad Name"; }),
               Contains("signed.releases: field 'name' is not a valid release name: 'Bad Name'"));
    CHECK_THAT(with([](Json& j) { j["releases"][0]["version"] = "1.x"; }),
               Contains("signed.releases agent: field 'version'"));
    CHECK_THAT(with([](Json& j) { j["releases"][0]["channel"] = "beta"; }),
               Contains("signed.releases agent: field 'channel' is not stable, lts or hotfix: 'beta'"));
    CHECK_THAT(with([](Json& j) { j["releases"][0]["current"] = 1; }),
               Contains("field 'current' must be true or false"));
    CHECK_THAT(with([](Json& j) { j["releases"][0]["manifestDigest"] = "md5:1"; }),
               Contains("signed.releases agent: field 'manifestDigest': not a sha256 digest"));
    CHECK_THAT(with([](Json& j) { std::swap(j["releases"][2], j["releases"][3]); }),
               Contains("release platform 1.2.0 (stable) is out of order"));
    CHECK_THAT(with([](Json& j) { j["releases"][3] = j["releases"][2]; }),
               Contains("release platform 1.2.0 (stable) is listed twice"));
    CHECK_THAT(with([](Json& j) { j["releases"][2]["current"] = true; }),
               Contains("release platform 1.10.0 (stable) is a second current release of its channel"));
}
