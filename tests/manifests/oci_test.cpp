#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "manifests/oci.hpp"

using namespace sealift;
using namespace sealift::manifests;

namespace {

std::string digest_of(const std::string& s) { return Sha256::of(s).str(); }

// Deliberately not in nlohmann's key order, with spaces and an unknown field:
// the parsed view must keep these exact bytes.
const std::string layer_digest = digest_of("layer");
const std::string config_digest = digest_of("config");
const std::string manifest_bytes = R"({ "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.manifest.v1+json",
  "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": ")" +
                                   config_digest + R"(", "size": 6},
  "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": ")" +
                                   layer_digest + R"(", "size": 5,
              "annotations": {"org.example.note": ""}}],
  "annotations": {"org.opencontainers.image.created": "2024-01-01T00:00:00Z"},
  "x-unknown": [1, 2, 3]
})";

}  // namespace

TEST_CASE("a manifest keeps its exact bytes and their digest") {
    auto parsed = parse_manifest_or_index(manifest_bytes, media_type::oci_manifest, "api manifest");
    REQUIRE(std::holds_alternative<ImageManifest>(parsed));
    const auto& m = std::get<ImageManifest>(parsed);
    CHECK(m.bytes == manifest_bytes);
    CHECK(m.digest == Sha256::of(manifest_bytes));
    CHECK(m.media_type == media_type::oci_manifest);
    CHECK(m.config.media_type == media_type::oci_config);
    CHECK(m.config.digest.str() == config_digest);
    CHECK(m.config.size == 6);
    REQUIRE(m.layers.size() == 1);
    CHECK(m.layers[0].size == 5);
    CHECK(m.layers[0].annotations.at("org.example.note").empty());
    CHECK(m.annotations.at("org.opencontainers.image.created") == "2024-01-01T00:00:00Z");
    CHECK(m.raw.at("x-unknown").size() == 3);
    CHECK_FALSE(m.subject);
}

TEST_CASE("the kind comes from mediaType, else the declared type, else the shape") {
    std::string no_type = R"({"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":")" +
                          std::string(empty_json_digest) +
                          R"(","size":2},"layers":[],"artifactType":"application/vnd.example+json"})";
    auto declared = parse_manifest_or_index(no_type, "application/vnd.oci.image.manifest.v1+json; charset=utf-8", "m");
    CHECK(std::get<ImageManifest>(declared).media_type == media_type::oci_manifest);
    CHECK(std::get<ImageManifest>(declared).artifact_type == "application/vnd.example+json");
    CHECK(std::get<ImageManifest>(parse_manifest_or_index(no_type, "", "m")).layers.empty());

    std::string bare_index = R"({"schemaVersion":2,"manifests":[]})";
    CHECK(std::get<ImageIndex>(parse_manifest_or_index(bare_index, "", "i")).media_type == media_type::oci_index);

    std::string docker_list =
        R"({"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json",
      "manifests":[{"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":")" +
        layer_digest + R"(","size":7,"platform":{"architecture":"arm64","os":"linux","variant":"v8"}}]})";
    auto list = std::get<ImageIndex>(parse_manifest_or_index(docker_list, "", "list"));
    CHECK(list.media_type == media_type::docker_manifest_list);
    REQUIRE(list.manifests.at(0).platform);
    CHECK(list.manifests[0].platform->str() == "linux/arm64/v8");
}

TEST_CASE("an index reads subject, nested entries and platforms") {
    std::string index = R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json",
      "subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" +
                        config_digest + R"(","size":10},
      "manifests":[
        {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" +
                        layer_digest + R"(","size":1,
         "platform":{"architecture":"amd64","os":"windows","os.version":"10.0.17763.1","os.features":["win32k"]}},
        {"mediaType":"application/vnd.oci.image.index.v1+json","digest":")" +
                        config_digest + R"(","size":2}]})";
    auto parsed = std::get<ImageIndex>(parse_manifest_or_index(index, media_type::oci_index, "idx"));
    REQUIRE(parsed.subject);
    CHECK(parsed.subject->size == 10);
    REQUIRE(parsed.manifests.size() == 2);
    CHECK(parsed.manifests[0].platform->os_version == "10.0.17763.1");
    CHECK(parsed.manifests[0].platform->os_features == std::vector<std::string>{"win32k"});
    CHECK(is_index_media_type(parsed.manifests[1].media_type));
}

