// Images named by `ref:` in a release, pulled at build time from a real
// docker-registry: tags and pinned digests, the platforms filter, lock files,
// and the errors a release engineer meets (auth, missing tag, bad content).
#include <catch2/catch.hpp>

#include "builder/builder.hpp"
#include "core/error.hpp"
#include "manifests/oci.hpp"
#include "registry_release.hpp"
#include "verify/verify.hpp"

using namespace sealift;
namespace fs = std::filesystem;
namespace mt = sealift::manifests::media_type;

namespace {

// A registry holding platform/api:1.0.0 (one manifest) and platform/multi:2.0.0
// (an index of linux/amd64 and linux/arm64/v8), and a release that pulls them.
struct RegistryRelease {
    explicit RegistryRelease(test::RegistryServer::Auth auth = test::RegistryServer::Auth::none)
        : server(auth), client(test::options_for(server)) {
        api = test::push_image(client, "platform/api", "1.0.0", 1);
        amd64 = test::push_image(client, "platform/multi", "amd64", 2);
        arm64 = test::push_image(client, "platform/multi", "arm64", 3);
        Json index = {{"schemaVersion", 2},
                      {"mediaType", mt::oci_index},
                      {"manifests",
                       {{{"mediaType", mt::oci_manifest},
                         {"digest", amd64.digest.str()},
                         {"size", amd64.manifest.size()},
                         {"platform", {{"architecture", "amd64"}, {"os", "linux"}}}},
                        {{"mediaType", mt::oci_manifest},
                         {"digest", arm64.digest.str()},
                         {"size", arm64.manifest.size()},
                         {"platform", {{"architecture", "arm64"}, {"os", "linux"}, {"variant", "v8"}}}}}}};
        index_bytes = index.dump(2);
        index_digest = client.put_manifest("platform/multi", "2.0.0", mt::oci_index, index_bytes).digest;
    }

    std::string ref(const std::string& rest) const { return server.host() + "/" + rest; }

    void write_release(const std::string& images) const { test::write_registry_release(fx, images); }

    builder::BuildOptions options(const std::string& out) const {
        auto o = test::registry_build_options(fx, server, out);
        if (server_has_auth) o.registry_credentials = registry::Credentials{server.username(), server.password()};
        return o;
    }

    verify::VerifyReport verify(const fs::path& bundle) const { return verify::verify_bundle(bundle, fx.root(), {}); }

    test::ReleaseFixture fx;  // keys and trust root
    test::RegistryServer server;
    registry::RegistryClient client;
    bool server_has_auth = false;
    test::TestImage api, amd64, arm64;
    std::string index_bytes;
    Digest index_digest;
};

std::string build_error(const builder::BuildOptions& o) {
    return test::error_of([&] { builder::build_bundle(o); }, "BUILT");
}

bool carries(const manifests::BundleManifest& m, const Digest& d) {
    return m.find(manifests::bundle_paths::blob(d)) != nullptr;
}

fs::path blob_data(const test::RegistryServer& server, const Digest& d) {
    std::string hex(d.hex());
    return server.storage() / "docker/registry/v2/blobs/sha256" / hex.substr(0, 2) / hex / "data";
}

}  // namespace

TEST_CASE("a tag in a registry is pulled, and the bundle records the digest it resolved to") {
    RegistryRelease r;
    r.write_release("  - ref: " + r.ref("platform/api:1.0.0") + "\n  - ref: " + r.ref("platform/multi:2.0.0") + "\n");
    auto result = builder::build_bundle(r.options("out"));
    CHECK(result.images == 2);
    auto report = r.verify(result.bundle);
    REQUIRE(report.manifest.images.size() == 2);
    const auto& api = report.manifest.images[0];
    CHECK(api.ref == r.ref("platform/api:1.0.0"));
    CHECK(api.digest == r.api.digest);
    CHECK(api.media_type == mt::oci_manifest);
    CHECK_FALSE(api.source_digest);
    const auto& multi = report.manifest.images[1];
    CHECK(multi.digest == r.index_digest);  // no filter: the registry's own index, every platform
    CHECK(multi.media_type == mt::oci_index);
    CHECK(carries(report.manifest, r.amd64.digest));
    CHECK(carries(report.manifest, r.arm64.digest));
}

