#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "fixtures.hpp"
#include "sbom/sbom.hpp"

using namespace sealift;
using Catch::Contains;

namespace {

// Asserts that parsing `text` fails with a format error whose message contains every part.
void refused(const std::string& text, std::initializer_list<const char*> parts) {
    try {
        sbom::parse(text, "sboms/api.cdx.json");
        FAIL("parsed: " << text.substr(0, 200));
    } catch (const Error& e) {
        CHECK(e.code() == Errc::format);
        std::string message = e.what();
        CHECK_THAT(message, Contains("sboms/api.cdx.json: "));
        for (const char* part : parts) CHECK_THAT(message, Contains(part));
    }
}

const char* cyclonedx_14 = R"({
  "bomFormat": "CycloneDX", "specVersion": "1.4", "version": 3,
  "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
  "metadata": {
    "timestamp": "2024-02-01T08:30:00.123+01:00",
    "tools": [{"vendor": "example", "name": "scanner", "version": "0.9"}],
    "component": {"bom-ref": "root", "type": "container", "name": "platform/api", "version": "1.0.0",
                  "hashes": [{"alg": "SHA-1", "content": "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
                             {"alg": "SHA-256", "content": "HEX"}]}
  },
  "components": [
    {"bom-ref": "c1", "type": "library", "name": "musl", "version": "1.2.4", "purl": "pkg:apk/alpine/musl@1.2.4"},
    {"bom-ref": "c2", "type": "operating-system", "name": "alpine", "version": "3.19"}
  ],
  "dependencies": [{"ref": "root", "dependsOn": ["c1", "c2"]}]
})";

std::string with_hex(std::string text, const Digest& digest) {
    text.replace(text.find("HEX"), 3, std::string(digest.hex()));
    return text;
}

const char* cyclonedx_16 = R"({
  "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
  "bomFormat": "CycloneDX", "specVersion": "1.6",
  "metadata": {"component": {"type": "container", "name": "registry.example.com/platform/api:1.0.0"}},
  "components": [
    {"type": "application", "name": "server", "version": "2.1",
     "components": [{"type": "cryptographic-asset", "name": "tls-key"},
                    {"type": "library", "name": "libssl", "purl": "pkg:generic/libssl@3.1"}]}
  ]
})";

}  // namespace

TEST_CASE("the corpus's CycloneDX 1.5 SBOM parses with its image as subject") {
    sbom::Document doc = sbom::parse(test::corpus_cyclonedx(), "sboms/api.cdx.json");
    CHECK(doc.format == sbom::Format::cyclonedx);
    CHECK(doc.spec_version == "1.5");
    CHECK(doc.subject_name == "registry.example.com/platform/api");
    CHECK(doc.subject_version == "1.0.0");
    CHECK(doc.subject_purl == "pkg:oci/api@sha256%3A" + std::string(test::api_digest.hex()));
    REQUIRE(doc.subject_digest);
    CHECK(*doc.subject_digest == test::api_digest);
    REQUIRE(doc.components.size() == 40);
    CHECK(doc.components[0].name == "lib1000");
    CHECK(doc.components[0].version == "0.0.1");
    CHECK(doc.components[0].purl == "pkg:deb/debian/lib0@1.0");
    CHECK(std::string(sbom::media_type(doc.format)) == "application/vnd.cyclonedx+json");
}

TEST_CASE("a CycloneDX 1.4 SBOM parses; its subject digest comes from the SHA-256 hash") {
    sbom::Document doc = sbom::parse(with_hex(cyclonedx_14, test::api_digest), "old.json");
    CHECK(doc.spec_version == "1.4");
    CHECK(doc.subject_name == "platform/api");
    CHECK(doc.subject_purl.empty());
    REQUIRE(doc.subject_digest);
    CHECK(*doc.subject_digest == test::api_digest);
    REQUIRE(doc.components.size() == 2);
    CHECK(doc.components[0].purl == "pkg:apk/alpine/musl@1.2.4");
    CHECK(doc.components[1].version == "3.19");
}

TEST_CASE("CycloneDX 1.4 requires version and refuses component types added in 1.5") {
    std::string doc = with_hex(cyclonedx_14, test::api_digest);
    refused(test::edited(doc, [](Json& j) { j.erase("version"); }), {"$.version: missing required field"});
    refused(test::edited(doc, [](Json& j) { j["components"][1]["type"] = "platform"; }),
            {"$.components[1].type: unknown component type \"platform\"", "CycloneDX 1.4 allows"});
    CHECK_NOTHROW(sbom::parse(test::edited(doc,
                                           [](Json& j) {
                                               j["specVersion"] = "1.5";
                                               j["components"][1]["type"] = "platform";
                                           }),
                              "x"));
}

