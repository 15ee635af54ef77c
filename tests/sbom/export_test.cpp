#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "core/error.hpp"
#include "core/json.hpp"
#include "fixtures.hpp"
#include "sbom/sbom.hpp"
#include "schema_validator.hpp"

using namespace sealift;
using Catch::Contains;

namespace {

// Packages with licenses of every kind and hashes CycloneDX can and cannot name.
const char* cyclonedx_packages = R"json({
  "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
  "metadata": {"component": {"type": "container", "name": "registry.example.com/platform/api", "version": "1.0.0"}},
  "components": [
    {"type": "library", "name": "openssl", "version": "3.0.11", "purl": "pkg:deb/debian/openssl@3.0.11?arch=amd64",
     "licenses": [{"license": {"id": "Apache-2.0"}}],
     "hashes": [{"alg": "SHA-256", "content": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}]},
    {"type": "framework", "name": "vendored-lib", "licenses": [{"license": {"name": "ACME Proprietary License v2"}}]},
    {"type": "library", "name": "dual", "version": "1.0", "licenses": [{"expression": "MIT OR Apache-2.0"}]},
    {"type": "library", "name": "openssl", "version": "3.0.11", "purl": "pkg:deb/debian/openssl@3.0.11?arch=amd64",
     "licenses": [{"license": {"id": "Apache-2.0"}}],
     "hashes": [{"alg": "SHA-256", "content": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}]}
  ]
})json";

const char* spdx_packages = R"json({
  "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT", "name": "web",
  "documentNamespace": "https://example.com/web", "creationInfo": {"created": "2024-05-01T10:00:00Z", "creators": ["Tool: x"]},
  "packages": [
    {"SPDXID": "SPDXRef-web", "name": "registry.example.com/platform/web", "versionInfo": "1.0.0", "downloadLocation": "NOASSERTION"},
    {"SPDXID": "SPDXRef-zlib", "name": "zlib", "versionInfo": "1.2.13", "downloadLocation": "NONE",
     "primaryPackagePurpose": "SOURCE", "licenseConcluded": "Zlib", "licenseDeclared": "NOASSERTION",
     "checksums": [{"algorithm": "SHA224", "checksumValue": "d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f"},
                   {"algorithm": "SHA1", "checksumValue": "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709"}]},
    {"SPDXID": "SPDXRef-musl", "name": "musl", "versionInfo": "1.2.4", "downloadLocation": "NOASSERTION",
     "primaryPackagePurpose": "LIBRARY", "licenseDeclared": "MIT AND (BSD-2-Clause OR GPL-2.0-only)"}
  ],
  "relationships": [{"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-web"}]
})json";

// The test release with packages from both formats.
sbom::BundleContents release() {
    sbom::BundleContents c = test::bundle_contents();
    c.images[0].packages = sbom::parse(spdx_packages, "web.spdx.json").components;
    c.images[1].packages = sbom::parse(cyclonedx_packages, "api.cdx.json").components;
    return c;
}

const Digest bundle_digest = Sha256::of("the signed manifest");

const Json& named(const Json& list, const std::string& name) {
    for (const Json& item : list)
        if (item["name"] == name) return item;
    FAIL("nothing named " << name);
    throw;
}

}  // namespace

TEST_CASE("readers keep licenses, hashes and the kind of component") {
    sbom::Document cdx = sbom::parse(cyclonedx_packages, "api.cdx.json");
    REQUIRE(cdx.components.size() == 4);
    CHECK(cdx.components[0].type == "library");
    CHECK(cdx.components[0].licenses == std::vector<sbom::License>{{sbom::License::Kind::id, "Apache-2.0"}});
    CHECK(cdx.components[0].hashes ==
          std::vector<sbom::Hash>{{"SHA256", std::string(64, 'a')}});  // SPDX spelling, lowercase
    CHECK(cdx.components[1].licenses ==
          std::vector<sbom::License>{{sbom::License::Kind::name, "ACME Proprietary License v2"}});
    CHECK(cdx.components[2].licenses ==
          std::vector<sbom::License>{{sbom::License::Kind::expression, "MIT OR Apache-2.0"}});

    sbom::Document spdx = sbom::parse(spdx_packages, "web.spdx.json");
    REQUIRE(spdx.components.size() == 2);
    const sbom::Component& zlib = spdx.components[0];
    CHECK(zlib.type == "library");  // SOURCE has no CycloneDX type
    CHECK(zlib.licenses == std::vector<sbom::License>{
                               {sbom::License::Kind::expression, "Zlib"}});  // concluded, as declared is NOASSERTION
    CHECK(zlib.hashes.size() == 2);
    CHECK(zlib.hashes[1] == sbom::Hash{"SHA1", "da39a3ee5e6b4b0d3255bfef95601890afd80709"});
    CHECK(spdx.components[1].licenses[0].text == "MIT AND (BSD-2-Clause OR GPL-2.0-only)");
}