TEST_CASE("a pinned reference pulls its digest; without a tag it is refused, as no importer could publish it") {
    RegistryRelease r;
    r.write_release("  - ref: " + r.ref("platform/api:1.0.0@" + r.api.digest.str()) +
                    "\n  - ref: " + r.ref("platform/multi:amd64@" + r.amd64.digest.str()) + "\n");
    auto report = r.verify(builder::build_bundle(r.options("out")).bundle);
    REQUIRE(report.manifest.images.size() == 2);
    CHECK(report.manifest.images[0].digest == r.api.digest);
    CHECK(report.manifest.images[1].ref == r.ref("platform/multi:amd64@" + r.amd64.digest.str()));
    CHECK(report.manifest.images[1].digest == r.amd64.digest);

    SECTION("a digest without a tag is refused before anything is written") {
        r.write_release("  - ref: " + r.ref("platform/multi@" + r.amd64.digest.str()) + "\n");
        CHECK_THAT(build_error(r.options("untagged")),
                   Catch::Contains("has no tag to import it under (name it with both, as " + r.ref("platform/multi") +
                                   ":TAG@" + r.amd64.digest.str() + ")"));
        CHECK_FALSE(std::filesystem::exists(r.fx.dir / "untagged"));
    }

    SECTION("a pinned digest the registry does not have is named") {
        Digest absent = Sha256::of(std::string("no such manifest"));
        r.write_release("  - ref: " + r.ref("platform/api@" + absent.str()) + "\n");
        CHECK_THAT(build_error(r.options("out2")),
                   Catch::Contains("manifest " + absent.str() + " is not in " + r.server.host() + "/platform/api"));
    }
}

TEST_CASE("a platforms filter carries a smaller index and records the registry's") {
    RegistryRelease r;
    r.write_release("  - ref: " + r.ref("platform/multi:2.0.0") + "\n    platforms: [linux/arm64]\n");
    auto result = builder::build_bundle(r.options("out"));
    auto report = r.verify(result.bundle);
    REQUIRE(report.manifest.images.size() == 1);
    const auto& img = report.manifest.images[0];
    REQUIRE(img.source_digest);
    CHECK(*img.source_digest == r.index_digest);
    CHECK(img.digest != r.index_digest);
    CHECK(carries(report.manifest, r.arm64.digest));
    CHECK_FALSE(carries(report.manifest, r.amd64.digest));
    // Same source and filter, same bytes.
    auto again = builder::build_bundle(r.options("again"));
    CHECK(test::read_text(again.bundle) == test::read_text(result.bundle));

    SECTION("listing every platform keeps the registry's index as it is") {
        r.write_release("  - ref: " + r.ref("platform/multi:2.0.0") +
                        "\n    platforms: [linux/amd64, linux/arm64/v8]\n");
        auto all = r.verify(builder::build_bundle(r.options("all")).bundle);
        CHECK(all.manifest.images[0].digest == r.index_digest);
        CHECK_FALSE(all.manifest.images[0].source_digest);
    }
    SECTION("a platform the index lacks is named with those it has") {
        r.write_release("  - ref: " + r.ref("platform/multi:2.0.0") + "\n    platforms: [linux/s390x]\n");
        CHECK_THAT(build_error(r.options("none")), Catch::Contains("no manifest for platform linux/s390x") &&
                                                       Catch::Contains("linux/amd64, linux/arm64/v8"));
    }
    SECTION("a variant must match when given") {
        r.write_release("  - ref: " + r.ref("platform/multi:2.0.0") + "\n    platforms: [linux/arm64/v9]\n");
        CHECK_THAT(build_error(r.options("v9")), Catch::Contains("no manifest for platform linux/arm64/v9"));
    }
}

TEST_CASE("inspect and verify show which registry index a platform-filtered image was cut from") {
    RegistryRelease r;
    r.write_release("  - ref: " + r.ref("platform/multi:2.0.0") +
                    "\n    platforms: [linux/arm64]\n  - ref: " + r.ref("platform/api:1.0.0") + "\n");
    auto result = builder::build_bundle(r.options("out"));
    const std::string bundle = "'" + result.bundle.string() + "'";
    auto text = test::run(test::sealift_binary() + " inspect " + bundle);
    REQUIRE(text.exit_code == 0);
    CHECK_THAT(text.out, Catch::Contains("    platform-filtered from " + r.index_digest.str() + "\n"));
    auto inspected = test::run(test::sealift_binary() + " inspect --json " + bundle);
    REQUIRE(inspected.exit_code == 0);
    Json images = Json::parse(inspected.out)["images"];
    REQUIRE(images.size() == 2);
    CHECK_FALSE(images[0].contains("sourceDigest"));  // platform/api: the registry's own manifest
    CHECK(images[1]["ref"] == r.ref("platform/multi:2.0.0"));
    CHECK(images[1]["sourceDigest"] == r.index_digest.str());
    CHECK(images[1]["digest"] != r.index_digest.str());
    auto verified = test::run(test::sealift_binary() + " verify -q --json " + bundle + " --trust '" +
                              r.fx.trust_file.string() + "'");
    REQUIRE(verified.exit_code == 0);
    CHECK(Json::parse(verified.out)["images"] == images);  // one layout for both
}