TEST_CASE("bad manifests are refused naming the manifest and the field") {
    auto refuses = [](const std::string& bytes, std::string_view declared, const std::string& message) {
        CHECK_THROWS_WITH(parse_manifest_or_index(bytes, declared, "web manifest"),
                          Catch::Contains("web manifest") && Catch::Contains(message));
    };
    refuses(manifest_bytes, media_type::oci_index,
            "declared as 'application/vnd.oci.image.index.v1+json' but its mediaType");
    refuses(R"({"schemaVersion":1,"name":"x","fsLayers":[]})", "", "schema 1 manifests are not supported");
    refuses(R"({"schemaVersion":3,"config":{}})", "", "schemaVersion is 3");
    refuses(R"({"config":{}})", "", "missing field 'schemaVersion'");
    refuses(R"({"schemaVersion":2,"mediaType":"text/plain","config":{}})", "",
            "unsupported manifest media type 'text/plain'");
    refuses(R"({"schemaVersion":2})", "", "neither a 'config' nor a 'manifests' field");
    refuses(R"([1])", "", "must be a JSON object");
    refuses(R"({"schemaVersion":2,"a":1,"a":2})", "", "duplicate JSON key 'a'");
    refuses(
        R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{},"layers":[],"manifests":[]})",
        "", "ambiguous");
    refuses(R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[],"layers":[]})",
            "", "ambiguous");
    refuses(
        R"({"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:abc","size":1},"layers":[]})",
        "", "web manifest config: field 'digest': invalid digest 'sha256:abc'");
    refuses(R"({"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":")" +
                config_digest + R"(","size":-1},"layers":[]})",
            "", "web manifest config: field 'size' must be a non-negative integer");
    refuses(R"({"schemaVersion":2,"config":{"mediaType":"no-slash","digest":")" + config_digest +
                R"(","size":1},"layers":[]})",
            "", "field 'mediaType' is not a media type: 'no-slash'");
    refuses(
        R"({"schemaVersion":2,"config":{"mediaType":"a/b","digest":")" + config_digest + R"(","size":1},"layers":[7]})",
        "", "web manifest layers[0]: descriptor must be a JSON object");
    refuses(R"({"schemaVersion":2,"config":{"mediaType":"a/b","digest":")" + config_digest +
                R"(","size":1,"annotations":{"k":1}},"layers":[]})",
            "", "annotation 'k' must be a string");
    refuses(R"({"schemaVersion":2,"manifests":[{"mediaType":"a/b","digest":")" + config_digest +
                R"(","size":1,"platform":{"os":"linux"}}]})",
            "", "web manifest manifests[0] platform: missing field 'architecture'");

    std::string huge = R"({"schemaVersion":2,"manifests":[],"pad":")" + std::string(max_manifest_size, 'x') + "\"}";
    refuses(huge, "", "more than the 4194304 allowed");
}

TEST_CASE("descriptors write back only the fields that are set") {
    Descriptor d;
    d.media_type = media_type::oci_layer_tar_zstd;
    d.digest = Sha256::of("x");
    d.size = 1;
    CHECK(d.to_json().dump() == R"({"digest":")" + d.digest.str() +
                                    R"(","mediaType":"application/vnd.oci.image.layer.v1.tar+zstd","size":1})");
    d.annotations["a"] = "b";
    d.artifact_type = "application/vnd.example";
    d.platform = Platform{"amd64", "linux", "", "", {}, {}};
    d.urls = {"https://example.com/layer"};
    Descriptor back = Descriptor::from_json(d.to_json(), "round trip");
    CHECK(back.to_json() == d.to_json());
    CHECK(back.platform->str() == "linux/amd64");
    CHECK(back.urls == d.urls);
}

TEST_CASE("media type classification") {
    CHECK(std::string(empty_json_digest) == Sha256::of("{}").str());
    CHECK(is_manifest_media_type(media_type::oci_manifest));
    CHECK(is_manifest_media_type(media_type::docker_manifest));
    CHECK_FALSE(is_manifest_media_type(media_type::oci_index));
    CHECK(is_index_media_type(media_type::docker_manifest_list));
    CHECK(is_known_media_type(media_type::helm_chart));
    CHECK(is_known_media_type(media_type::oci_empty));
    CHECK_FALSE(is_known_media_type("application/vnd.example+json"));
    CHECK(is_compressed_layer(media_type::oci_layer_tar_gzip));
    CHECK(is_compressed_layer(media_type::oci_layer_tar_zstd));
    CHECK(is_compressed_layer(media_type::oci_nondistributable_tar_gzip));
    CHECK(is_compressed_layer(media_type::docker_layer_tar_gzip));
    CHECK(is_compressed_layer(media_type::helm_chart));
    CHECK_FALSE(is_compressed_layer(media_type::oci_layer_tar));
    CHECK_FALSE(is_compressed_layer(media_type::oci_config));
}
