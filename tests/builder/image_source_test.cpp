#include <catch2/catch.hpp>

#include "builder/image_source.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "manifests/oci.hpp"
#include "support/support.hpp"

using namespace sealift;
using namespace sealift::builder;
namespace fs = std::filesystem;
namespace mt = sealift::manifests::media_type;

namespace {

std::string read_all(ByteSource& in) {
    std::string out;
    char buf[4096];
    for (std::size_t n; (n = in.read(buf, sizeof buf)) > 0;) out.append(buf, n);
    return out;
}

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

// A real (tiny) layer tar, so tools like skopeo accept the images too.
std::string layer_tar(const test::TempDir& scratch, const std::string& name, const std::string& content) {
    fs::path dir = scratch / ("layer-" + name);
    test::write_text(dir / name, content);
    auto r = test::run("tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C " + quoted(dir) + " -cf " +
                       quoted(dir / "out.tar") + " " + name);
    REQUIRE(r.exit_code == 0);
    return test::read_text(dir / "out.tar");
}

std::string config_json(const std::vector<std::string>& layers) {
    Json diff_ids = Json::array();
    for (const auto& l : layers) diff_ids.push_back(Sha256::of(l).str());
    return Json{{"architecture", "amd64"},
                {"os", "linux"},
                {"config", Json::object()},
                {"rootfs", {{"type", "layers"}, {"diff_ids", diff_ids}}}}
        .dump();
}

// An OCI layout written by code: two images sharing their first layer.
struct LayoutFixture {
    fs::path dir;
    std::string shared_layer, api_layer, web_layer, api_config, web_config, api_manifest, web_manifest;
    Json index = {{"schemaVersion", 2}, {"mediaType", mt::oci_index}, {"manifests", Json::array()}};

