#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "core/error.hpp"
#include "core/json.hpp"
#include "fixtures.hpp"
#include "sbom/sbom.hpp"

using namespace sealift;
using Catch::Contains;

namespace {

const Json* component_named(const Json& bom, const std::string& name) {
    for (const Json& c : bom["components"])
        if (c["name"] == name) return &c;
    return nullptr;
}

}  // namespace

TEST_CASE("the bundle SBOM is deterministic, whatever the order of its inputs") {
    sbom::BundleContents c = test::bundle_contents();
    std::string first = sbom::write_bundle_cyclonedx(c);
    CHECK(sbom::write_bundle_cyclonedx(c) == first);
    std::reverse(c.images.begin(), c.images.end());
    std::reverse(c.charts.begin(), c.charts.end());
    std::reverse(c.files.begin(), c.files.end());
    CHECK(sbom::write_bundle_cyclonedx(c) == first);
    CHECK(first.back() == '\n');
    CHECK(first.find("\n  \"bomFormat\": \"CycloneDX\",\n") != std::string::npos);  // pretty-printed
}

TEST_CASE("the bundle SBOM's serial number is a UUID derived from the content") {
    Json a = Json::parse(sbom::write_bundle_cyclonedx(test::bundle_contents()));
    std::string serial = a["serialNumber"];
    REQUIRE(serial.size() == 45);
    CHECK(serial.substr(0, 9) == "urn:uuid:");
    CHECK(serial[23] == '8');                                          // version 8, name-based from SHA-256
    CHECK(std::string("89ab").find(serial[28]) != std::string::npos);  // RFC 4122 variant

    sbom::BundleContents changed = test::bundle_contents();
    changed.files[1].digest = Sha256::of("other notes");
    CHECK(Json::parse(sbom::write_bundle_cyclonedx(changed))["serialNumber"] != serial);
    changed = test::bundle_contents();
    changed.timestamp += std::chrono::seconds(1);
    CHECK(Json::parse(sbom::write_bundle_cyclonedx(changed))["serialNumber"] != serial);
}

TEST_CASE("the bundle SBOM reads back through parse") {
    std::string text = sbom::write_bundle_cyclonedx(test::bundle_contents());
    sbom::Document doc = sbom::parse(text, "sealift/sbom.cdx.json");
    CHECK(doc.format == sbom::Format::cyclonedx);
    CHECK(doc.spec_version == "1.5");
    CHECK(doc.subject_name == "platform");
    CHECK(doc.subject_version == "1.0.0");
    CHECK_FALSE(doc.subject_digest);
    REQUIRE(doc.components.size() == 6);
    CHECK(doc.components[0].name == "registry.example.com/platform/api");
    CHECK(doc.components[0].version == "1.0.0");
    CHECK(doc.components[0].purl == "pkg:oci/api@sha256%3A" + std::string(test::api_digest.hex()) +
                                        "?repository_url=registry.example.com/platform/api&tag=1.0.0");
    CHECK(doc.components[2].purl == "pkg:helm/platform-core@1.0.0");
    CHECK(doc.components[4].name == "RELEASE_NOTES.md");
}

