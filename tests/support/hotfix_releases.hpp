// The releases the delta tests cut bundles from: a base and hotfixes of two
// images in which api changes its top layer and web only its tag, with or
// without charts. Shared by delta_test (--base) and site_inventory_test (--site-inventory).
#pragma once

#include <filesystem>
#include <string>

#include "builder/builder.hpp"
#include "support/release_fixture.hpp"

namespace sealift::test {

inline const std::string kShared(300000, 's');                        // both images, every release
inline const std::string kWebLayer(150000, 'w');                      // web, every release
inline const std::string kApiOld(200000, 'o'), kApiNew(200001, 'n');  // the hotfix changes api's top layer

struct HotfixReleases {
    ReleaseFixture fx;  // release keys and trust root

    // Writes images and a release file for `version` of release `name`; returns the YAML path.
    std::filesystem::path release(const std::string& name, const std::string& version, const std::string& api_top) {
        std::string dir = name + "-" + version;
        write_layout(fx.dir / dir, {{"registry.example.com/platform/api:" + version,
                                     {{"application/vnd.oci.image.layer.v1.tar", kShared},
                                      {"application/vnd.oci.image.layer.v1.tar+gzip", api_top}}},
                                    {"registry.example.com/platform/web:" + version,
                                     {{"application/vnd.oci.image.layer.v1.tar", kShared},
                                      {"application/vnd.oci.image.layer.v1.tar", kWebLayer}}}});
        std::filesystem::path yaml = fx.dir / (dir + ".yaml");
        write_text(yaml,
                   "apiVersion: sealift.dev/v1\nkind: Release\nmetadata:\n  name: " + name + "\n  version: " + version +
                       "\n  channel: hotfix\n  created: 2026-01-01T00:00:00Z\nimages:\n  - layout: " + dir + "\n");
        return yaml;
    }
    // Adds two charts to the release file: `unchanged`, the same in every release,
    // and web-chart at `web_version`; packaged at the same fixed time, an unchanged
    // chart packs to the same bytes.
    std::filesystem::path with_charts(const std::filesystem::path& yaml, const std::string& web_version,
                                      const std::string& unchanged) {
        write_text(fx.dir / unchanged / "Chart.yaml",
                   "apiVersion: v2\nname: " + unchanged + "\nversion: 2.0.0\nappVersion: \"2.0\"\n");
        write_text(fx.dir / unchanged / "templates" / "deployment.yaml", "kind: Deployment\n");
        std::string web = "web-chart-" + web_version;
        write_text(fx.dir / web / "Chart.yaml", "apiVersion: v2\nname: web-chart\nversion: " + web_version + "\n");
        write_text(yaml, read_text(yaml) + "charts:\n  - path: " + unchanged + "\n  - path: " + web + "\n");
        return yaml;
    }
    builder::BuildOptions options(const std::filesystem::path& yaml, const std::string& out) {
        builder::BuildOptions o;
        o.release_file = yaml;
        o.key_files = {fx.release_key};
        o.out_dir = fx.dir / out;
        o.expires = "3650d";  // from the fixed issue time, 2026-01-01
        o.quiet = true;
        return o;
    }
};

}  // namespace sealift::test