    LayoutFixture(const test::TempDir& scratch, fs::path where) : dir(std::move(where)) {
        shared_layer = layer_tar(scratch, "shared", "shared base layer\n");
        api_layer = layer_tar(scratch, "api", std::string(100000, 'a'));
        web_layer = layer_tar(scratch, "web", "web\n");
        api_config = config_json({shared_layer, api_layer});
        web_config = config_json({shared_layer, web_layer});
        api_manifest = manifest(api_config, {shared_layer, api_layer});
        web_manifest = manifest(web_config, {shared_layer, web_layer});
        test::write_text(dir / "oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
    }

    Json descriptor(const std::string& media_type, const std::string& blob) const {
        return {{"mediaType", media_type}, {"digest", Sha256::of(blob).str()}, {"size", blob.size()}};
    }

    std::string put(const std::string& blob) {
        test::write_text(dir / "blobs/sha256" / std::string(Sha256::of(blob).hex()), blob);
        return blob;
    }

    std::string manifest(const std::string& config, const std::vector<std::string>& layers) {
        Json m = {
            {"schemaVersion", 2}, {"mediaType", mt::oci_manifest}, {"config", descriptor(mt::oci_config, put(config))}};
        m["layers"] = Json::array();
        for (const auto& l : layers) m["layers"].push_back(descriptor(mt::oci_layer_tar, put(l)));
        return put(m.dump(1));
    }

    void add(const std::string& manifest_bytes, const std::map<std::string, std::string>& annotations) {
        Json entry = descriptor(mt::oci_manifest, manifest_bytes);
        if (!annotations.empty()) entry["annotations"] = annotations;
        index["manifests"].push_back(entry);
    }

    void write_index() const { test::write_text(dir / "index.json", index.dump(1)); }

    // The usual corpus shape: full references in ref.name, plus an untagged entry.
    void tag_fully() {
        add(api_manifest, {{"org.opencontainers.image.ref.name", "registry.example.com/platform/api:1.0.0"}});
        add(web_manifest, {{"org.opencontainers.image.ref.name", "registry.example.com/platform/web:1.0.0"}});
        add(web_manifest, {});
        write_index();
    }
};

SourceBlob blob_of(const std::string& media_type, const std::string& content) {
    return SourceBlob{Sha256::of(content), content.size(), media_type};
}

// What every kind of source must give for the fixture's two images.
void check_fixture_images(const ImageSource& source, const LayoutFixture& f, const std::string& api_ref,
                          const std::string& web_ref) {
    const auto& images = source.images();
    REQUIRE(images.size() == 2);
    CHECK(images[0].ref == std::min(api_ref, web_ref));
    CHECK(images[1].ref == std::max(api_ref, web_ref));
    for (const SourceImage& image : images) {
        CHECK(image.manifest.media_type == mt::oci_manifest);
        auto parsed = manifests::parse_manifest_or_index(read_small_blob(source, image.manifest),
                                                         image.manifest.media_type, image.ref);
        const auto& m = std::get<manifests::ImageManifest>(parsed);
        CHECK(m.digest == image.manifest.digest);
        REQUIRE(m.layers.size() == 2);
        CHECK(m.layers[0].digest == Sha256::of(f.shared_layer));
        CHECK(read_all(*source.open_blob({m.layers[0].digest, m.layers[0].size, m.layers[0].media_type})) ==
              f.shared_layer);
        std::string config = read_small_blob(source, {m.config.digest, m.config.size, m.config.media_type});
        CHECK(config == (image.ref == api_ref ? f.api_config : f.web_config));
    }
    auto api_layer = blob_of(mt::oci_layer_tar, f.api_layer);
    CHECK(read_all(*source.open_blob(api_layer)) == f.api_layer);

    auto absent = blob_of(mt::oci_layer_tar, "not in the source");
    CHECK_THROWS_WITH(source.open_blob(absent), Catch::Contains(source.describe()) &&
                                                    Catch::Contains(absent.digest.str()) &&
                                                    Catch::Contains("is missing"));
    auto wrong_size = api_layer;
    wrong_size.size += 1;
    try {
        source.open_blob(wrong_size);
        FAIL("a blob of another size was served");
    } catch (const Error& e) {
        CHECK(e.code() == Errc::integrity);
        CHECK_THAT(e.what(), Catch::Contains(api_layer.digest.str()) && Catch::Contains("descriptor says"));
    }
    CHECK_THROWS_WITH(read_small_blob(source, api_layer, 1000), Catch::Contains("more than the 1000 allowed"));
}

fs::path tar_of(const fs::path& dir, const fs::path& out, const std::string& members = ".") {
    REQUIRE(test::run("tar -C " + quoted(dir) + " -cf " + quoted(out) + " " + members).exit_code == 0);
    return out;
}

}  // namespace

TEST_CASE("an OCI layout lists its tagged images and streams their blobs") {
    test::TempDir tmp;
    LayoutFixture f(tmp, tmp / "layout");
    f.tag_fully();
    auto source = open_oci_layout(f.dir);
    CHECK(source->describe() == "OCI layout " + f.dir.string());
    check_fixture_images(*source, f, "registry.example.com/platform/api:1.0.0",
                         "registry.example.com/platform/web:1.0.0");
    CHECK(source->images()[0].manifest.size == f.api_manifest.size());
    CHECK(open_image_source(f.dir)->describe() == source->describe());
    CHECK_THROWS_WITH(open_image_source(tmp / "nothing"), Catch::Contains("nothing: image source does not exist"));
}

TEST_CASE("bare tags take the repository from containerd's annotation or the caller") {
    test::TempDir tmp;
    LayoutFixture f(tmp, tmp / "layout");
    f.add(f.api_manifest, {{"org.opencontainers.image.ref.name", "1.0.0"}});
    f.add(f.web_manifest, {{"org.opencontainers.image.ref.name", "latest"},
                           {"io.containerd.image.name", "docker.io/library/web:latest"}});
    f.write_index();
    CHECK_THROWS_WITH(open_oci_layout(f.dir),
                      Catch::Contains("OCI layout " + f.dir.string() + " index.json manifests[0]") &&
                          Catch::Contains("ref.name '1.0.0' is a bare tag and no repository was given"));
    auto source = open_oci_layout(f.dir, "registry.example.com/platform/api");
    check_fixture_images(*source, f, "registry.example.com/platform/api:1.0.0", "docker.io/library/web:latest");

    CHECK_THROWS_WITH(open_oci_layout(f.dir, "Bad Repo"),
                      Catch::Contains("manifests[0]: invalid image reference 'Bad Repo:1.0.0'"));
}

TEST_CASE("broken layouts are refused naming the layout, entry and culprit") {
    test::TempDir tmp;
    LayoutFixture f(tmp, tmp / "layout");
    std::string layout = "OCI layout " + f.dir.string();

    CHECK_THROWS_WITH(open_oci_layout(f.dir), Catch::Contains(layout + ": has no index.json"));

    f.add(f.api_manifest, {{"org.opencontainers.image.ref.name", "registry.example.com/platform/api:1.0.0"}});
    f.index["manifests"].push_back(
        {{"mediaType", mt::oci_manifest}, {"digest", "sha256:../../etc/passwd"}, {"size", 1}});
    f.write_index();
    CHECK_THROWS_WITH(open_oci_layout(f.dir),
                      Catch::Contains(layout + " index.json manifests[1]: field 'digest': invalid digest"));

    f.index["manifests"].erase(1);
    f.add(f.web_manifest, {{"org.opencontainers.image.ref.name", "registry.example.com/platform/api:1.0.0"}});
    f.write_index();
    CHECK_THROWS_WITH(open_oci_layout(f.dir),
                      Catch::Contains("'registry.example.com/platform/api:1.0.0' names two manifests"));

    f.index["manifests"].erase(1);
    f.index["manifests"][0]["mediaType"] = mt::oci_config;
    f.write_index();
    CHECK_THROWS_WITH(open_oci_layout(f.dir),
                      Catch::Contains("manifests[0]") && Catch::Contains("is not an image manifest or index"));

    f.index["manifests"][0]["mediaType"] = mt::oci_manifest;
    f.write_index();
    CHECK_NOTHROW(open_oci_layout(f.dir));

    test::write_text(f.dir / "oci-layout", R"({"imageLayoutVersion":"2.0.0"})");
    CHECK_THROWS_WITH(open_oci_layout(f.dir), Catch::Contains("imageLayoutVersion '2.0.0' is not supported"));
    fs::remove(f.dir / "oci-layout");
    CHECK_THROWS_WITH(open_oci_layout(f.dir), Catch::Contains(layout + ": has no oci-layout file"));
    CHECK_THROWS_WITH(open_oci_layout(tmp / "nowhere"), Catch::Contains("nowhere: not a folder"));
}

TEST_CASE("layout blobs that are symlinks, missing or tampered with are refused") {
    test::TempDir tmp;
    LayoutFixture f(tmp, tmp / "layout");
    f.tag_fully();
    auto source = open_oci_layout(f.dir);
    auto layer = blob_of(mt::oci_layer_tar, f.api_layer);
    fs::path path = f.dir / "blobs/sha256" / std::string(layer.digest.hex());

    fs::rename(path, tmp / "moved");
    CHECK_THROWS_WITH(source->open_blob(layer),
                      Catch::Contains("blob " + layer.digest.str() + " (" + mt::oci_layer_tar + ") is missing"));
    fs::create_symlink(tmp / "moved", path);
    CHECK_THROWS_WITH(source->open_blob(layer),
                      Catch::Contains(std::string(layer.digest.hex()) + " is a symbolic link"));
    fs::remove(path);

    auto config = blob_of(mt::oci_config, f.api_config);
    std::string tampered = f.api_config;
    tampered[0] = ' ';
    test::write_text(f.dir / "blobs/sha256" / std::string(config.digest.hex()), tampered);
    try {
        read_small_blob(*source, config);
        FAIL("a tampered blob was read");
    } catch (const Error& e) {
        CHECK(e.code() == Errc::integrity);
        CHECK_THAT(e.what(), Catch::Contains(config.digest.str() + " does not match its digest"));
    }

    fs::remove_all(f.dir / "blobs/sha256");
    fs::create_directory_symlink(tmp.path(), f.dir / "blobs/sha256");
    CHECK_THROWS_WITH(open_oci_layout(f.dir), Catch::Contains("blobs/sha256 is a symbolic link"));
}

TEST_CASE("an OCI archive serves blobs from inside the tar") {
    test::TempDir tmp;
    LayoutFixture f(tmp, tmp / "layout");
    f.tag_fully();
    for (const std::string members : {".", "oci-layout index.json blobs"}) {
        auto tar = tar_of(f.dir, tmp / "layout.tar", members);
        auto source = open_oci_archive(tar);
        CHECK(source->describe() == "OCI archive " + tar.string());
        check_fixture_images(*source, f, "registry.example.com/platform/api:1.0.0",
                             "registry.example.com/platform/web:1.0.0");
        CHECK(open_image_source(tar)->describe() == source->describe());
        fs::remove(tar);
    }

    REQUIRE(test::run("gzip -k " + quoted(tar_of(f.dir, tmp / "layout.tar"))).exit_code == 0);
    CHECK_THROWS_WITH(open_oci_archive(tmp / "layout.tar.gz"), Catch::Contains("gzip-compressed; decompress it first"));

    fs::remove(f.dir / "index.json");
    CHECK_THROWS_WITH(open_oci_archive(tar_of(f.dir, tmp / "noindex.tar")),
                      Catch::Contains("OCI archive " + (tmp / "noindex.tar").string() + ": has no index.json"));
    f.write_index();

    auto layer = blob_of(mt::oci_layer_tar, f.api_layer);
    fs::path path = f.dir / "blobs/sha256" / std::string(layer.digest.hex());
    fs::rename(path, f.dir / "elsewhere");
    fs::create_symlink("../../elsewhere", path);
    auto linked = open_oci_archive(tar_of(f.dir, tmp / "linked.tar"));
    CHECK_THROWS_WITH(linked->open_blob(layer), Catch::Contains("is a symbolic link, not a regular file"));
}

namespace {

// `docker save` output in the classic format, built by code: <id>/layer.tar
// folders (the shared layer linked as docker does), <hex>.json configs and manifest.json.
struct DockerSaveFixture {
    fs::path dir;
    std::string config_a, config_b;

