// The layout check of a delta bundle: a layer may be left to the base only when
// the signed manifest lists it as external, with the same size.
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "core/json.hpp"
#include "verify/layout_check.hpp"

using namespace sealift;
using namespace sealift::manifests;

namespace {

const std::string kConfig = R"({"architecture":"amd64","os":"linux"})";
const std::string kLayer(1000, 'l');

struct DeltaLayout {
    BundleManifest m;
    std::string manifest_json, index_json;

    // `config_external`: the manifest's config is left out instead of a layer.
    explicit DeltaLayout(std::uint64_t external_size = 1000, bool config_external = false, bool orphan = false) {
        Json manifest = {{"schemaVersion", 2},
                         {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                         {"config",
                          {{"mediaType", "application/vnd.oci.image.config.v1+json"},
                           {"digest", Sha256::of(kConfig).str()},
                           {"size", kConfig.size()}}},
                         {"layers",
                          {{{"mediaType", "application/vnd.oci.image.layer.v1.tar"},
                            {"digest", Sha256::of(kLayer).str()},
                            {"size", kLayer.size()}}}}};
        manifest_json = manifest.dump();
        Digest md = Sha256::of(manifest_json);
        index_json = Json{{"schemaVersion", 2},
                          {"mediaType", "application/vnd.oci.image.index.v1+json"},
                          {"manifests",
                           {{{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                             {"digest", md.str()},
                             {"size", manifest_json.size()},
                             {"annotations",
                              {{"org.opencontainers.image.ref.name", "registry.example.com/platform/api:1.0.1"}}}}}}}
                         .dump();
        m.name = "platform";
        m.version = SemVer::parse("1.0.1");
        m.images = {{"registry.example.com/platform/api:1.0.1", md, "application/vnd.oci.image.manifest.v1+json",
                     manifest_json.size()}};
        m.entries = {
            {"images/index.json", index_json.size(), Sha256::of(index_json), "application/vnd.oci.image.index.v1+json"},
            {"images/oci-layout", 30, Sha256::of(R"({"imageLayoutVersion":"1.0.0"})"),
             "application/vnd.oci.layout.header.v1+json"},
            {bundle_paths::blob(md), manifest_json.size(), md, "application/vnd.oci.image.manifest.v1+json"}};
        const std::string& kept = config_external ? kLayer : kConfig;
        const std::string& left = config_external ? kConfig : kLayer;
        m.entries.push_back(
            {bundle_paths::blob(Sha256::of(kept)), kept.size(), Sha256::of(kept),
             config_external ? "application/vnd.oci.image.layer.v1.tar" : "application/vnd.oci.image.config.v1+json"});
        std::sort(m.entries.begin(), m.entries.end(), [](auto& a, auto& b) { return a.path < b.path; });
        m.base = BundleBase{"platform", SemVer::parse("1.0.0"), Channel::stable, Sha256::of("base")};
        m.external_blobs = {{Sha256::of(left), external_size}};
        if (orphan) m.external_blobs.push_back({Sha256::of("nobody uses this"), 5});
        std::sort(m.external_blobs.begin(), m.external_blobs.end(),
                  [](auto& a, auto& b) { return a.digest < b.digest; });
    }

    void check() const {
        verify::LayoutCheck layout(m);
        for (const auto& e : m.entries) {
            if (!layout.wants_content(e)) continue;
            std::string bytes = e.path == "images/oci-layout"     ? R"({"imageLayoutVersion":"1.0.0"})"
                                : e.path == "images/index.json"   ? index_json
                                : e.digest == Sha256::of(kConfig) ? kConfig
                                                                  : manifest_json;
            layout.add_json(e, bytes);
        }
        layout.finish();
    }
};

}  // namespace

TEST_CASE("a layer listed as external completes the layout") { CHECK_NOTHROW(DeltaLayout().check()); }

TEST_CASE("an external blob whose size differs from the layer descriptor is refused") {
    CHECK_THROWS_WITH(DeltaLayout(999).check(),
                      Catch::Contains(Sha256::of(kLayer).str()) && Catch::Contains("external blob of 999"));
}

TEST_CASE("a config left to the base is refused: only layers may be") {
    CHECK_THROWS_WITH(DeltaLayout(kConfig.size(), true).check(),
                      Catch::Contains("config references external blob " + Sha256::of(kConfig).str()) &&
                          Catch::Contains("only layers"));
}

TEST_CASE("an external blob no layer uses is refused") {
    CHECK_THROWS_WITH(DeltaLayout(1000, false, true).check(),
                      Catch::Contains("external blob " + Sha256::of("nobody uses this").str() +
                                      " is not referenced by any image layer"));
}

TEST_CASE("without the external list the same layout is incomplete") {
    DeltaLayout d;
    d.m.external_blobs.clear();
    CHECK_THROWS_WITH(d.check(),
                      Catch::Contains("references " + Sha256::of(kLayer).str() + ", which is not in the bundle"));
}

TEST_CASE("a left-out chart's archive may be an external blob no layer uses, also in a delta without images") {
    DeltaLayout d(1000, false, true);
    Digest orphan = Sha256::of("nobody uses this");
    d.m.charts = {{"api", "1.0.1", "", "charts/api-1.0.1.tgz", orphan}};
    CHECK_NOTHROW(d.check());

    BundleManifest charts_only;
    charts_only.name = "platform";
    charts_only.version = SemVer::parse("1.0.1");
    charts_only.base = d.m.base;
    charts_only.external_blobs = {{orphan, 5}};
    charts_only.charts = d.m.charts;
    CHECK_NOTHROW(verify::LayoutCheck(charts_only).finish());
    charts_only.charts.clear();
    CHECK_THROWS_WITH(
        verify::LayoutCheck(charts_only).finish(),
        Catch::Contains("external blob " + orphan.str() + " is not referenced by any image layer or left-out chart"));
}