TEST_CASE("a CycloneDX 1.6 SBOM parses without a version, nested components flattened") {
    sbom::Document doc = sbom::parse(cyclonedx_16, "new.json");
    CHECK(doc.spec_version == "1.6");
    CHECK(doc.subject_name == "registry.example.com/platform/api:1.0.0");
    CHECK_FALSE(doc.subject_digest);
    REQUIRE(doc.components.size() == 3);
    CHECK(doc.components[0].name == "server");
    CHECK(doc.components[1].name == "tls-key");
    CHECK(doc.components[2].purl == "pkg:generic/libssl@3.1");
    refused(test::edited(cyclonedx_16, [](Json& j) { j["version"] = 0; }), {"$.version: must be at least 1"});
    refused(test::edited(cyclonedx_16, [](Json& j) { j["version"] = "1"; }),
            {"$.version: must be an integer, found string"});
    refused(test::edited(cyclonedx_16, [](Json& j) { j["components"][0]["components"][1].erase("name"); }),
            {"$.components[0].components[1].name: missing required field"});
}

TEST_CASE("an SPDX 2.3 SBOM parses with the described package as subject") {
    sbom::Document doc = sbom::parse(test::spdx_web(), "sboms/web.spdx.json");
    CHECK(doc.format == sbom::Format::spdx);
    CHECK(doc.spec_version == "SPDX-2.3");
    CHECK(doc.subject_name == "registry.example.com/platform/web");
    CHECK(doc.subject_version == "1.0.0");
    CHECK_THAT(doc.subject_purl, Catch::StartsWith("pkg:oci/web@sha256%3A"));
    REQUIRE(doc.subject_digest);
    CHECK(*doc.subject_digest == test::web_digest);
    REQUIRE(doc.components.size() == 2);
    CHECK(doc.components[0].name == "openssl");
    CHECK(doc.components[0].purl == "pkg:deb/debian/openssl@3.0.11-1?arch=amd64");
    CHECK(doc.components[1].name == "zlib");
    CHECK(std::string(sbom::media_type(doc.format)) == "application/spdx+json");
}

TEST_CASE("SPDX: documentDescribes names the subject; a checksum gives its digest") {
    std::string text = test::edited(test::spdx_web(), [](Json& j) {
        j.erase("relationships");
        j["documentDescribes"] = {"SPDXRef-DocumentRoot-Image-web"};
        j["packages"][1].erase("externalRefs");
    });
    sbom::Document doc = sbom::parse(text, "web.spdx.json");
    CHECK(doc.subject_name == "registry.example.com/platform/web");
    CHECK(doc.subject_purl.empty());
    REQUIRE(doc.subject_digest);
    CHECK(*doc.subject_digest == test::web_digest);
}

TEST_CASE("SPDX: a document that describes nothing has no subject, every package a component") {
    sbom::Document doc = sbom::parse(test::edited(test::spdx_web(), [](Json& j) { j.erase("relationships"); }), "x");
    CHECK(doc.subject_name.empty());
    CHECK_FALSE(doc.subject_digest);
    CHECK(doc.components.size() == 3);
}

TEST_CASE("broken CycloneDX documents are refused naming the field") {
    std::string good = test::corpus_cyclonedx();
    refused(test::edited(good, [](Json& j) { j["bomFormat"] = "SPDX"; }),
            {"$.bomFormat: must be \"CycloneDX\", found \"SPDX\""});
    refused(test::edited(good, [](Json& j) { j["specVersion"] = "1.2"; }),
            {"$.specVersion: unsupported CycloneDX version \"1.2\" (supported: 1.4, 1.5, 1.6)"});
    refused(test::edited(good, [](Json& j) { j["specVersion"] = 1.5; }),
            {"$.specVersion: must be a string, found number"});
    refused(test::edited(good, [](Json& j) { j.erase("bomFormat"); }), {"$.bomFormat: missing required field"});
    refused(test::edited(good, [](Json& j) { j["components"][3].erase("name"); }),
            {"$.components[3].name: missing required field"});
    refused(test::edited(good, [](Json& j) { j["components"][3]["name"] = 7; }),
            {"$.components[3].name: must be a string, found number"});
    refused(test::edited(good, [](Json& j) { j["components"][0].erase("type"); }),
            {"$.components[0].type: missing required field"});
    refused(test::edited(good, [](Json& j) { j["components"][0]["type"] = "widget"; }),
            {"unknown component type \"widget\""});
    refused(test::edited(good, [](Json& j) { j["components"] = Json::object(); }),
            {"$.components: must be an array, found object"});
    refused(test::edited(good, [](Json& j) { j["components"][2] = "lib"; }),
            {"$.components[2]: must be an object, found string"});
    refused(test::edited(good, [](Json& j) { j["components"][5] = j["components"][4]; }),
            {"$.components[5]: duplicate component"});
    refused(test::edited(good,
                         [](Json& j) {
                             j["components"][0]["bom-ref"] = "same";
                             j["components"][1]["bom-ref"] = "same";
                         }),
            {"$.components[1].bom-ref: duplicate bom-ref \"same\""});
    refused(test::edited(good,
                         [](Json& j) {
                             j["metadata"]["component"]["hashes"] = {{{"alg", "SHA256"}, {"content", "ab"}}};
                         }),
            {"$.metadata.component.hashes[0].alg: unknown hash algorithm \"SHA256\""});
    refused(test::edited(good,
                         [](Json& j) {
                             j["metadata"]["component"]["hashes"] = {{{"alg", "SHA-256"}, {"content", "xyz"}}};
                         }),
            {"$.metadata.component.hashes[0].content: must be 32, 40, 64, 96 or 128 hex digits"});
    refused(test::edited(good, [](Json& j) { j["metadata"]["component"]["purl"] = "oci/api@sha256:00"; }),
            {"$.metadata.component.purl: invalid package URL \"oci/api@sha256:00\": does not start with \"pkg:\""});
    refused(test::edited(good, [](Json& j) { j["metadata"]["component"]["purl"] = "pkg:oci/api@sha256%3Zab"; }),
            {"$.metadata.component.purl: invalid package URL", "bad percent-encoding in the version"});
    refused(test::edited(good, [](Json& j) { j["components"][0]["purl"] = "pkg:deb"; }),
            {"$.components[0].purl: invalid package URL \"pkg:deb\": has no name after the type"});
    refused(test::edited(good, [](Json& j) { j["serialNumber"] = "urn:uuid:3E671687-395B-41F5-A30F-A58921A69B79"; }),
            {"$.serialNumber: must be urn:uuid:<lowercase UUID>"});
    refused(test::edited(good, [](Json& j) { j["metadata"]["timestamp"] = "14 Nov 2023"; }),
            {"$.metadata.timestamp: must be an RFC 3339 date-time"});
    refused(test::edited(good,
                         [](Json& j) {
                             j["dependencies"] = {{{"dependsOn", Json::array()}}};
                         }),
            {"$.dependencies[0].ref: missing required field"});
}