    DockerSaveFixture(const LayoutFixture& f, fs::path where) : dir(std::move(where)) {
        config_a = f.api_config;
        config_b = f.web_config;
        test::write_text(dir / "1111/layer.tar", f.shared_layer);
        test::write_text(dir / "2222/layer.tar", f.api_layer);
        fs::create_directories(dir / "3333");
        fs::create_symlink("../1111/layer.tar", dir / "3333/layer.tar");
        test::write_text(dir / "4444/layer.tar", f.web_layer);
        test::write_text(dir / (std::string(Sha256::of(config_a).hex()) + ".json"), config_a);
        test::write_text(dir / (std::string(Sha256::of(config_b).hex()) + ".json"), config_b);
    }

    void write_manifest(const Json& items) const { test::write_text(dir / "manifest.json", items.dump()); }

    Json items() const {
        return Json::array({
            {{"Config", std::string(Sha256::of(config_a).hex()) + ".json"},
             {"RepoTags", {"registry.example.com/platform/api:1.0.0"}},
             {"Layers", {"1111/layer.tar", "2222/layer.tar"}}},
            {{"Config", std::string(Sha256::of(config_b).hex()) + ".json"},
             {"RepoTags", {"web:2"}},
             {"Layers", {"3333/layer.tar", "./4444/layer.tar"}}},
            {{"Config", std::string(Sha256::of(config_b).hex()) + ".json"},
             {"RepoTags", nullptr},
             {"Layers", {"4444/layer.tar"}}},
        });
    }
};

}  // namespace

TEST_CASE("a docker save archive gets deterministic synthesised OCI manifests") {
    test::TempDir tmp;
    LayoutFixture f(tmp, tmp / "layout");
    DockerSaveFixture d(f, tmp / "save");
    d.write_manifest(d.items());
    auto tar = tar_of(d.dir, tmp / "save.tar");
    auto source = open_docker_archive(tar);
    CHECK(source->describe() == "Docker archive " + tar.string());
    check_fixture_images(*source, f, "registry.example.com/platform/api:1.0.0", "web:2");

    const SourceImage& web = source->images()[1];
    auto m = std::get<manifests::ImageManifest>(
        manifests::parse_manifest_or_index(read_small_blob(*source, web.manifest), "", "synthesised"));
    CHECK(m.media_type == mt::oci_manifest);
    CHECK(m.config.media_type == mt::oci_config);
    CHECK(m.config.digest == Sha256::of(d.config_b));
    CHECK(m.layers[1].media_type == mt::oci_layer_tar);
    CHECK(m.layers[1].digest == Sha256::of(f.web_layer));
    CHECK(m.layers[1].size == f.web_layer.size());

    auto again = open_image_source(tar);
    CHECK(again->images()[0].manifest.digest == source->images()[0].manifest.digest);
    CHECK(again->images()[1].manifest.digest == web.manifest.digest);
}

TEST_CASE("a docker save archive with missing or bad entries is refused naming the entry") {
    test::TempDir tmp;
    LayoutFixture f(tmp, tmp / "layout");
    DockerSaveFixture d(f, tmp / "save");

    Json items = d.items();
    items[1]["Layers"][1] = "9999/layer.tar";
    d.write_manifest(items);
    CHECK_THROWS_WITH(open_docker_archive(tar_of(d.dir, tmp / "missing.tar")),
                      Catch::Contains("Docker archive " + (tmp / "missing.tar").string() +
                                      " manifest.json[1]: layer '9999/layer.tar' is missing"));

    items = d.items();
    items[0]["Config"] = "../escape.json";
    d.write_manifest(items);
    CHECK_THROWS_WITH(open_docker_archive(tar_of(d.dir, tmp / "dotdot.tar")),
                      Catch::Contains("'../escape.json' has a '..' component"));

    items = d.items();
    items[0]["RepoTags"] = {"Not A Reference"};
    d.write_manifest(items);
    CHECK_THROWS_WITH(open_docker_archive(tar_of(d.dir, tmp / "badtag.tar")),
                      Catch::Contains("manifest.json[0] RepoTags: invalid image reference 'Not A Reference'"));

    d.write_manifest(Json::object());
    CHECK_THROWS_WITH(open_docker_archive(tar_of(d.dir, tmp / "object.tar")),
                      Catch::Contains("manifest.json: must be a JSON array"));

    fs::remove(d.dir / "manifest.json");
    CHECK_THROWS_WITH(open_docker_archive(tar_of(d.dir, tmp / "none.tar")),
                      Catch::Contains("has neither manifest.json nor an OCI layout"));
}

TEST_CASE("a docker save archive holding an OCI layout is read through the layout") {
    test::TempDir tmp;
    LayoutFixture f(tmp, tmp / "layout");
    f.add(f.api_manifest, {{"org.opencontainers.image.ref.name", "1.0.0"},
                           {"io.containerd.image.name", "registry.example.com/platform/api:1.0.0"}});
    f.add(f.web_manifest,
          {{"org.opencontainers.image.ref.name", "2"}, {"io.containerd.image.name", "docker.io/library/web:2"}});
    f.write_index();
    test::write_text(f.dir / "manifest.json", R"([{"Config":"blobs/sha256/none","RepoTags":["web:2"],"Layers":[]}])");
    auto tar = tar_of(f.dir, tmp / "docker25.tar");
    auto source = open_docker_archive(tar);
    CHECK(source->describe() == "Docker archive " + tar.string());
    check_fixture_images(*source, f, "registry.example.com/platform/api:1.0.0", "docker.io/library/web:2");
}

TEST_CASE("archives written by skopeo are read", "[skopeo]") {
    if (test::run("command -v skopeo").exit_code != 0) {
        WARN("skopeo is not installed: skipping");
        return;
    }
    test::TempDir tmp;
    LayoutFixture f(tmp, tmp / "layout");
    f.add(f.api_manifest, {{"org.opencontainers.image.ref.name", "1.0.0"}});
    f.write_index();
    std::string skopeo = "skopeo --insecure-policy copy -q oci:" + f.dir.string() + ":1.0.0 ";

    auto docker_tar = tmp / "docker.tar";
    auto r = test::run(skopeo + "docker-archive:" + docker_tar.string() + ":registry.example.com/platform/api:1.0.0");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto docker = open_image_source(docker_tar);
    CHECK(docker->describe().starts_with("Docker archive"));
    REQUIRE(docker->images().size() == 1);
    CHECK(docker->images()[0].ref == "registry.example.com/platform/api:1.0.0");
    auto m = std::get<manifests::ImageManifest>(
        manifests::parse_manifest_or_index(read_small_blob(*docker, docker->images()[0].manifest),
                                           docker->images()[0].manifest.media_type, "skopeo docker"));
    REQUIRE(m.layers.size() == 2);
    CHECK(m.layers[0].digest == Sha256::of(f.shared_layer));
    CHECK(read_all(*docker->open_blob({m.layers[1].digest, m.layers[1].size, m.layers[1].media_type})) == f.api_layer);
    CHECK(read_small_blob(*docker, {m.config.digest, m.config.size, m.config.media_type}).size() == m.config.size);

    auto oci_tar = tmp / "oci.tar";
    std::string preserving = "skopeo --insecure-policy copy -q --preserve-digests oci:" + f.dir.string() + ":1.0.0 ";
    r = test::run(preserving + "oci-archive:" + oci_tar.string() + ":1.0.0");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THROWS_WITH(open_oci_archive(oci_tar), Catch::Contains("bare tag"));
    auto oci = open_oci_archive(oci_tar, "registry.example.com/platform/api");
    REQUIRE(oci->images().size() == 1);
    CHECK(oci->images()[0].ref == "registry.example.com/platform/api:1.0.0");
    CHECK(oci->images()[0].manifest.digest == Sha256::of(f.api_manifest));
    CHECK(read_all(*oci->open_blob(blob_of(mt::oci_layer_tar, f.api_layer))) == f.api_layer);

    // Without --preserve-digests skopeo gzips the layers: a new manifest whose blobs must all be served.
    auto gzipped_tar = tmp / "gzipped.tar";
    r = test::run(skopeo + "oci-archive:" + gzipped_tar.string() + ":1.0.0");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto gzipped = open_image_source(gzipped_tar, "registry.example.com/platform/api");
    auto gm = std::get<manifests::ImageManifest>(manifests::parse_manifest_or_index(
        read_small_blob(*gzipped, gzipped->images().at(0).manifest), "", "skopeo oci-archive"));
    REQUIRE(gm.layers.size() == 2);
    for (const auto& layer : gm.layers) {
        CHECK(layer.media_type == mt::oci_layer_tar_gzip);
        CHECK(Sha256::of(read_all(*gzipped->open_blob({layer.digest, layer.size, layer.media_type}))) == layer.digest);
    }
}
