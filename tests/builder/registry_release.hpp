// Shared by the registry image tests: a release file whose images come from a
// test registry, and the build options that reach it.
#pragma once

#include <string>

#include "builder/builder.hpp"
#include "support/registry_test_support.hpp"
#include "support/release_fixture.hpp"
#include "support/release_yaml.hpp"

namespace sealift::test {

// metadata.created of these releases: a fixed time, so two builds of one release are the same bytes.
inline const std::string kRegistryReleaseCreated = "\"2025-01-02T03:04:05Z\"";

// Writes fx.dir/release.yaml (created at a fixed time) with these image entries, indented as list items.
inline void write_registry_release(const ReleaseFixture& fx, const std::string& images) {
    write_text(fx.dir / "release.yaml", release_yaml_head({.created = kRegistryReleaseCreated}) + "images:\n" + images);
}

// Builds fx.dir/release.yaml into fx.dir/out, pulling from `server` anonymously.
inline builder::BuildOptions registry_build_options(const ReleaseFixture& fx, const RegistryServer& server,
                                                    const std::string& out) {
    builder::BuildOptions o;
    o.release_file = fx.dir / "release.yaml";
    o.key_files = {fx.release_key};
    o.out_dir = fx.dir / out;
    o.quiet = true;
    o.expires = "3650d";  // from metadata.created, a fixed date in the past
    o.registry = options_for(server, false);
    return o;
}

}  // namespace sealift::test
