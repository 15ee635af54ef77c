// Real clients against `sealift mirror serve`: skopeo copies every image of an
// imported release (digests compared), containerd pulls by the ORIGINAL
// reference through a hosts.toml mirror entry, and SIGTERM exits 0.
#include <chrono>
#include <thread>

#include "support/serve_process_support.hpp"
#include "support/server_test_support.hpp"

using namespace sealift;
using namespace sealift::test;
using namespace std::chrono_literals;

TEST_CASE("skopeo copies every image of an imported release out of the mirror, digests intact") {
    ImportedRelease imported;
    ServeProcess serve(imported.store, "registry.example.com");
    for (const auto& ref : {imported.release.api_ref, imported.release.web_ref}) {
        std::string path = ref.substr(ref.find('/') + 1);  // platform/api:1.0.0, the host dropped
        TempDir out;
        auto copy = run("skopeo copy -q --preserve-digests --src-tls-verify=false docker://" + serve.address() + "/" +
                        path + " oci:" + (out / "layout").string() + ":x");
        INFO(ref << ": " << copy.err << serve.log());
        REQUIRE(copy.exit_code == 0);
        auto index = parse_json_strict(read_text(out / "layout" / "index.json"), "index.json");
        CHECK(index["manifests"][0]["digest"] == imported.layout_digest(ref));
        // Every blob skopeo wrote is what its name says.
        for (const auto& entry : std::filesystem::directory_iterator(out / "layout" / "blobs" / "sha256")) {
            auto sum = run("sha256sum '" + entry.path().string() + "'");
            CHECK(sum.out.substr(0, 64) == entry.path().filename().string());
        }
        // By digest, and by the stored key with its host, too.
        std::string digest = imported.layout_digest(ref);
        std::string repo = path.substr(0, path.find(':'));
        CHECK(run("skopeo inspect --raw --tls-verify=false docker://" + serve.address() + "/" + repo + "@" + digest)
                  .exit_code == 0);
        auto raw = run("skopeo inspect --raw --tls-verify=false docker://" + serve.address() +
                       "/registry.example.com/" + path);
        CHECK(Sha256::of(raw.out).str() == digest);
    }
    auto chart =
        run("skopeo inspect --raw --tls-verify=false docker://" + serve.address() + "/charts/platform-core:1.0.0");
    INFO(chart.err);
    CHECK(chart.exit_code == 0);
    CHECK_THAT(chart.out, Catch::Contains("application/vnd.cncf.helm.config.v1+json"));
}

TEST_CASE("containerd pulls by the original reference through a hosts.toml mirror entry (?ns=)") {
    ImportedRelease imported;
    ServeProcess serve(imported.store, "");  // no default host: only ns can find the repository
    Containerd containerd;
    auto hosts = containerd.hosts_dir("registry.example.com", serve.address());
    auto fetch =
        run(containerd.ctr() + " content fetch --hosts-dir '" + hosts.string() + "' " + imported.release.api_ref);
    INFO(fetch.out << fetch.err << serve.log());
    REQUIRE(fetch.exit_code == 0);
    std::string digest = imported.layout_digest(imported.release.api_ref);
    auto manifest = run(containerd.ctr() + " content get " + digest);
    CHECK(Sha256::of(manifest.out).str() == digest);
    auto layers = parse_json_strict(manifest.out, "manifest")["layers"];
    for (const auto& layer : layers) {
        auto info = run(containerd.ctr() + " content ls -q");
        CHECK_THAT(info.out, Catch::Contains(layer["digest"].get<std::string>()));
    }
    // The mirror answered containerd's namespaced requests.
    auto metrics = curl("http://" + serve.address() + "/metrics");
    CHECK_THAT(metrics.body, Catch::Contains("route=\"blobs\",status=\"200\""));
    CHECK_THAT(metrics.body, Catch::Contains("route=\"manifests\",status=\"200\""));
    // A host with no hosts.toml entry is not dialled through the mirror: the mirror answers 404 for it.
    auto other = curl("http://" + serve.address() + "/v2/platform/api/manifests/1.0.0?ns=docker.io");
    CHECK(other.status == 404);
}

TEST_CASE("a release imported while the server runs appears at once, whole; store metrics follow") {
    ReleaseFixture release;
    auto bundle = release.build();
    TempDir dir;
    REQUIRE(run("'" + sealift_binary() + "' mirror init --store '" + (dir / "store").string() + "'").exit_code == 0);
    ServeProcess serve(dir / "store", "registry.example.com");  // an empty store, made by `mirror init`
    std::string url = "http://" + serve.address() + "/v2/platform/api/manifests/1.0.0";
    CHECK(curl(url).status == 404);
    CHECK_THAT(curl("http://" + serve.address() + "/metrics").body, Catch::Contains("sealift_store_repositories 0"));
    auto r = run("'" + sealift_binary() + "' mirror import -q '" + bundle.string() + "' --trust '" +
                 release.trust_file.string() + "' --store '" + (dir / "store").string() + "'");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    HttpAnswer answer;
    for (int i = 0; i < 40; ++i) {
        answer = curl(url);
        if (answer.status == 200) break;
        std::this_thread::sleep_for(50ms);
    }
    CHECK(answer.status == 200);
    CHECK(answer.header("docker-content-digest") == release.api_digest);
    // Every tag of the release is there as soon as one is.
    CHECK(curl("http://" + serve.address() + "/v2/platform/web/manifests/1.0.0").status == 200);
    CHECK(curl("http://" + serve.address() + "/v2/charts/platform-core/manifests/1.0.0").status == 200);
    auto metrics = curl("http://" + serve.address() + "/metrics").body;
    CHECK_THAT(metrics, Catch::Contains("sealift_store_repositories 3"));
    CHECK_THAT(metrics, !Catch::Contains("sealift_store_bytes 0\n"));
}

TEST_CASE("SIGTERM stops the server, which exits 0; bad options are usage errors") {
    TempDir dir;
    mirror::store::create_store(dir / "store");
    auto r = run("'" + sealift_binary() + "' mirror serve --store '" + (dir / "store").string() +
                 "' --listen 127.0.0.1:0 > '" + (dir / "out").string() +
                 "' 2>&1 & pid=$!; "
                 "for i in $(seq 1 100); do grep -q '^127.0.0.1:' '" +
                 (dir / "out").string() +
                 "' && break; sleep 0.05; done; "
                 "curl -fs http://$(head -n1 '" +
                 (dir / "out").string() + "')/readyz; kill -TERM $pid; wait $pid; echo \"exit=$?\"");
    CHECK_THAT(r.out, Catch::Contains("ready") && Catch::Contains("exit=0"));
    CHECK_THAT(read_text(dir / "out"), Catch::Contains("SIGTERM"));
    auto bad =
        run("'" + sealift_binary() + "' mirror serve --store '" + (dir / "store").string() + "' --listen nowhere");
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.err, Catch::Contains("'nowhere'"));
    auto missing = run("'" + sealift_binary() + "' mirror serve --listen 127.0.0.1:0");
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.err, Catch::Contains("--store"));
}
