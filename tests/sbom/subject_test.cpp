#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "fixtures.hpp"
#include "sbom/sbom.hpp"

using namespace sealift;
using Catch::Contains;

namespace {

const char* api_ref = "registry.example.com/platform/api:1.0.0";

// A CycloneDX subject given by name and version only.
sbom::Document named(const std::string& name, const std::string& version) {
    sbom::Document doc;
    doc.subject_name = name;
    doc.subject_version = version;
    return doc;
}

std::string refusal(const sbom::Document& doc, const char* ref = api_ref, const Digest& digest = test::api_digest) {
    try {
        sbom::check_subject(doc, ref, digest, "sboms/api.cdx.json");
    } catch (const Error& e) {
        CHECK(e.code() == Errc::format);
        return e.what();
    }
    FAIL("check_subject accepted " << doc.subject_name);
    return "";
}

}  // namespace

TEST_CASE("the corpus SBOM describes its image by digest") {
    sbom::Document api = sbom::parse(test::corpus_cyclonedx(), "sboms/api.cdx.json");
    CHECK_NOTHROW(sbom::check_subject(api, api_ref, test::api_digest, "sboms/api.cdx.json"));
    // The digest binds: the same SBOM does not fit another image, even under the same name.
    std::string message = refusal(api, api_ref, test::web_digest);
    CHECK_THAT(
        message,
        Contains("sboms/api.cdx.json: the SBOM describes \"registry.example.com/platform/api\" version \"1.0.0\" (" +
                 test::api_digest.str() + ")"));
    CHECK_THAT(message,
               Contains("not the image registry.example.com/platform/api:1.0.0 (" + test::web_digest.str() + ")"));
    CHECK_THAT(message, Contains("the digests differ"));
}

TEST_CASE("an SBOM for another image is refused, naming both") {
    sbom::Document web =
        sbom::parse(test::corpus_cyclonedx("registry.example.com/platform/web", "1.0.0", test::web_digest), "w");
    std::string message = refusal(web);
    CHECK_THAT(message, Contains("\"registry.example.com/platform/web\""));
    CHECK_THAT(message, Contains("registry.example.com/platform/api:1.0.0"));
    sbom::Document spdx = sbom::parse(test::spdx_web(), "web.spdx.json");
    CHECK_NOTHROW(
        sbom::check_subject(spdx, "registry.example.com/platform/web:1.0.0", test::web_digest, "web.spdx.json"));
    CHECK_THAT(refusal(spdx), Contains("the digests differ"));
}

TEST_CASE("without a digest, the name must be the repository and the version the tag") {
    for (const char* name : {"registry.example.com/platform/api", "platform/api", "api"})
        CHECK_NOTHROW(sbom::check_subject(named(name, "1.0.0"), api_ref, test::api_digest, "a.json"));
    CHECK_NOTHROW(sbom::check_subject(named("api", ""), api_ref, test::api_digest, "a.json"));
    CHECK_NOTHROW(
        sbom::check_subject(named("registry.example.com/platform/api:1.0.0", ""), api_ref, test::api_digest, "a.json"));
    CHECK_NOTHROW(sbom::check_subject(named("nginx", "1.25"), "nginx:1.25", test::api_digest, "a.json"));
    CHECK_NOTHROW(
        sbom::check_subject(named("docker.io/library/nginx", "1.25"), "nginx:1.25", test::api_digest, "a.json"));

    CHECK_THAT(refusal(named("platform/web", "1.0.0")), Contains("the name is not the image's repository"));
    CHECK_THAT(refusal(named("other/api", "1.0.0")), Contains("the name is not the image's repository"));
    CHECK_THAT(refusal(named("api", "0.9.0")), Contains("the version \"0.9.0\" is not the image's tag \"1.0.0\""));
    CHECK_THAT(refusal(named("api:0.9.0", "")), Contains("the version \"0.9.0\" is not the image's tag \"1.0.0\""));
}

TEST_CASE("a subject name carrying a digest is bound by it") {
    CHECK_NOTHROW(sbom::check_subject(named("registry.example.com/platform/api@" + test::api_digest.str(), ""), api_ref,
                                      test::api_digest, "a.json"));
    CHECK_THAT(refusal(named("registry.example.com/platform/api@" + test::web_digest.str(), "")),
               Contains("the digests differ"));
    // A version that is a digest (as some generators write it) is the subject digest.
    sbom::Document doc = sbom::parse(test::edited(test::corpus_cyclonedx(),
                                                  [](Json& j) {
                                                      j["metadata"]["component"].erase("purl");
                                                      j["metadata"]["component"]["version"] = test::web_digest.str();
                                                  }),
                                     "a.json");
    CHECK(doc.subject_digest == test::web_digest);
}

TEST_CASE("an SBOM without a subject, or a bad image reference, is refused") {
    CHECK_THAT(refusal(sbom::Document{}),
               Contains("the SBOM describes no subject") && Contains("the SBOM names no subject"));
    CHECK_THROWS_WITH(sbom::check_subject(named("api", ""), "Registry/API::", test::api_digest, "a.json"),
                      Contains("a.json: invalid image reference"));
}