TEST_CASE("the bundle SBOM follows the CycloneDX 1.5 schema") {
    Json bom = Json::parse(sbom::write_bundle_cyclonedx(test::bundle_contents()));
    CHECK(bom["$schema"] == "http://cyclonedx.org/schema/bom-1.5.schema.json");
    CHECK(bom["bomFormat"] == "CycloneDX");
    CHECK(bom["specVersion"] == "1.5");
    CHECK(bom["version"] == 1);
    CHECK(bom["metadata"]["timestamp"] == "2026-11-23T18:00:00Z");
    CHECK(bom["metadata"]["tools"]["components"][0]["name"] == "sealift");
    const Json& subject = bom["metadata"]["component"];
    CHECK(subject["type"] == "application");
    CHECK(subject["properties"][0] == Json({{"name", "sealift:channel"}, {"value", "stable"}}));

    std::set<std::string> refs{subject["bom-ref"].get<std::string>()};
    for (const Json& c : bom["components"]) {
        CHECK(refs.insert(c["bom-ref"].get<std::string>()).second);
        CHECK(std::set<std::string>{"container", "application", "file"}.count(c["type"].get<std::string>()) == 1);
        REQUIRE(c["hashes"].size() == 1);
        CHECK(c["hashes"][0]["alg"] == "SHA-256");
        CHECK(c["hashes"][0]["content"].get<std::string>().size() == 64);
    }
    const Json* api = component_named(bom, "registry.example.com/platform/api");
    REQUIRE(api);
    CHECK((*api)["type"] == "container");
    CHECK((*api)["mime-type"] == "application/vnd.oci.image.index.v1+json");
    CHECK((*api)["hashes"][0]["content"] == std::string(test::api_digest.hex()));
    const Json* notes = component_named(bom, "RELEASE_NOTES.md");
    REQUIRE(notes);
    CHECK((*notes)["type"] == "file");
    CHECK((*notes)["properties"][0]["value"] == "release-notes");
    const Json* edge = component_named(bom, "platform-edge");
    REQUIRE(edge);
    CHECK((*edge)["type"] == "application");
    CHECK((*edge)["properties"].size() == 1);  // no appVersion given

    REQUIRE(bom["dependencies"].size() == 1);
    CHECK(bom["dependencies"][0]["ref"] == subject["bom-ref"]);
    CHECK(bom["dependencies"][0]["dependsOn"].size() == 6);
}

TEST_CASE("image purls follow the oci type: lowercase last segment, encoded digest, location qualifiers") {
    sbom::BundleContents c = test::bundle_contents();
    c.images = {{"localhost:5000/team/Tools/cli@" + test::api_digest.str(), test::api_digest, ""}};
    // Uppercase is not a valid repository: the reference is refused, naming it.
    CHECK_THROWS_WITH(sbom::write_bundle_cyclonedx(c),
                      Contains("bundle SBOM: invalid image reference 'localhost:5000/team/Tools/cli@"));
    c.images = {{"localhost:5000/team/tools/cli@" + test::api_digest.str(), test::api_digest, ""}};
    Json bom = Json::parse(sbom::write_bundle_cyclonedx(c));
    const Json* cli = component_named(bom, "localhost:5000/team/tools/cli");
    REQUIRE(cli);
    CHECK((*cli)["purl"] == "pkg:oci/cli@sha256%3A" + std::string(test::api_digest.hex()) +
                                "?repository_url=localhost%3A5000/team/tools/cli");
    CHECK((*cli)["version"] == test::api_digest.str());
    CHECK_FALSE(cli->contains("mime-type"));
}

TEST_CASE("the bundle SBOM refuses contents it cannot describe faithfully") {
    sbom::BundleContents c = test::bundle_contents();
    c.images.push_back(c.images[0]);
    CHECK_THROWS_WITH(
        sbom::write_bundle_cyclonedx(c),
        Contains("bundle SBOM: two components would have the bom-ref image:registry.example.com/platform/web:1.0.0"));
    c = test::bundle_contents();
    c.images[0].ref += "@" + test::api_digest.str();
    CHECK_THROWS_WITH(sbom::write_bundle_cyclonedx(c), Contains("names a digest other than its manifest digest"));
    c = test::bundle_contents();
    c.files[0].digest = Digest();
    CHECK_THROWS_WITH(sbom::write_bundle_cyclonedx(c),
                      Contains("bundle SBOM: file sboms/registry.example.com_platform_api.cdx.json has no digest"));
    c = test::bundle_contents();
    c.name = "bad\xff";
    CHECK_THROWS_WITH(sbom::write_bundle_cyclonedx(c), Contains("bundle SBOM: a name is not valid UTF-8"));
    c = test::bundle_contents();
    c.version.clear();
    CHECK_THROWS_WITH(sbom::write_bundle_cyclonedx(c), Contains("the release has no name or version"));
}
