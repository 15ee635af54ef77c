#include <catch2/catch.hpp>

#include <functional>
#include <map>

#include "core/error.hpp"
#include "core/json.hpp"
#include "manifests/bundle_manifest.hpp"
#include "manifests/content_rules.hpp"

using namespace sealift;
using namespace sealift::manifests;

namespace {

BundleManifest sample() {
    BundleManifest m;
    m.name = "platform";
    m.version = SemVer::parse("1.0.0");
    m.issued = parse_time("2026-01-01T00:00:00Z");
    m.expires = parse_time("2026-07-01T00:00:00Z");
    auto blob = Sha256::of("layer");
    m.entries = {
        {"SHA256SUMS", 10, Sha256::of("s"), "text/plain"},
        {"images/blobs/sha256/" + std::string(blob.hex()), 5, blob, "application/vnd.oci.image.manifest.v1+json"},
        {"sealift/sbom.cdx.json", 3, Sha256::of("b"), "application/vnd.cyclonedx+json"}};
    m.images = {{"registry.example.com/platform/api:1.0.0", blob, "application/vnd.oci.image.manifest.v1+json", 5}};
    m.bundle_sbom = "sealift/sbom.cdx.json";
    return m;
}

}  // namespace

TEST_CASE("the signed manifest is canonical TUF targets JSON and round-trips") {
    auto m = sample();
    std::string bytes = m.canonical_bytes();
    CHECK(bytes.rfind("{\"_type\":\"targets\"", 0) == 0);
    CHECK(bytes.find(' ') == std::string::npos);
    auto back = BundleManifest::parse(bytes, "m");
    CHECK(back.canonical_bytes() == bytes);
    CHECK(back.find("SHA256SUMS")->size == 10);
    CHECK(back.file_name() == "platform-1.0.0-stable.bundle");
}

TEST_CASE("structural errors in the manifest") {
    auto m = sample();
    auto with = [&](auto mutate) {
        auto copy = sample();
        mutate(copy);
        return copy.canonical_bytes();
    };
    CHECK_THROWS_WITH(BundleManifest::parse(with([](auto& x) { x.entries[0].path = "../SHA256SUMS"; }), "m"),
                      Catch::Contains("unsafe"));
    CHECK_THROWS_WITH(BundleManifest::parse(with([](auto& x) { x.entries.erase(x.entries.begin()); }), "m"),
                      Catch::Contains("'SHA256SUMS', which is not a listed entry"));
    CHECK_THROWS_WITH(BundleManifest::parse(with([](auto& x) { x.entries.pop_back(); }), "m"),
                      Catch::Contains("bundleSbom"));
    CHECK_THROWS_WITH(BundleManifest::parse(with([](auto& x) { x.entries[1].digest = Sha256::of("other"); }), "m"),
                      Catch::Contains("a blob's name must be its SHA-256"));
    std::string bytes = m.canonical_bytes();
    std::string v2 = bytes;
    v2.replace(v2.find("\"formatVersion\":1"), 17, "\"formatVersion\":2");
    CHECK_THROWS_WITH(BundleManifest::parse(v2, "m"), Catch::Contains("unsupported bundle formatVersion 2"));
    CHECK_THROWS_WITH(BundleManifest::parse("{\"_type\":\"root\"}", "m"),
                      Catch::Contains("m: signed._type: must be \"targets\", not \"root\""));
}

TEST_CASE("entry paths") {
    for (const char* good : {"SHA256SUMS", "images/blobs/sha256/ab", "sboms/a_b-c+d.json"})
        CHECK(valid_entry_path(good));
    for (const char* bad : {"", "/etc/passwd", "a/../b", "./a", "a//b", "a/", "a b", "a\\b", "..", "ä"})
        CHECK_FALSE(valid_entry_path(bad));
}

TEST_CASE("SHA256SUMS is sha256sum's format, sorted") {
    auto m = sample();
    auto sums = format_sha256sums(m.entries);
    CHECK(sums.find(std::string(Sha256::of("s").hex()) + "  SHA256SUMS\n") == 0);
}

namespace {

BundleManifest delta_sample() {
    auto m = sample();
    m.version = SemVer::parse("1.0.1");
    m.base = BundleBase{"platform", SemVer::parse("1.0.0"), Channel::stable, Sha256::of("base manifest")};
    m.external_blobs = {{Sha256::of("layer b"), 200}, {Sha256::of("layer a"), 100}};
    std::sort(m.external_blobs.begin(), m.external_blobs.end(), [](auto& x, auto& y) { return x.digest < y.digest; });
    return m;
}

}  // namespace

