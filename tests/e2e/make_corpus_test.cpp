// The corpus generator, scripts/make-corpus.py, as the demo, the end-to-end
// tests and the benchmarks rely on it: the same bytes from the same arguments,
// layers whose diff_ids are their tars, one base layer shared by every image,
// SBOMs naming their images, and a hotfix that rebuilds one layer only.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "core/json.hpp"
#include "e2e/shell.hpp"

using namespace sealift;
using e2e::corpus_script;
using e2e::q;

namespace {

// Two small corpora made alike, and the 1.0.1 hotfix of the first.
struct Corpora : e2e::Shell {
    Corpora() {
        must(make("a"));
        must(make("b"));
        must(make("hotfix", "--version 1.0.1 --hotfix-of a"));
    }
    static std::string make(const std::string& out, const std::string& options = "--scale small") {
        return "python3 " + q(corpus_script()) + " " + out + " " + options + " >/dev/null";
    }
    std::filesystem::path blob_path(const std::string& corpus, const std::string& digest) const {
        return dir / corpus / "images" / "blobs" / "sha256" / digest.substr(7);
    }
    Json blob(const std::string& corpus, const std::string& digest) const {
        return parse_json_strict(test::read_text(blob_path(corpus, digest)), digest);
    }
    // Each image of the corpus's index, by its org.opencontainers.image.ref.name.
    std::map<std::string, Json> manifests(const std::string& corpus) const {
        std::map<std::string, Json> out;
        auto index = parse_json_strict(test::read_text(dir / corpus / "images" / "index.json"), "index.json");
        for (const auto& m : index["manifests"])
            out[m["annotations"]["org.opencontainers.image.ref.name"].get<std::string>()] =
                blob(corpus, m["digest"].get<std::string>());
        return out;
    }
};

Corpora& corpora() {
    static Corpora c;
    return c;
}

const std::string kApi = "registry.example.com/platform/api:1.0.0", kWeb = "registry.example.com/platform/web:1.0.0";

}  // namespace

TEST_CASE("make-corpus.py makes the same corpus from the same arguments, on any machine") {
    auto& c = corpora();
    c.must("diff -r a b");
    // The configs carry the diff_ids, digests of the tars: these depend on nothing but the
    // generator (the gzip bytes around them depend on zlib's deflate too).
    auto m = c.manifests("a");
    CHECK(m[kApi]["config"]["digest"] == "sha256:01618cb537a530f831f5d18b843ffc7712db8dd913356595290dbd5daa2041d5");
    CHECK(m[kWeb]["config"]["digest"] == "sha256:778097a724ee6fb75fa0f5d99c8202940d0d32a6cb8416cd841b4d550d9592f8");
}

TEST_CASE("the corpus's layers are gzip tars whose sha256 is their diff_id, the base layer shared") {
    auto& c = corpora();
    auto m = c.manifests("a");
    REQUIRE(m.size() == 2);
    CHECK(m[kApi]["layers"][0] == m[kWeb]["layers"][0]);
    for (auto& [ref, manifest] : m) {
        auto diff_ids = c.blob("a", manifest["config"]["digest"].get<std::string>())["rootfs"]["diff_ids"];
        REQUIRE(diff_ids.size() == manifest["layers"].size());
        for (std::size_t i = 0; i < diff_ids.size(); ++i) {
            auto layer = c.blob_path("a", manifest["layers"][i]["digest"].get<std::string>());
            INFO(ref << " layer " << i);
            CHECK(c.must("gzip -dc " + q(layer) + " | sha256sum").substr(0, 64) ==
                  diff_ids[i].get<std::string>().substr(7));
            CHECK(std::stoi(c.must("gzip -dc " + q(layer) + " | tar -t | wc -l")) > 1);
        }
    }
    // Each SBOM names its image as write-release-yaml.sh reads it, and its manifest digest.
    auto sbom = parse_json_strict(test::read_text(c.dir / "a" / "sboms" / "registry.example.com_platform_api.cdx.json"),
                                  "sbom");
    CHECK(sbom["specVersion"] == "1.5");
    CHECK(sbom["metadata"]["component"]["name"].get<std::string>() + ":" +
              sbom["metadata"]["component"]["version"].get<std::string>() ==
          kApi);
    auto digest = c.must("jq -r '.manifests[0].digest' a/images/index.json");
    CHECK_THAT(sbom["metadata"]["component"]["purl"].get<std::string>(),
               Catch::EndsWith("@sha256%3A" + digest.substr(7, 64)));
    CHECK(sbom["components"].size() > 5);
}

TEST_CASE("make-corpus.py --hotfix-of rebuilds the top layer of one image and keeps every other layer") {
    auto& c = corpora();
    auto base = c.manifests("a"), hotfix = c.manifests("hotfix");
    auto api = hotfix["registry.example.com/platform/api:1.0.1"]["layers"],
         web = hotfix["registry.example.com/platform/web:1.0.1"]["layers"];
    REQUIRE(api.size() == 3);
    CHECK(api[0] == base[kApi]["layers"][0]);
    CHECK(api[1] == base[kApi]["layers"][1]);
    CHECK(api[2] != base[kApi]["layers"][2]);
    CHECK(web == base[kWeb]["layers"]);
}

TEST_CASE("make-corpus.py refuses a hotfix of another corpus and an output folder in use, leaving nothing") {
    auto& c = corpora();
    auto other = c.sh("python3 " + q(corpus_script()) + " wrong --synthetic 2 --hotfix-of a");
    CHECK(other.exit_code == 1);
    CHECK_THAT(other.err, Catch::Contains("--hotfix-of a: it lacks layer sha256:") &&
                              Catch::Contains("same --scale or --synthetic"));
    CHECK_FALSE(std::filesystem::exists(c.dir / "wrong"));
    CHECK_FALSE(std::filesystem::exists(c.dir / "wrong.partial"));
    auto used = c.sh("python3 " + q(corpus_script()) + " a");
    CHECK(used.exit_code == 2);
    CHECK_THAT(used.err, Catch::Contains("a exists and is not an empty folder"));
}

TEST_CASE("make-corpus.py --synthetic N makes N images sharing one base layer, each with its SBOM") {
    auto& c = corpora();
    c.must(Corpora::make("synthetic", "--synthetic 40"));
    auto m = c.manifests("synthetic");
    REQUIRE(m.size() == 40);
    CHECK(m.begin()->first == "registry.example.com/synth/app0000:1.0.0");
    for (auto& [ref, manifest] : m) CHECK(manifest["layers"][0] == m.begin()->second["layers"][0]);
    CHECK(c.must("ls synthetic/sboms | wc -l") == "40\n");
}