TEST_CASE("a license that is neither a license nor an expression is refused, naming the field") {
    std::string text = test::edited(cyclonedx_packages, [](Json& j) {
        j["components"][1]["licenses"][0] = {{"text", "MIT"}};
    });
    CHECK_THROWS_WITH(sbom::parse(text, "api.cdx.json"),
                      Contains("api.cdx.json: $.components[1].licenses[0]") && Contains("\"expression\""));
    text = test::edited(cyclonedx_packages, [](Json& j) {
        j["components"][1]["licenses"][0] = {{"license", {{"url", "x"}}}};
    });
    CHECK_THROWS_WITH(sbom::parse(text, "api.cdx.json"),
                      Contains("$.components[1].licenses[0].license: a license needs an \"id\" or a \"name\""));
    text = test::edited(spdx_packages, [](Json& j) { j["packages"][1]["primaryPackagePurpose"] = "GADGET"; });
    CHECK_THROWS_WITH(sbom::parse(text, "web.spdx.json"),
                      Contains("$.packages[1].primaryPackagePurpose: unknown primary package purpose \"GADGET\""));
}

TEST_CASE("the CycloneDX export nests each image's packages under the image") {
    const std::string text = sbom::write_bundle_cyclonedx(release());
    Json bom = Json::parse(text);
    const Json& api = named(bom["components"], "registry.example.com/platform/api");
    REQUIRE(api["components"].size() == 3);  // the duplicate openssl is dropped
    const Json& openssl = named(api["components"], "openssl");
    CHECK(openssl["bom-ref"] == "image:registry.example.com/platform/api:1.0.0#2");
    CHECK(openssl["licenses"] == Json::parse(R"([{"license": {"id": "Apache-2.0"}}])"));
    CHECK(openssl["hashes"] == Json::parse(R"([{"alg": "SHA-256", "content": ")" + std::string(64, 'a') + R"("}])"));
    CHECK(named(api["components"], "vendored-lib")["type"] == "framework");
    CHECK(named(api["components"], "dual")["licenses"] == Json::parse(R"([{"expression": "MIT OR Apache-2.0"}])"));

    const Json& web = named(bom["components"], "registry.example.com/platform/web");
    const Json& zlib = named(web["components"], "zlib");
    CHECK(zlib["licenses"] == Json::parse(R"([{"expression": "Zlib"}])"));
    CHECK(zlib["hashes"].size() == 1);  // SHA224 has no CycloneDX name
    CHECK(zlib["hashes"][0]["alg"] == "SHA-1");

    // Packages change the serial number; the same contents in another order do not.
    sbom::BundleContents without = release();
    for (auto& image : without.images) image.packages.clear();
    CHECK(Json::parse(sbom::write_bundle_cyclonedx(without))["serialNumber"] != bom["serialNumber"]);
    sbom::BundleContents reordered = release();
    std::reverse(reordered.images.begin(), reordered.images.end());
    std::reverse(reordered.images[0].packages.begin(), reordered.images[0].packages.end());
    CHECK(sbom::write_bundle_cyclonedx(reordered) == text);
}