TEST_CASE("a lock file pins what tags resolved to, so a rebuild is byte-identical after the tag moved") {
    RegistryRelease r;
    r.write_release("  - ref: " + r.ref("platform/api:1.0.0") + "\n  - ref: " + r.ref("platform/multi:2.0.0") +
                    "\n    platforms: [linux/amd64]\n");
    auto o = r.options("first");
    o.write_lock = r.fx.dir / "release.lock.json";
    auto first = builder::build_bundle(o);
    auto lock = Json::parse(test::read_text(*o.write_lock));
    REQUIRE(lock["images"].size() == 2);
    CHECK(lock["images"][0]["ref"] == r.ref("platform/api:1.0.0"));
    CHECK(lock["images"][0]["digest"] == r.api.digest.str());
    CHECK(lock["images"][1]["digest"] == r.index_digest.str());  // the registry's index, not the filtered copy
    CHECK(lock["lockVersion"] == 1);

    auto moved = test::push_image(r.client, "platform/api", "1.0.0", 99);
    REQUIRE(moved.digest != r.api.digest);

    auto pinned = r.options("pinned");
    pinned.from_lock = *o.write_lock;
    auto rebuilt = builder::build_bundle(pinned);
    CHECK(test::read_text(rebuilt.bundle) == test::read_text(first.bundle));

    auto unpinned = builder::build_bundle(r.options("unpinned"));
    auto report = r.verify(unpinned.bundle);
    CHECK(report.manifest.images[0].digest == moved.digest);
    CHECK(unpinned.manifest_digest != first.manifest_digest);

    SECTION("the release's lock: key does the same") {
        test::write_text(r.fx.dir / "release.yaml",
                         test::release_yaml_head({.created = test::kRegistryReleaseCreated}) +
                             "lock: release.lock.json\nimages:\n  - ref: " + r.ref("platform/api:1.0.0") +
                             "\n  - ref: " + r.ref("platform/multi:2.0.0") + "\n    platforms: [linux/amd64]\n");
        auto from_key = builder::build_bundle(r.options("from-key"));
        CHECK(test::read_text(from_key.bundle) == test::read_text(first.bundle));
    }
    SECTION("an image the lock file does not list is named") {
        test::write_text(*o.write_lock, "{\"images\":[],\"lockVersion\":1}\n");
        CHECK_THAT(build_error(pinned), Catch::Contains("image " + r.ref("platform/api:1.0.0") +
                                                        " is not in --from-lock " + o.write_lock->string()));
    }
    SECTION("a damaged lock file is named") {
        test::write_text(*o.write_lock, "{\"images\":[{\"ref\":\"" + r.ref("platform/api:1.0.0") +
                                            "\",\"digest\":\"sha256:abc\"}],\"lockVersion\":1}\n");
        CHECK_THAT(build_error(pinned), Catch::Contains("lock file " + o.write_lock->string() + " images[0]") &&
                                            Catch::Contains("is not a sha256 digest"));
    }
}

TEST_CASE("registry errors name the registry, the image and the reason") {
    SECTION("a tag the repository lacks") {
        RegistryRelease r;
        r.write_release("  - ref: " + r.ref("platform/api:9.9.9") + "\n");
        CHECK_THAT(build_error(r.options("out")),
                   Catch::Contains("tag '9.9.9' is not in " + r.server.host() + "/platform/api"));
    }
    SECTION("a layer whose bytes the registry serves wrong is refused naming its digest") {
        RegistryRelease r;
        auto manifest = Json::parse(r.api.manifest);
        Digest layer = Digest::parse(manifest["layers"][0]["digest"].get<std::string>());
        std::string bytes = test::read_text(blob_data(r.server, layer));
        bytes[10] ^= 1;
        test::write_text(blob_data(r.server, layer), bytes);
        r.write_release("  - ref: " + r.ref("platform/api:1.0.0") + "\n");
        auto o = r.options("out");
        CHECK_THAT(build_error(o), Catch::Contains(layer.str()) && Catch::Contains("hashes to"));
        CHECK_FALSE(fs::exists(o.out_dir / "platform-1.0.0-stable.bundle"));
    }
    SECTION("a manifest whose bytes the registry serves wrong is refused naming its digest") {
        RegistryRelease r;
        std::string bytes = test::read_text(blob_data(r.server, r.amd64.digest));
        auto indent = bytes.find("\n  ");  // still JSON, other bytes
        REQUIRE(indent != std::string::npos);
        bytes[indent + 1] = '\t';
        test::write_text(blob_data(r.server, r.amd64.digest), bytes);
        r.write_release("  - ref: " + r.ref("platform/multi:2.0.0") + "\n");
        CHECK_THAT(build_error(r.options("out")),
                   Catch::Contains("get manifest " + r.amd64.digest.str()) && Catch::Contains("but the bytes hash to"));
    }
}

TEST_CASE("registries with basic auth take the build's credentials") {
    RegistryRelease r(test::RegistryServer::Auth::basic);
    r.server_has_auth = true;
    r.write_release("  - ref: " + r.ref("platform/api:1.0.0") + "\n");
    CHECK(r.verify(builder::build_bundle(r.options("out")).bundle).manifest.images[0].digest == r.api.digest);

    auto wrong = r.options("wrong");
    wrong.registry_credentials = registry::Credentials{r.server.username(), "not-the-password"};
    CHECK_THAT(build_error(wrong), Catch::Contains(r.server.host()) && Catch::Contains("HTTP 401"));
}