TEST_CASE("a delta bundle's base and external blobs round-trip inside the signed manifest") {
    auto m = delta_sample();
    std::string bytes = m.canonical_bytes();
    CHECK(bytes.find("\"base\":{\"channel\":\"stable\",\"manifestDigest\":\"" + Sha256::of("base manifest").str() +
                     "\",\"name\":\"platform\",\"version\":\"1.0.0\"}") != std::string::npos);
    CHECK(bytes.find("\"externalBlobs\":[{\"digest\":\"" + m.external_blobs[0].digest.str()) != std::string::npos);
    auto back = BundleManifest::parse(bytes, "m");
    REQUIRE(back.is_delta());
    CHECK(back.base->name == "platform");
    CHECK(back.base->version.str() == "1.0.0");
    CHECK(back.base->manifest_digest == Sha256::of("base manifest"));
    REQUIRE(back.external_blobs.size() == 2);
    CHECK(back.find_external(Sha256::of("layer a"))->size == 100);
    CHECK(back.find_external(Sha256::of("layer b"))->size == 200);
    CHECK(back.find_external(Sha256::of("layer c")) == nullptr);
    CHECK(back.canonical_bytes() == bytes);
}

TEST_CASE("a full bundle has neither member, so its bytes are what they were before deltas existed") {
    std::string bytes = sample().canonical_bytes();
    CHECK(bytes.find("\"base\"") == std::string::npos);
    CHECK(bytes.find("externalBlobs") == std::string::npos);
    CHECK_FALSE(BundleManifest::parse(bytes, "m").is_delta());
}

TEST_CASE("bad delta members are refused, naming the field") {
    auto with = [](auto mutate) {
        auto copy = delta_sample();
        mutate(copy);
        return copy.canonical_bytes();
    };
    CHECK_THROWS_WITH(BundleManifest::parse(with([](auto& x) { x.base->name = "other"; }), "m"),
                      Catch::Contains("sealift.base: base release 'other' is not release 'platform'"));
    CHECK_THROWS_WITH(BundleManifest::parse(with([](auto& x) { x.base->version = SemVer::parse("1.0.1"); }), "m"),
                      Catch::Contains("base version 1.0.1 does not precede this release's 1.0.1"));
    CHECK_THROWS_WITH(BundleManifest::parse(with([](auto& x) { x.base.reset(); }), "m"),
                      Catch::Contains("sealift.externalBlobs: only a delta bundle"));
    CHECK_THROWS_WITH(
        BundleManifest::parse(with([](auto& x) { std::swap(x.external_blobs[0], x.external_blobs[1]); }), "m"),
        Catch::Contains("is out of order or listed twice"));
    CHECK_THROWS_WITH(BundleManifest::parse(with([](auto& x) { x.external_blobs[1] = x.external_blobs[0]; }), "m"),
                      Catch::Contains("is out of order or listed twice"));
    CHECK_THROWS_WITH(BundleManifest::parse(with([](auto& x) {
                                                x.external_blobs = {{x.images[0].digest, 5}};
                                            }),
                                            "m"),
                      Catch::Contains("is also an entry of the bundle"));

    std::string bytes = delta_sample().canonical_bytes();
    auto replaced = [&](const std::string& from, const std::string& to) {
        std::string copy = bytes;
        auto at = copy.find(from);
        REQUIRE(at != std::string::npos);
        return copy.replace(at, from.size(), to);
    };
    CHECK_THROWS_WITH(
        BundleManifest::parse(
            replaced("\"channel\":\"stable\",\"manifestDigest\"", "\"channel\":\"beta\",\"manifestDigest\""), "m"),
        Catch::Contains("sealift.base: unknown channel 'beta'"));
    CHECK_THROWS_WITH(BundleManifest::parse(replaced("\"manifestDigest\":\"sha256:", "\"manifestDigest\":\"md5:"), "m"),
                      Catch::Contains("field 'manifestDigest' is not a sha256 digest"));
    CHECK_THROWS_WITH(BundleManifest::parse(replaced("\"version\":\"1.0.0\"}", "\"version\":\"v1\"}"), "m"),
                      Catch::Contains("sealift.base"));
    CHECK_THROWS_WITH(BundleManifest::parse(replaced("\"size\":100", "\"size\":-1"), "m"), Catch::Contains("size"));
}