TEST_CASE("broken SPDX documents are refused naming the field") {
    std::string good = test::spdx_web();
    refused(test::edited(good, [](Json& j) { j.erase("spdxVersion"); }), {"$.spdxVersion: missing required field"});
    refused(test::edited(good, [](Json& j) { j["spdxVersion"] = "SPDX-2.2"; }),
            {"$.spdxVersion: unsupported SPDX version \"SPDX-2.2\" (supported: SPDX-2.3)"});
    refused(test::edited(good, [](Json& j) { j["dataLicense"] = "MIT"; }),
            {"$.dataLicense: must be \"CC0-1.0\", found \"MIT\""});
    refused(test::edited(good, [](Json& j) { j["SPDXID"] = "SPDXRef-Doc"; }),
            {"$.SPDXID: must be \"SPDXRef-DOCUMENT\""});
    refused(test::edited(good, [](Json& j) { j.erase("name"); }), {"$.name: missing required field"});
    refused(test::edited(good, [](Json& j) { j["documentNamespace"] = "https://example.com/x#y"; }),
            {"$.documentNamespace: must be a URI without a '#' part"});
    refused(test::edited(good, [](Json& j) { j["creationInfo"]["created"] = "2024-05-01 10:00"; }),
            {"$.creationInfo.created: must be a UTC time YYYY-MM-DDTHH:MM:SSZ"});
    refused(test::edited(good, [](Json& j) { j["creationInfo"]["creators"] = Json::array(); }),
            {"$.creationInfo.creators: must name at least one creator"});
    refused(test::edited(good, [](Json& j) { j["packages"][2].erase("downloadLocation"); }),
            {"$.packages[2].downloadLocation: missing required field"});
    refused(test::edited(good, [](Json& j) { j["packages"][0]["SPDXID"] = "Package-openssl"; }),
            {"$.packages[0].SPDXID: must be SPDXRef- followed by"});
    refused(test::edited(good, [](Json& j) { j["packages"][2]["SPDXID"] = "SPDXRef-Package-openssl"; }),
            {"$.packages[2].SPDXID: duplicate SPDXID \"SPDXRef-Package-openssl\""});
    refused(test::edited(good, [](Json& j) { j["packages"][1]["checksums"][0]["algorithm"] = "SHA-256"; }),
            {"$.packages[1].checksums[0].algorithm: unknown checksum algorithm \"SHA-256\""});
    refused(test::edited(good, [](Json& j) { j["packages"][0]["externalRefs"][0]["referenceCategory"] = "PACKAGE"; }),
            {"$.packages[0].externalRefs[0].referenceCategory: unknown reference category \"PACKAGE\""});
    refused(test::edited(good, [](Json& j) { j["files"][0].erase("checksums"); }),
            {"$.files[0].checksums: missing required field"});
    refused(test::edited(good, [](Json& j) { j["relationships"][0]["relatedSpdxElement"] = "SPDXRef-Nothing"; }),
            {"$.relationships[0].relatedSpdxElement: the document describes \"SPDXRef-Nothing\", which is no element "
             "of it"});
    refused(test::edited(good, [](Json& j) { j["relationships"][1].erase("relationshipType"); }),
            {"$.relationships[1].relationshipType: missing required field"});
}

TEST_CASE("input that is not a single-valued JSON SBOM is refused") {
    refused(R"({"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "version": 2})",
            {"duplicate JSON key 'version'"});
    refused("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"/>", {"invalid JSON"});
    refused("[1, 2]", {"$: must be an object, found array"});
    refused(R"({"name": "x"})",
            {"$: neither a CycloneDX document (no bomFormat) nor an SPDX document (no spdxVersion)"});
}