TEST_CASE("the SPDX export: the document describes the release, which contains images that contain their packages") {
    std::string text = sbom::write_bundle_spdx(release(), bundle_digest);
    CHECK(sbom::write_bundle_spdx(release(), bundle_digest) == text);
    Json doc = Json::parse(text);
    CHECK(doc["spdxVersion"] == "SPDX-2.3");
    CHECK(doc["documentNamespace"] ==
          "https://sealift.dev/spdxdocs/platform-1.0.0-" + std::string(bundle_digest.hex()));
    CHECK(doc["creationInfo"]["created"] == "2026-11-23T18:00:00Z");

    std::map<std::string, std::string> name_of;
    for (const Json& p : doc["packages"]) name_of[p["SPDXID"]] = p["name"];
    name_of["SPDXRef-DOCUMENT"] = "document";
    std::set<std::string> relations;
    for (const Json& r : doc["relationships"])
        relations.insert(name_of[r["spdxElementId"]] + " " + r["relationshipType"].get<std::string>() + " " +
                         name_of[r["relatedSpdxElement"]]);
    CHECK(relations.count("document DESCRIBES platform"));
    CHECK(doc["relationships"][0] == Json{{"spdxElementId", "SPDXRef-DOCUMENT"},
                                          {"relationshipType", "DESCRIBES"},
                                          {"relatedSpdxElement", "SPDXRef-Release"}});
    CHECK(relations.count("platform CONTAINS registry.example.com/platform/api"));
    CHECK(relations.count("platform CONTAINS platform-core"));
    CHECK(relations.count("platform CONTAINS RELEASE_NOTES.md"));
    CHECK(relations.count("registry.example.com/platform/api CONTAINS openssl"));
    CHECK(relations.count("registry.example.com/platform/web CONTAINS zlib"));
    CHECK(doc["relationships"].size() == doc["packages"].size());  // every package is reached once

    const Json& vendored = named(doc["packages"], "vendored-lib");
    CHECK(vendored["licenseDeclared"] == "LicenseRef-ACME-Proprietary-License-v2");
    CHECK(vendored["primaryPackagePurpose"] == "FRAMEWORK");
    CHECK(
        doc["hasExtractedLicensingInfos"] ==
        Json::parse(
            R"([{"licenseId": "LicenseRef-ACME-Proprietary-License-v2", "extractedText": "ACME Proprietary License v2",
                           "name": "ACME Proprietary License v2"}])"));
    const Json& api = named(doc["packages"], "registry.example.com/platform/api");
    CHECK(api["checksums"][0] == Json{{"algorithm", "SHA256"}, {"checksumValue", std::string(test::api_digest.hex())}});
    CHECK(api["primaryPackagePurpose"] == "CONTAINER");
    CHECK(named(doc["packages"], "zlib")["checksums"].size() == 2);  // SPDX names SHA224 too

    // Sealift's own SPDX reader takes it back: the release is the subject, every other package a component.
    sbom::Document read = sbom::parse(text, "export.spdx.json");
    CHECK(read.subject_name == "platform");
    CHECK(read.components.size() == doc["packages"].size() - 1);

    CHECK_THROWS_WITH(sbom::write_bundle_spdx(release(), Digest{}),
                      "bundle SBOM: no bundle digest to name the SPDX document by");
}

TEST_CASE("both exports pass the schema validator, which refuses broken documents") {
    std::string cdx = sbom::write_bundle_cyclonedx(release());
    std::string spdx = sbom::write_bundle_spdx(release(), bundle_digest);
    CHECK(test::schema_problems("cyclonedx", cdx) == "");
    CHECK(test::schema_problems("spdx", spdx) == "");

    // The validator is not a rubber stamp.
    CHECK_THAT(
        test::schema_problems("cyclonedx", test::edited(cdx, [](Json& j) { j["components"][0]["type"] = "gadget"; })),
        Contains("/components/0/type"));
    CHECK_THAT(test::schema_problems("cyclonedx", test::edited(cdx,
                                                               [](Json& j) {
                                                                   j["components"][0]["components"][0]["licenses"] =
                                                                       Json::parse(
                                                                           R"([{"license": {"id": "Not-A-License"}}])");
                                                               })),
               Contains("/components/0/components/0/licenses/0/license"));
    CHECK_THAT(
        test::schema_problems("spdx", test::edited(spdx, [](Json& j) { j["packages"][1].erase("downloadLocation"); })),
        Contains("downloadLocation"));
    CHECK_THAT(test::schema_problems(
                   "spdx", test::edited(
                               spdx, [](Json& j) { j["relationships"][1]["relatedSpdxElement"] = "SPDXRef-Nothing"; })),
               Contains("SPDXRef-Nothing is no element of the document"));
    CHECK_THAT(
        test::schema_problems("spdx", test::edited(spdx, [](Json& j) { j["packages"][1]["SPDXID"] = "SPDXRef-a_b"; })),
        Contains("/packages/1/SPDXID"));
}
