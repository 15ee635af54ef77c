#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "manifests/reference.hpp"

using namespace sealift;
using manifests::ImageReference;

namespace {
const std::string hex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

std::string normalised(std::string_view text) { return ImageReference::parse(text, "test").str(); }
}  // namespace

TEST_CASE("references are normalised as Docker does") {
    CHECK(normalised("nginx") == "docker.io/library/nginx:latest");
    CHECK(normalised("nginx:1.25") == "docker.io/library/nginx:1.25");
    CHECK(normalised("bitnami/redis") == "docker.io/bitnami/redis:latest");
    CHECK(normalised("index.docker.io/nginx") == "docker.io/library/nginx:latest");
    CHECK(normalised("docker.io/nginx") == "docker.io/library/nginx:latest");
    CHECK(normalised("localhost/app") == "localhost/app:latest");
    CHECK(normalised("nginx@sha256:" + hex64) == "docker.io/library/nginx@sha256:" + hex64);
}

TEST_CASE("registry, repository, tag and digest are split by the distribution grammar") {
    auto r = ImageReference::parse("registry.example.com:5000/platform/api:1.0.0@sha256:" + hex64, "test");
    CHECK(r.registry == "registry.example.com:5000");
    CHECK(r.repository == "platform/api");
    CHECK(r.tag == "1.0.0");
    REQUIRE(r.digest);
    CHECK(r.digest->str() == "sha256:" + hex64);
    CHECK(r.name() == "registry.example.com:5000/platform/api");
    CHECK(r.str() == "registry.example.com:5000/platform/api:1.0.0@sha256:" + hex64);

    auto port_no_tag = ImageReference::parse("localhost:5000/a/b", "test");
    CHECK(port_no_tag.registry == "localhost:5000");
    CHECK(port_no_tag.repository == "a/b");
    CHECK(port_no_tag.tag == "latest");

    CHECK(ImageReference::parse("[::1]:5000/app:v1", "test").registry == "[::1]:5000");
    CHECK(ImageReference::parse("Registry.Example.com/app", "test").registry == "Registry.Example.com");
    CHECK(ImageReference::parse("a/b__c/d-e---f.g_h:V_1.x-Y", "test").repository == "a/b__c/d-e---f.g_h");
    CHECK(ImageReference::parse("ghcr.io/org/app:" + std::string(128, 'x'), "test").tag.size() == 128);
}

TEST_CASE("bad references name the reference and the bad part") {
    auto bad = [](const std::string& text, const std::string& part) {
        CHECK_THROWS_WITH(
            ImageReference::parse(text, "release.yaml images[3]"),
            Catch::Contains("release.yaml images[3]: invalid image reference '" + text + "'") && Catch::Contains(part));
    };
    bad("", "reference is empty");
    bad("Nginx", "repository 'Nginx' must be lowercase");
    bad("registry.example.com/Platform/api", "must be lowercase");
    bad("nginx:", "tag '' is not valid");
    bad("nginx:-dash", "tag '-dash' is not valid");
    bad("nginx:" + std::string(129, 'x'), "is not valid");
    bad("registry.example.com/a//b", "empty path component");
    bad("registry.example.com/", "repository is missing");
    bad(":tag", "repository is missing");
    bad("a/b./c", "path component 'b.' is not valid");
    bad("a/b..c", "path component 'b..c' is not valid");
    bad("a/b___c", "path component 'b___c' is not valid");
    bad("-bad.example.com/app", "host component '-bad' is not valid");
    bad("registry.example.com:99999/app", "port '99999'");
    bad("registry.example.com:/app", "port is empty");
    bad("nginx@sha512:" + hex64 + hex64, "digest algorithm 'sha512' is not supported");
    bad("nginx@sha256:ABC", "is not sha256: followed by 64 lowercase hex");
    bad("registry.example.com/" + std::string(250, 'a'), "more than the 255 allowed");
    CHECK_THROWS_AS(ImageReference::parse("a b", "t"), Error);
}

TEST_CASE("repository names and tags as a registry server checks them") {
    using manifests::valid_repository_name;
    using manifests::valid_tag;
    CHECK(valid_repository_name("library/nginx"));
    CHECK(valid_repository_name("a"));
    CHECK(valid_repository_name("a-b/c__d/e.f/g--h"));
    CHECK_FALSE(valid_repository_name(""));
    CHECK_FALSE(valid_repository_name("A/b"));
    CHECK_FALSE(valid_repository_name("a/"));
    CHECK_FALSE(valid_repository_name("/a"));
    CHECK_FALSE(valid_repository_name("a/_b"));
    CHECK_FALSE(valid_repository_name("a:5000/b"));
    CHECK_FALSE(valid_repository_name(std::string(256, 'a')));
    CHECK(valid_repository_name(std::string(255, 'a')));

    CHECK(valid_tag("latest"));
    CHECK(valid_tag("_x"));
    CHECK(valid_tag("1.0.0-rc.1_build"));
    CHECK(valid_tag(std::string(128, 'a')));
    CHECK_FALSE(valid_tag(std::string(129, 'a')));
    CHECK_FALSE(valid_tag(""));
    CHECK_FALSE(valid_tag(".x"));
    CHECK_FALSE(valid_tag("-x"));
    CHECK_FALSE(valid_tag("1.0.0+build"));
}

// The cases the registry API's own copy of the grammar was tested with (it now calls these),
// beyond those above.
TEST_CASE("repository names and tags follow the spec grammar on the registry API's cases") {
    for (const char* good :
         {"a", "a/b", "platform/api", "a.b_c__d---e/f", "registry.example.com/x", "charts/platform-core"})
        CHECK(manifests::valid_repository_name(good));
    for (const char* bad : {"A", "a//b", "a/../b", "..", "a/.", "-a", "a-", "a___b", "a%2eb", "a:b"})
        CHECK_FALSE(manifests::valid_repository_name(bad));
    CHECK(manifests::valid_tag("1.0.0_build.1"));
    CHECK_FALSE(manifests::valid_tag(".."));
    CHECK_FALSE(manifests::valid_tag("a/b"));
}

TEST_CASE("a first name component is a registry host by distribution's rule") {
    using manifests::looks_like_registry_host;
    for (const char* host :
         {"registry.example.com", "host:5000", "localhost", "[::1]:5000", "[::1]", "MyRegistry", "127.0.0.1"})
        CHECK(looks_like_registry_host(host));
    for (const char* path : {"charts", "library", "platform", "sealift", "local-host", "a_b"})
        CHECK_FALSE(looks_like_registry_host(path));
    // The references split on the same rule.
    CHECK(ImageReference::parse("MyRegistry/app:1", "t").registry == "MyRegistry");
    CHECK(ImageReference::parse("localhost/app:1", "t").registry == "localhost");
    CHECK(ImageReference::parse("charts/app:1", "t").registry == "docker.io");
}
