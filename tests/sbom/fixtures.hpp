// SBOM fixtures built in code: the CycloneDX 1.5 document the test corpus
// (scripts/make-corpus.py) writes for each image, and a way to break one
// field of a document at a time.
#pragma once

#include <functional>
#include <string>

#include "core/digest.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "sbom/sbom.hpp"

namespace sealift::test {

inline const Digest api_digest = Sha256::of("api manifest");
inline const Digest web_digest = Sha256::of("web manifest");

// Same shape as make-corpus.py's write_sbom: metadata.component is the image
// (name = repository, version = tag, pkg:oci purl with the manifest digest),
// library components (there one per package in the image's layers), keys
// sorted, indent 1.
inline Json corpus_cyclonedx_json(const std::string& repo, const std::string& tag, const Digest& digest) {
    std::string hex(digest.hex());
    Json components = Json::array();
    for (int i = 0; i < 40; ++i)
        components.push_back({{"type", "library"},
                              {"name", "lib" + std::to_string(1000 + i)},
                              {"version", std::to_string(i % 9) + "." + std::to_string(i % 20) + ".1"},
                              {"purl", "pkg:deb/debian/lib" + std::to_string(i) + "@1." + std::to_string(i)}});
    std::string last = repo.substr(repo.rfind('/') + 1);
    return {{"bomFormat", "CycloneDX"},
            {"specVersion", "1.5"},
            {"version", 1},
            {"metadata",
             {{"timestamp", "2023-11-14T22:13:20Z"},
              {"component",
               {{"type", "container"},
                {"name", repo},
                {"version", tag},
                {"purl", "pkg:oci/" + last + "@sha256%3A" + hex}}}}},
            {"components", components}};
}

inline std::string corpus_cyclonedx(const std::string& repo = "registry.example.com/platform/api",
                                    const std::string& tag = "1.0.0", const Digest& digest = api_digest) {
    return corpus_cyclonedx_json(repo, tag, digest).dump(1);
}

// A release as the builder describes it to the bundle SBOM writers: two images
// (a manifest and an index), two charts, an SBOM and release notes.
inline sbom::BundleContents bundle_contents() {
    sbom::BundleContents c;
    c.name = "platform";
    c.version = "1.0.0";
    c.channel = "stable";
    c.timestamp = parse_time("2026-11-23T18:00:00Z");
    c.images = {
        {"registry.example.com/platform/web:1.0.0", web_digest, "application/vnd.oci.image.manifest.v1+json", {}},
        {"registry.example.com/platform/api:1.0.0", api_digest, "application/vnd.oci.image.index.v1+json", {}}};
    c.charts = {{"platform-core", "1.0.0", "1.0.0", "charts/platform-core-1.0.0.tgz", Sha256::of("core chart")},
                {"platform-edge", "1.0.0", "", "charts/platform-edge-1.0.0.tgz", Sha256::of("edge chart")}};
    c.files = {{"sboms/registry.example.com_platform_api.cdx.json", Sha256::of("api sbom"), "sbom"},
               {"RELEASE_NOTES.md", Sha256::of("notes"), "release-notes"}};
    return c;
}

// `text` parsed, changed by `change`, and written back.
inline std::string edited(const std::string& text, const std::function<void(Json&)>& change) {
    Json json = Json::parse(text);
    change(json);
    return json.dump(1);
}

inline const char* spdx_document = R"({
  "spdxVersion": "SPDX-2.3",
  "dataLicense": "CC0-1.0",
  "SPDXID": "SPDXRef-DOCUMENT",
  "name": "registry.example.com/platform/web-1.0.0",
  "documentNamespace": "https://example.com/spdxdocs/web-1.0.0-4b2c",
  "creationInfo": {"created": "2024-05-01T10:00:00Z", "creators": ["Tool: example-sbom-1.2"]},
  "packages": [
    {"SPDXID": "SPDXRef-Package-openssl", "name": "openssl", "versionInfo": "3.0.11-1",
     "downloadLocation": "NOASSERTION",
     "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                       "referenceLocator": "pkg:deb/debian/openssl@3.0.11-1?arch=amd64"}]},
    {"SPDXID": "SPDXRef-DocumentRoot-Image-web", "name": "registry.example.com/platform/web", "versionInfo": "1.0.0",
     "downloadLocation": "NOASSERTION", "primaryPackagePurpose": "CONTAINER",
     "checksums": [{"algorithm": "SHA256", "checksumValue": "WEB_HEX"}],
     "externalRefs": [{"referenceCategory": "PACKAGE_MANAGER", "referenceType": "purl",
                       "referenceLocator": "pkg:oci/web@sha256%3AWEB_HEX?repository_url=registry.example.com/platform/web&tag=1.0.0"}]},
    {"SPDXID": "SPDXRef-Package-zlib", "name": "zlib", "versionInfo": "1.2.13", "downloadLocation": "NONE"}
  ],
  "files": [
    {"SPDXID": "SPDXRef-File-etc-os-release", "fileName": "/etc/os-release",
     "checksums": [{"algorithm": "SHA1", "checksumValue": "da39a3ee5e6b4b0d3255bfef95601890afd80709"}]}
  ],
  "relationships": [
    {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-DocumentRoot-Image-web"},
    {"spdxElementId": "SPDXRef-DocumentRoot-Image-web", "relationshipType": "CONTAINS", "relatedSpdxElement": "SPDXRef-Package-openssl"}
  ]
})";

// The SPDX fixture with the web image's digest filled in.
inline std::string spdx_web() {
    std::string text = spdx_document;
    std::string hex(web_digest.hex());
    for (std::size_t at; (at = text.find("WEB_HEX")) != std::string::npos;) text.replace(at, 7, hex);
    return text;
}

}  // namespace sealift::test
