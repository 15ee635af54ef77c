#include <catch2/catch.hpp>

#include "core/json.hpp"
#include "mirror/import/artifacts.hpp"
#include "registry/registry_client.hpp"

using namespace sealift;
using namespace sealift::mirror;

TEST_CASE("Helm charts become OCI artifacts with Helm's media types, deterministically") {
    manifests::ChartInfo chart{"platform-core", "1.2.3+build.4", "1.2.3", "v2", "core services", "application"};
    auto d = Sha256::of("chart bytes");
    auto a = make_helm_artifact(chart, d, 11);
    auto b = make_helm_artifact(chart, d, 11);
    CHECK(a.manifest == b.manifest);
    CHECK(a.manifest_digest == Sha256::of(a.manifest));
    auto m = Json::parse(a.manifest);
    CHECK(m["config"]["mediaType"] == "application/vnd.cncf.helm.config.v1+json");
    CHECK(m["layers"][0]["mediaType"] == "application/vnd.cncf.helm.chart.content.v1.tar+gzip");
    CHECK(m["layers"][0]["digest"] == d.str());
    auto config = Json::parse(a.config);
    CHECK(config["name"] == "platform-core");
    CHECK(config["apiVersion"] == "v2");
    CHECK(helm_tag("1.2.3+build.4") == "1.2.3_build.4");
}

TEST_CASE("SBOMs become referrers of their image") {
    auto image = Sha256::of("image manifest");
    auto sbom = Sha256::of("sbom");
    auto a = make_sbom_referrer("application/vnd.cyclonedx+json", sbom, 4, "api.cdx.json",
                                "application/vnd.oci.image.manifest.v1+json", image, 14);
    auto m = Json::parse(a.manifest);
    CHECK(m["artifactType"] == "application/vnd.cyclonedx+json");
    CHECK(m["subject"]["digest"] == image.str());
    CHECK(m["config"]["digest"] == Sha256::of("{}").str());
    CHECK(a.config == "{}");
    CHECK(registry::referrers_fallback_tag(image) == "sha256-" + std::string(image.hex()));
}