namespace {

// The sample image with a cosign signature and a referrer; both manifests are entries.
BundleManifest attached_sample() {
    auto m = sample();
    const std::string type = "application/vnd.oci.image.manifest.v1+json";
    Digest image = m.images[0].digest, signature = Sha256::of("signature manifest"),
           referrer = Sha256::of("referrer manifest");
    m.entries.push_back({bundle_paths::blob(signature), 7, signature, type});
    m.entries.push_back({bundle_paths::blob(referrer), 9, referrer, type});
    std::sort(m.entries.begin(), m.entries.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    const std::string ref = m.images[0].ref;
    m.attachments = {{ref, image, attachment_kind::signature, cosign_tag(image, "sig"), signature, type, 7},
                     {ref, image, attachment_kind::referrer, "", referrer, type, 9}};
    std::sort(m.attachments.begin(), m.attachments.end(), attachment_before);
    return m;
}

}  // namespace

TEST_CASE("attachments round-trip inside the signed manifest, and a bundle without them has no member") {
    CHECK(sample().canonical_bytes().find("attachments") == std::string::npos);
    auto m = attached_sample();
    std::string bytes = m.canonical_bytes();
    auto back = BundleManifest::parse(bytes, "m");
    REQUIRE(back.attachments.size() == 2);
    CHECK(back.attachments[0].kind == attachment_kind::referrer);
    CHECK(back.attachments[0].tag.empty());
    CHECK(back.attachments[1].tag == "sha256-" + std::string(m.images[0].digest.hex()) + ".sig");
    CHECK(back.canonical_bytes() == bytes);
}

TEST_CASE("bad attachments are refused, naming the attachment and the reason") {
    auto with = [](auto mutate) {
        auto copy = attached_sample();
        mutate(copy.attachments);
        return copy.canonical_bytes();
    };
    const std::string referrer = Sha256::of("referrer manifest").str(),
                      signature = Sha256::of("signature manifest").str();
    CHECK_THROWS_WITH(BundleManifest::parse(with([](auto& a) { a[1].kind = "note"; }), "m"),
                      Catch::Contains("sealift.attachments " + signature + ": unknown kind 'note'"));
    CHECK_THROWS_WITH(BundleManifest::parse(with([](auto& a) { a[1].tag = "latest"; }), "m"),
                      Catch::Contains(signature + ": signature of ") && Catch::Contains(" must be tagged sha256-") &&
                          Catch::Contains(".sig, not 'latest'"));
    CHECK_THROWS_WITH(BundleManifest::parse(with([](auto& a) { a[1].kind = attachment_kind::attestation; }), "m"),
                      Catch::Contains(signature + ": attestation of ") && Catch::Contains(".att, not"));
    CHECK_THROWS_WITH(BundleManifest::parse(with([](auto& a) { a[0].tag = "sha256-abc"; }), "m"),
                      Catch::Contains(referrer + ": a referrer has no tag"));
    CHECK_THROWS_WITH(
        BundleManifest::parse(with([](auto& a) { a[0].for_ref = "registry.example.com/other:1"; }), "m"),
        Catch::Contains(referrer + ": belongs to image registry.example.com/other:1, which is not in the bundle"));
    CHECK_THROWS_WITH(BundleManifest::parse(with([](auto& a) { a[0].digest = Sha256::of("elsewhere"); }), "m"),
                      Catch::Contains(Sha256::of("elsewhere").str() + ": its manifest is not a listed entry"));
    CHECK_THROWS_WITH(BundleManifest::parse(with([](auto& a) { a[0].size = 10; }), "m"),
                      Catch::Contains(referrer + ": size or media type differs from its entry's"));
    CHECK_THROWS_WITH(BundleManifest::parse(with([](auto& a) { a[0].media_type = "application/json"; }), "m"),
                      Catch::Contains(referrer + ": size or media type differs from its entry's"));
    // An index may be a referrer (OCI 1.1), not a cosign signature: cosign's tags name image manifests.
    auto as_index = [](const Digest& d) {
        auto m = attached_sample();
        for (auto& e : m.entries)
            if (e.digest == d) e.media_type = "application/vnd.oci.image.index.v1+json";
        for (auto& a : m.attachments)
            if (a.digest == d) a.media_type = "application/vnd.oci.image.index.v1+json";
        return m.canonical_bytes();
    };
    auto parsed = BundleManifest::parse(as_index(Sha256::of("referrer manifest")), "m");
    CHECK(parsed.attachments[0].media_type == "application/vnd.oci.image.index.v1+json");
    CHECK_THROWS_WITH(
        BundleManifest::parse(as_index(Sha256::of("signature manifest")), "m"),
        Catch::Contains(signature +
                        ": media type 'application/vnd.oci.image.index.v1+json' is not an image manifest's"));
    CHECK_THROWS_WITH(BundleManifest::parse(with([](auto& a) { std::swap(a[0], a[1]); }), "m"),
                      Catch::Contains(referrer + ": out of order or listed twice"));
    CHECK_THROWS_WITH(BundleManifest::parse(with([](auto& a) { a[1] = a[0]; }), "m"),
                      Catch::Contains(referrer + ": out of order or listed twice"));
}

namespace {

// The delta sample with two charts: one carried, one left out as its external blob "layer a".
BundleManifest chart_delta_sample() {
    auto m = delta_sample();
    m.entries.push_back(
        {"charts/web-1.0.1.tgz", 4, Sha256::of("web chart"), "application/vnd.cncf.helm.chart.content.v1.tar+gzip"});
    std::sort(m.entries.begin(), m.entries.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    m.charts = {{"api", "1.0.0", "1.0", "charts/api-1.0.0.tgz", Sha256::of("layer a")},
                {"web", "1.0.1", "1.0", "charts/web-1.0.1.tgz", std::nullopt}};
    return m;
}

}  // namespace

TEST_CASE("a chart a delta leaves out names its archive's digest, and only such a chart has one") {
    auto m = chart_delta_sample();
    std::string bytes = m.canonical_bytes();
    CHECK(bytes.find("{\"appVersion\":\"1.0\",\"digest\":\"" + Sha256::of("layer a").str() +
                     "\",\"name\":\"api\",\"path\":\"charts/api-1.0.0.tgz\",\"version\":\"1.0.0\"}") !=
          std::string::npos);
    CHECK(bytes.find(
              "{\"appVersion\":\"1.0\",\"name\":\"web\",\"path\":\"charts/web-1.0.1.tgz\",\"version\":\"1.0.1\"}") !=
          std::string::npos);
    auto back = BundleManifest::parse(bytes, "m");
    REQUIRE(back.charts.size() == 2);
    CHECK(back.charts[0].left_out == Sha256::of("layer a"));
    CHECK_FALSE(back.charts[1].left_out);
    CHECK(back.chart_digest(back.charts[0]) == Sha256::of("layer a"));
    CHECK(back.chart_digest(back.charts[1]) == Sha256::of("web chart"));
    CHECK(back.canonical_bytes() == bytes);
}

TEST_CASE("a left-out chart outside a delta, not among the external blobs, or also an entry is refused naming it") {
    auto with = [](auto mutate) {
        auto copy = chart_delta_sample();
        mutate(copy);
        return copy.canonical_bytes();
    };
    CHECK_THROWS_WITH(BundleManifest::parse(with([](auto& x) { x.charts[0].left_out = Sha256::of("nowhere"); }), "m"),
                      Catch::Contains("m sealift.charts api 1.0.0: its left-out archive " +
                                      Sha256::of("nowhere").str() + " is not among sealift.externalBlobs"));
    CHECK_THROWS_WITH(BundleManifest::parse(with([](auto& x) { x.charts[1].left_out = Sha256::of("layer b"); }), "m"),
                      Catch::Contains("m: chart web 1.0.1 is left out (digest " + Sha256::of("layer b").str() +
                                      ") but 'charts/web-1.0.1.tgz' is also a listed entry"));
    CHECK_THROWS_WITH(BundleManifest::parse(with([](auto& x) {
                                                x.base.reset();
                                                x.external_blobs.clear();
                                            }),
                                            "m"),
                      Catch::Contains("m sealift.charts api 1.0.0: only a delta bundle (with sealift.base or "
                                      "sealift.siteInventory) may leave a chart out"));
    // Without its digest the chart is carried, and its path must then be an entry.
    CHECK_THROWS_WITH(BundleManifest::parse(with([](auto& x) { x.charts[0].left_out.reset(); }), "m"),
                      Catch::Contains("chart api names 'charts/api-1.0.0.tgz', which is not a listed entry"));
    std::string bytes = chart_delta_sample().canonical_bytes();
    std::string bad = bytes;
    bad.replace(bad.find("\"digest\":\"" + Sha256::of("layer a").str()), 9 + 8, "\"digest\":\"md5:");
    CHECK_THROWS_WITH(BundleManifest::parse(bad, "m"),
                      Catch::Contains("sealift.charts api 1.0.0: field 'digest' is not a sha256 digest"));
}

namespace {

// The sample's bytes with `change` applied to its JSON.
std::string edited(const std::function<void(Json&)>& change) {
    Json j = Json::parse(sample().canonical_bytes());
    change(j);
    return j.dump();  // not canonical: a reader takes any JSON, and a fraction has no canonical form
}

std::string refusal(const std::string& bytes) {
    try {
        BundleManifest::parse(bytes, "m");
    } catch (const Error& e) {
        return e.what();
    }
    return "ACCEPTED";
}

}  // namespace

TEST_CASE("the signed manifest's shape is checked as a schema would, each refusal naming the field's path") {
    CHECK(refusal(edited([](Json&) {})) == "ACCEPTED");
    struct Case {
        std::function<void(Json&)> change;
        std::string message;
    } cases[] = {
        {[](Json& j) { j["sealift"]["images"] = Json::object(); },
         "m: signed.sealift.images: must be an array, not object"},
        {[](Json& j) { j["sealift"]["charts"] = "none"; }, "m: signed.sealift.charts: must be an array, not string"},
        {[](Json& j) { j["sealift"]["sboms"] = nullptr; }, "m: signed.sealift.sboms: must be an array, not null"},
        {[](Json& j) { j["sealift"]["images"][0]["size"] = "5"; },
         "m: signed.sealift.images[0].size: must be a non-negative integer, not string"},
        {[](Json& j) { j["sealift"]["images"][0]["size"] = -5; },
         "m: signed.sealift.images[0].size: must be a non-negative integer, not negative"},
        {[](Json& j) { j["sealift"]["images"][0]["ref"] = 7; },
         "m: signed.sealift.images[0].ref: must be a string, not number"},
        {[](Json& j) { j["sealift"]["images"][0].erase("mediaType"); },
         "m: signed.sealift.images[0].mediaType: missing required field"},
        {[](Json& j) { j["sealift"]["images"][0]["sourceDigest"] = Json::array(); },
         "m: signed.sealift.images[0].sourceDigest: must be a string, not array"},
        {[](Json& j) { j["sealift"]["release"] = Json::array(); },
         "m: signed.sealift.release: must be an object, not array"},
        {[](Json& j) { j["sealift"]["release"].erase("channel"); },
         "m: signed.sealift.release.channel: missing required field"},
        {[](Json& j) { j["sealift"].erase("bundleSbom"); }, "m: signed.sealift.bundleSbom: missing required field"},
        {[](Json& j) { j["sealift"]["releaseNotes"] = true; },
         "m: signed.sealift.releaseNotes: must be a string, not boolean"},
        {[](Json& j) { j["sealift"]["base"] = "1.0.0"; }, "m: signed.sealift.base: must be an object, not string"},
        {[](Json& j) { j["sealift"]["externalBlobs"] = Json::object(); },
         "m: signed.sealift.externalBlobs: must be an array, not object"},
        {[](Json& j) {
             j["sealift"]["externalBlobs"] = {{{"digest", 1}}};
         },
         "m: signed.sealift.externalBlobs[0].digest: must be a string, not number"},
        {[](Json& j) {
             j["sealift"]["attachments"] = {{{"for", "x"}}};
         },
         "m: signed.sealift.attachments[0].subject: missing required field"},
        {[](Json& j) {
             j["sealift"]["siteInventory"] = {{"digest", "d"}, {"siteKeyid", "k"}, {"created", "c"}, {"note", "n"}};
         },
         "m: signed.sealift.siteInventory: unknown field 'note' (the format closes this object)"},
        {[](Json& j) { j["targets"] = Json::array(); }, "m: signed.targets: must be an object, not array"},
        {[](Json& j) { j["targets"]["SHA256SUMS"]["length"] = 1.5; },
         "m: signed.targets[\"SHA256SUMS\"].length: must be a non-negative integer, not a fraction"},
        {[](Json& j) { j["targets"]["SHA256SUMS"]["hashes"].erase("sha256"); },
         "m: signed.targets[\"SHA256SUMS\"].hashes.sha256: missing required field"},
        {[](Json& j) { j["targets"]["SHA256SUMS"].erase("custom"); },
         "m: signed.targets[\"SHA256SUMS\"].custom: missing required field"},
        {[](Json& j) { j["version"] = "1"; }, "m: signed.version: must be a non-negative integer, not string"},
        {[](Json& j) { j.erase("spec_version"); }, "m: signed.spec_version: missing required field"},
        {[](Json& j) { j["expires"] = 0; }, "m: signed.expires: must be a string, not number"},
        {[](Json& j) { j["sealift"]["formatVersion"] = "1"; },
         "m: signed.sealift.formatVersion: must be a non-negative integer, not string"},
        {[](Json& j) { j["_type"] = "root"; }, "m: signed._type: must be \"targets\", not \"root\""},
    };
    for (const auto& c : cases) {
        INFO(c.message);
        CHECK_THAT(refusal(edited(c.change)), Catch::Contains(c.message));
    }
    CHECK_THAT(refusal("[]"), Catch::Contains("m: signed: must be an object, not array"));
    // A version this Sealift does not read is refused as such, whatever its shape.
    CHECK_THAT(refusal(edited([](Json& j) {
                   j["sealift"]["formatVersion"] = 2;
                   j["sealift"]["images"] = Json::object();
               })),
               Catch::Contains("m: unsupported bundle formatVersion 2"));
    // Members the format does not define are ignored where it does not close the object.
    CHECK(refusal(edited([](Json& j) { j["delegations"] = Json::object(), j["sealift"]["images"][0]["note"] = 1; })) ==
          "ACCEPTED");
}

TEST_CASE("the names importers need are checked when the manifest is read, naming the field") {
    auto with = [](auto mutate) {
        auto copy = chart_delta_sample();
        mutate(copy);
        return refusal(copy.canonical_bytes());
    };
    CHECK(with([](auto&) {}) == "ACCEPTED");
    CHECK_THAT(with([](auto& x) { x.images[0].ref = "registry.example.com/platform/API:1.0.0"; }),
               Catch::Contains("m: signed.sealift.images[0].ref: invalid image reference") &&
                   Catch::Contains("must be lowercase"));
    CHECK_THAT(with([](auto& x) { x.images[0].ref = "nginx:1"; }),
               Catch::Contains("signed.sealift.images[0].ref: image reference 'nginx:1' is not normalized (it would be "
                               "'docker.io/library/nginx:1')"));
    // The carried chart's archive moved to `path`, the entry with it.
    auto moved = [](BundleManifest& x, const std::string& path) {
        for (auto& e : x.entries)
            if (e.path == x.charts[1].path) e.path = path;
        std::sort(x.entries.begin(), x.entries.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
        x.charts[1].path = path;
    };
    CHECK_THAT(with([&](auto& x) { x.charts[1].name = "..", moved(x, "charts/..-1.0.1.tgz"); }),
               Catch::Contains("m: signed.sealift.charts[1].name: chart '..': not a chart name Helm accepts"));
    CHECK_THAT(with([&](auto& x) { moved(x, "charts/other.tgz"); }),
               Catch::Contains("signed.sealift.charts[1].path: chart web 1.0.1 must be at 'charts/web-1.0.1.tgz', not "
                               "'charts/other.tgz'"));
    CHECK_THAT(with([](auto& x) { x.charts[0] = x.charts[1]; }),
               Catch::Contains("m: signed.sealift.charts[1]: chart web 1.0.1 is listed twice"));
    CHECK_THAT(with([](auto& x) {
                   x.sboms = {{"sealift/sbom.cdx.json", "registry.example.com/platform/other:1.0.0", "cyclonedx"}};
               }),
               Catch::Contains("signed.sealift.sboms[0].for: SBOM 'sealift/sbom.cdx.json' describes "
                               "registry.example.com/platform/other:1.0.0, "
                               "which is not an image of this bundle"));
}

TEST_CASE("index nesting is counted level by level from the image's top") {
    std::map<Digest, std::vector<Digest>> children;
    std::vector<Digest> chain;
    for (int i = 0; i <= 6; ++i) chain.push_back(Sha256::of("m" + std::to_string(i)));
    for (int i = 0; i < 6; ++i) children[chain[i + 1]] = {chain[i]};  // chain[k] lists chain[k-1]
    auto lookup = [&](const Digest& d) -> const std::vector<Digest>* {
        auto it = children.find(d);
        return it == children.end() ? nullptr : &it->second;
    };
    CHECK_NOTHROW(check_index_depth(chain[4], lookup, "image x"));
    CHECK_THROWS_WITH(
        check_index_depth(chain[5], lookup, "image x"),
        Catch::Contains("image x: indexes nested more than 4 deep (manifest " + chain[0].str() + " is at depth 5)"));
    CHECK_THROWS_WITH(check_index_depth(chain[6], lookup, "image x"), Catch::Contains("more than 4 deep"));
}
