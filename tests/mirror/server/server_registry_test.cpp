// Conformance of the pull side, rebuilt from the distribution-spec conformance
// suite's assertions: status codes, headers, error bodies, ranges, pagination,
// referrers, name validation, HEAD against GET, and the mirror's ns mapping.
#include "support/server_test_support.hpp"

using namespace sealift;
using namespace sealift::test;

namespace {

const std::string oci_manifest = "application/vnd.oci.image.manifest.v1+json";
const std::string docker_manifest = "application/vnd.docker.distribution.manifest.v2+json";

struct Fixture {
    SnapshotBuilder store;
    std::string layer = std::string(100000, 'x') + "end";
    Digest layer_digest, config_digest;
    manifests::Descriptor api, web_docker, sbom;
    Fixture() {
        for (std::size_t i = 0; i < layer.size(); i += 7) layer[i] = static_cast<char>('a' + i % 26);
        const std::string repo = "registry.example.com/platform/api";
        layer_digest = store.blob(repo, layer);
        config_digest = store.blob(repo, "{\"architecture\":\"amd64\"}");
        // No mediaType field: the stored media type is what must be served.
        api = store.manifest(repo, "1.0.0", oci_manifest,
                             "{\"schemaVersion\":2,\"config\":{\"digest\":\"" + config_digest.str() + "\"}}");
        store.manifest(repo, "1.1.0", oci_manifest, "{\"schemaVersion\":2,\"v\":\"1.1\"}");
        store.manifest(repo, "latest", oci_manifest, "{\"schemaVersion\":2,\"v\":\"latest\"}");
        sbom = store.manifest(repo, "", oci_manifest,
                              "{\"schemaVersion\":2,\"artifactType\":\"application/vnd.cyclonedx+json\"}");
        sbom.artifact_type = "application/vnd.cyclonedx+json";
        sbom.annotations = {{"org.opencontainers.image.created", "2026-01-01T00:00:00Z"}};
        store.referrer(repo, api.digest, sbom);
        auto sig = store.manifest(repo, "", oci_manifest,
                                  "{\"schemaVersion\":2,\"artifactType\":\"application/vnd.dev.cosign\"}");
        sig.artifact_type = "application/vnd.dev.cosign";
        store.referrer(repo, api.digest, sig);
        web_docker = store.manifest("registry.example.com/platform/web", "2.0", docker_manifest,
                                    "{\"schemaVersion\":2,\"docker\":1}");
        // The same path under two hosts, and a chart.
        store.manifest("mirror.other.io/platform/web", "2.0", oci_manifest, "{\"schemaVersion\":2,\"other\":1}");
        store.manifest("quay.io/team/tool", "v1", oci_manifest, "{\"schemaVersion\":2,\"tool\":1}");
        store.manifest("charts/platform-core", "1.0.0_build.1", "application/vnd.oci.image.manifest.v1+json",
                       "{\"chart\":1}");
    }
};

}  // namespace

TEST_CASE("GET /v2/ answers 200 with the API version header") {
    Fixture f;
    ServedSnapshot s(f.store.build());
    auto a = curl(s.base() + "/v2/");
    CHECK(a.status == 200);
    CHECK(a.header("docker-distribution-api-version") == "registry/2.0");
    CHECK(a.body == "{}");
    CHECK(curl(s.base() + "/v2").status == 200);
}

TEST_CASE("manifests by tag and by digest: stored bytes, stored media type, digest, length, ETag; HEAD has no body") {
    Fixture f;
    ServedSnapshot s(f.store.build(), "registry.example.com");
    auto by_tag = curl(s.base() + "/v2/platform/api/manifests/1.0.0");
    REQUIRE(by_tag.status == 200);
    CHECK(by_tag.header("content-type") == oci_manifest);
    CHECK(by_tag.header("docker-content-digest") == f.api.digest.str());
    CHECK(by_tag.header("etag") == "\"" + f.api.digest.str() + "\"");
    CHECK(by_tag.header("content-length") == std::to_string(f.api.size));
    CHECK(Sha256::of(by_tag.body) == f.api.digest);

    auto by_digest = curl(s.base() + "/v2/platform/api/manifests/" + f.api.digest.str());
    CHECK(by_digest.status == 200);
    CHECK(by_digest.body == by_tag.body);

    auto head = curl(s.base() + "/v2/platform/api/manifests/1.0.0", "-I");
    CHECK(head.status == 200);
    CHECK(head.body.empty());
    CHECK(head.header("content-length") == std::to_string(f.api.size));
    CHECK(head.header("docker-content-digest") == f.api.digest.str());

    auto docker = curl(s.base() + "/v2/platform/web/manifests/2.0");
    CHECK(docker.header("content-type") == docker_manifest);

    auto cached =
        curl(s.base() + "/v2/platform/api/manifests/1.0.0", "-H 'If-None-Match: \"" + f.api.digest.str() + "\"'");
    CHECK(cached.status == 304);
    CHECK(cached.body.empty());
}

TEST_CASE("unknown manifests, repositories and blobs are spec errors naming them") {
    Fixture f;
    ServedSnapshot s(f.store.build(), "registry.example.com");
    auto tag = curl(s.base() + "/v2/platform/api/manifests/9.9.9");
    CHECK(tag.status == 404);
    CHECK(error_code(tag) == "MANIFEST_UNKNOWN");
    CHECK_THAT(error_message(tag), Catch::Contains("9.9.9") && Catch::Contains("platform/api"));
    CHECK(tag.header("docker-distribution-api-version") == "registry/2.0");
    CHECK(tag.header("content-type") == "application/json");

    auto head = curl(s.base() + "/v2/platform/api/manifests/9.9.9", "-I");
    CHECK(head.status == 404);
    CHECK(head.body.empty());

    auto digest = curl(s.base() + "/v2/platform/api/manifests/sha256:" + std::string(64, 'a'));
    CHECK(error_code(digest) == "MANIFEST_UNKNOWN");
    auto repo = curl(s.base() + "/v2/platform/nothing/manifests/1.0.0");
    CHECK(repo.status == 404);
    CHECK(error_code(repo) == "NAME_UNKNOWN");
    CHECK_THAT(error_message(repo), Catch::Contains("platform/nothing"));
    auto blob = curl(s.base() + "/v2/platform/api/blobs/sha256:" + std::string(64, 'b'));
    CHECK(blob.status == 404);
    CHECK(error_code(blob) == "BLOB_UNKNOWN");
    CHECK_THAT(error_message(blob), Catch::Contains(std::string(64, 'b')));
    // A blob of another repository is not part of this one.
    auto foreign = curl(s.base() + "/v2/platform/web/blobs/" + f.layer_digest.str());
    CHECK(error_code(foreign) == "BLOB_UNKNOWN");
}

TEST_CASE("names, tags and digests are checked against the spec grammar: no path tricks") {
    Fixture f;
    ServedSnapshot s(f.store.build(), "registry.example.com");
    for (const std::string path : {"/v2/platform/../api/manifests/1.0.0", "/v2/platform/%2e%2e/api/manifests/1.0.0",
                                   "/v2/Platform/api/manifests/1.0.0", "/v2/platform//api/manifests/1.0.0",
                                   "/v2/platform/api-/manifests/1.0.0", "/v2/platform/api%2fx/manifests/1.0.0"}) {
        auto a = curl(s.base() + path, "--path-as-is");
        INFO(path);
        CHECK(a.status == 400);
        CHECK(error_code(a) == "NAME_INVALID");
        CHECK_THAT(error_message(a), Catch::Contains("invalid repository name"));
    }
    auto bad_digest = curl(s.base() + "/v2/platform/api/blobs/sha256:XYZ");
    CHECK(bad_digest.status == 400);
    CHECK(error_code(bad_digest) == "DIGEST_INVALID");
    CHECK_THAT(error_message(bad_digest), Catch::Contains("sha256:XYZ"));
    auto bad_manifest_digest = curl(s.base() + "/v2/platform/api/manifests/sha256:abc");
    CHECK(error_code(bad_manifest_digest) == "DIGEST_INVALID");
    // A tag outside the grammar names no manifest: the spec's answer is 404 MANIFEST_UNKNOWN (was 400 TAG_INVALID,
    // which three tests of the conformance suite refuse).
    for (const std::string& tag : std::vector<std::string>{"..", "-bad", "a%2fb", std::string(129, 't')}) {
        auto bad_tag = curl(s.base() + "/v2/platform/api/manifests/" + tag, "--path-as-is");
        INFO(tag);
        CHECK(bad_tag.status == 404);
        CHECK(error_code(bad_tag) == "MANIFEST_UNKNOWN");
        CHECK_THAT(error_message(bad_tag), Catch::Contains("manifest '" + tag + "' is not in repository"));
        CHECK(curl(s.base() + "/v2/platform/api/manifests/" + tag, "--path-as-is -I").status == 404);
    }
    auto bad_ns = curl(s.base() + "/v2/platform/api/manifests/1.0.0?ns=../etc");
    CHECK(bad_ns.status == 400);
    CHECK_THAT(error_message(bad_ns), Catch::Contains("invalid namespace '../etc'"));
}

TEST_CASE("query parameters that are not UTF-8 once decoded are 400 naming them percent-encoded, never 500") {
    Fixture f;
    ServedSnapshot s(f.store.build(), "registry.example.com");
    struct Case {
        std::string target, code, named;
    };
    for (const Case& c : {Case{"/v2/platform/api/manifests/1.0.0?ns=%ff%fe", "NAME_INVALID", "ns='%FF%FE'"},
                          Case{"/v2/_catalog?n=%ff", "PAGINATION_NUMBER_INVALID", "n='%FF'"},
                          Case{"/v2/_catalog?last=a%c3", "UNSUPPORTED", "last='a%C3'"},
                          Case{"/v2/platform/api/tags/list?last=%80", "UNSUPPORTED", "last='%80'"},
                          Case{"/v2/platform/api/referrers/" + f.api.digest.str() + "?artifactType=%ed%a0%80",
                               "UNSUPPORTED", "artifactType='%ED%A0%80'"}}) {
        auto a = curl(s.base() + c.target);
        INFO(c.target);
        CHECK(a.status == 400);
        CHECK(error_code(a) == c.code);
        CHECK_THAT(error_message(a), Catch::Contains(c.named) && Catch::Contains("not UTF-8"));
    }
    // UTF-8 that is valid passes on to the handlers.
    CHECK(curl(s.base() + "/v2/_catalog?last=%c3%a9").status == 200);
}

TEST_CASE("pushes and deletes are UNSUPPORTED: the mirror is read-only") {
    Fixture f;
    ServedSnapshot s(f.store.build(), "registry.example.com");
    auto post = curl(s.base() + "/v2/platform/api/blobs/uploads/", "-X POST");
    CHECK(post.status == 405);
    CHECK(post.header("allow") == "GET, HEAD");  // RFC 9110 15.5.6: a 405 says what is allowed
    CHECK(error_code(post) == "UNSUPPORTED");
    CHECK_THAT(error_message(post), Catch::Contains("read-only"));
    auto put = curl(s.base() + "/v2/platform/api/manifests/2.0.0",
                    "-X PUT -H 'Content-Type: " + oci_manifest + "' --data-binary '{}'");
    CHECK(put.status == 405);
    CHECK(put.header("allow") == "GET, HEAD");
    // The pull listener reads no body: the answer comes, then the connection closes.
    CHECK(put.header("connection") == "close");
    auto del = curl(s.base() + "/v2/platform/api/manifests/" + f.api.digest.str(), "-X DELETE");
    CHECK(error_code(del) == "UNSUPPORTED");
    // A chunked upload body is not read: the answer comes, then the connection closes.
    auto chunked = curl(s.base() + "/v2/platform/api/blobs/uploads/x",
                        "-X PATCH -H 'Transfer-Encoding: chunked' --data-binary 'abc'");
    CHECK(chunked.status == 405);
    CHECK(chunked.header("connection") == "close");
}

TEST_CASE("HEAD answers carry the GET's length but no body: the next answer on the connection follows at once") {
    Fixture f;
    ServedSnapshot s(f.store.build(), "registry.example.com");
    RawClient c(s.port());
    std::string blob = "/v2/platform/api/blobs/" + f.layer_digest.str();
    c.send("HEAD " + blob +
           " HTTP/1.1\r\nHost: x\r\n\r\nHEAD /v2/platform/api/manifests/1.0.0 HTTP/1.1\r\nHost: x\r\n\r\n"
           "GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n");
    std::string answers = c.read_until("\r\n\r\n{}");
    auto first_end = answers.find("\r\n\r\n") + 4;
    CHECK_THAT(answers.substr(0, first_end), Catch::Contains("Content-Length: " + std::to_string(f.layer.size())));
    auto second_end = answers.find("\r\n\r\n", first_end) + 4;
    CHECK(answers.compare(first_end, 15, "HTTP/1.1 200 OK") == 0);
    CHECK_THAT(answers.substr(first_end, second_end - first_end),
               Catch::Contains("Content-Length: " + std::to_string(f.api.size)));
    CHECK(answers.compare(second_end, 15, "HTTP/1.1 200 OK") == 0);
    CHECK(answers.size() == answers.find("\r\n\r\n{}") + 6);
}

TEST_CASE("blobs: whole, HEAD, single and multiple ranges, 416, caching headers") {
    Fixture f;
    ServedSnapshot s(f.store.build(), "registry.example.com");
    std::string url = s.base() + "/v2/platform/api/blobs/" + f.layer_digest.str();
    auto whole = curl(url);
    REQUIRE(whole.status == 200);
    CHECK(whole.body == f.layer);
    CHECK(whole.header("docker-content-digest") == f.layer_digest.str());
    CHECK(whole.header("etag") == "\"" + f.layer_digest.str() + "\"");
    CHECK(whole.header("accept-ranges") == "bytes");
    CHECK_THAT(whole.header("cache-control"), Catch::Contains("max-age=31536000"));
    CHECK(whole.header("content-type") == "application/octet-stream");

    auto head = curl(url, "-I");
    CHECK(head.status == 200);
    CHECK(head.header("content-length") == std::to_string(f.layer.size()));
    CHECK(head.body.empty());

    auto one = curl(url, "-H 'Range: bytes=10-19'");
    CHECK(one.status == 206);
    CHECK(one.body == f.layer.substr(10, 10));
    CHECK(one.header("content-range") == "bytes 10-19/" + std::to_string(f.layer.size()));
    auto suffix = curl(url, "-H 'Range: bytes=-3'");
    CHECK(suffix.body == f.layer.substr(f.layer.size() - 3));
    auto open_ended = curl(url, "-H 'Range: bytes=99990-'");
    CHECK(open_ended.body == f.layer.substr(99990));

    auto multi = curl(url, "-H 'Range: bytes=0-4,100-104'");
    CHECK(multi.status == 206);
    CHECK_THAT(multi.header("content-type"), Catch::StartsWith("multipart/byteranges; boundary="));
    std::string boundary = multi.header("content-type").substr(multi.header("content-type").find('=') + 1);
    CHECK_THAT(multi.body, Catch::Contains("--" + boundary +
                                           "\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 0-4/"));
    CHECK_THAT(multi.body, Catch::Contains("\r\n\r\n" + f.layer.substr(0, 5) + "\r\n--" + boundary));
    CHECK_THAT(multi.body, Catch::Contains("\r\n\r\n" + f.layer.substr(100, 5) + "\r\n--" + boundary + "--\r\n"));
    CHECK(multi.header("content-length") == std::to_string(multi.body.size()));

    // Ranges overlapping beyond the blob's size: sent once, whole, not once per range.
    auto overlapping = curl(url, "-H 'Range: bytes=0-,0-,0-'");
    CHECK(overlapping.status == 200);
    CHECK(overlapping.body == f.layer);

    auto unsatisfiable = curl(url, "-H 'Range: bytes=200000-300000'");
    CHECK(unsatisfiable.status == 416);
    CHECK(unsatisfiable.header("content-range") == "bytes */" + std::to_string(f.layer.size()));
    // If-Range with another validator: the whole blob.
    auto if_range = curl(url, "-H 'Range: bytes=0-1' -H 'If-Range: \"sha256:other\"'");
    CHECK(if_range.status == 200);
    CHECK(if_range.body.size() == f.layer.size());
}

TEST_CASE("tags/list in lexical order with n, last and Link") {
    Fixture f;
    ServedSnapshot s(f.store.build(), "registry.example.com");
    auto all = curl(s.base() + "/v2/platform/api/tags/list");
    CHECK(all.status == 200);
    CHECK(all.json() == Json::parse(R"({"name":"platform/api","tags":["1.0.0","1.1.0","latest"]})"));
    CHECK(all.header("link").empty());

    auto first = curl(s.base() + "/v2/platform/api/tags/list?n=2");
    CHECK(first.json()["tags"] == Json::parse(R"(["1.0.0","1.1.0"])"));
    CHECK(first.header("link") == "</v2/platform/api/tags/list?n=2&last=1.1.0>; rel=\"next\"");
    auto next = curl(s.base() + "/v2/platform/api/tags/list?n=2&last=1.1.0");
    CHECK(next.json()["tags"] == Json::parse(R"(["latest"])"));
    CHECK(next.header("link").empty());
    CHECK(curl(s.base() + "/v2/platform/api/tags/list?n=0").json()["tags"] == Json::array());
    auto bad = curl(s.base() + "/v2/platform/api/tags/list?n=many");
    CHECK(bad.status == 400);
    CHECK_THAT(error_message(bad), Catch::Contains("n='many'"));
    CHECK(error_code(curl(s.base() + "/v2/platform/none/tags/list")) == "NAME_UNKNOWN");
}

TEST_CASE("_catalog lists the stored repositories with pagination") {
    Fixture f;
    ServedSnapshot s(f.store.build());
    auto all = curl(s.base() + "/v2/_catalog").json()["repositories"];
    CHECK(all == Json::parse(R"(["charts/platform-core","mirror.other.io/platform/web","quay.io/team/tool",
                                 "registry.example.com/platform/api","registry.example.com/platform/web"])"));
    auto page = curl(s.base() + "/v2/_catalog?n=2");
    CHECK(page.json()["repositories"].size() == 2);
    CHECK(page.header("link") == "</v2/_catalog?n=2&last=mirror.other.io%2Fplatform%2Fweb>; rel=\"next\"");
    auto rest = curl(s.base() + "/v2/_catalog?n=10&last=mirror.other.io%2Fplatform%2Fweb").json()["repositories"];
    CHECK(rest.size() == 3);
}

TEST_CASE("referrers: an image index of the subject's referrers, filtered by artifactType") {
    Fixture f;
    ServedSnapshot s(f.store.build(), "registry.example.com");
    auto all = curl(s.base() + "/v2/platform/api/referrers/" + f.api.digest.str());
    CHECK(all.status == 200);
    CHECK(all.header("content-type") == "application/vnd.oci.image.index.v1+json");
    auto index = all.json();
    CHECK(index["schemaVersion"] == 2);
    CHECK(index["mediaType"] == "application/vnd.oci.image.index.v1+json");
    CHECK(index["manifests"].size() == 2);
    CHECK(all.header("oci-filters-applied").empty());

    auto filtered = curl(s.base() + "/v2/platform/api/referrers/" + f.api.digest.str() +
                         "?artifactType=application%2Fvnd.cyclonedx%2Bjson");
    CHECK(filtered.header("oci-filters-applied") == "artifactType");
    auto manifests = filtered.json()["manifests"];
    REQUIRE(manifests.size() == 1);
    CHECK(manifests[0]["digest"] == f.sbom.digest.str());
    CHECK(manifests[0]["artifactType"] == "application/vnd.cyclonedx+json");
    CHECK(manifests[0]["size"] == f.sbom.size);
    CHECK(manifests[0]["annotations"]["org.opencontainers.image.created"] == "2026-01-01T00:00:00Z");

    auto none = curl(s.base() + "/v2/platform/api/referrers/sha256:" + std::string(64, 'c'));
    CHECK(none.status == 200);
    CHECK(none.json()["manifests"] == Json::array());
    CHECK(curl(s.base() + "/v2/platform/api/referrers/sha256:nope").status == 400);
}

TEST_CASE("mirror mapping: ?ns=HOST, default host, unique host, HOST/path, charts") {
    Fixture f;
    ServedSnapshot s(f.store.build(), "registry.example.com");
    // containerd's hosts.toml: the original host in ?ns=, echoed in OCI-Namespace.
    auto ns = curl(s.base() + "/v2/platform/web/manifests/2.0?ns=mirror.other.io");
    CHECK(ns.status == 200);
    CHECK(ns.header("oci-namespace") == "mirror.other.io");
    CHECK_THAT(ns.body, Catch::Contains("other"));
    auto ns_upper = curl(s.base() + "/v2/platform/web/manifests/2.0?ns=Registry.Example.COM");
    CHECK_THAT(ns_upper.body, Catch::Contains("docker"));
    // Two hosts hold platform/web: the default host wins without ns.
    CHECK_THAT(curl(s.base() + "/v2/platform/web/manifests/2.0").body, Catch::Contains("docker"));
    // One host holds team/tool: found without ns.
    CHECK(curl(s.base() + "/v2/team/tool/manifests/v1").status == 200);
    // HOST/path addresses a key directly; charts live at charts/<name>.
    CHECK_THAT(curl(s.base() + "/v2/mirror.other.io/platform/web/manifests/2.0").body, Catch::Contains("other"));
    CHECK(curl(s.base() + "/v2/charts/platform-core/manifests/1.0.0_build.1").status == 200);
    // An unknown namespace is a 404: the mirror never dials a host a client names.
    auto unknown = curl(s.base() + "/v2/platform/web/manifests/2.0?ns=evil.example.net");
    CHECK(unknown.status == 404);
    CHECK(error_code(unknown) == "NAME_UNKNOWN");
    CHECK_THAT(error_message(unknown), Catch::Contains("evil.example.net") && Catch::Contains("not mirrored"));
    // "charts" is a stored key's first component, not a registry host.
    auto charts_ns = curl(s.base() + "/v2/platform-core/manifests/1.0.0_build.1?ns=charts");
    CHECK(charts_ns.status == 404);
    CHECK_THAT(error_message(charts_ns), Catch::Contains("namespace 'charts' is not mirrored"));
    auto known_ns_unknown_repo = curl(s.base() + "/v2/platform/db/manifests/1?ns=registry.example.com");
    CHECK_THAT(error_message(known_ns_unknown_repo), Catch::Contains("platform/db"));
    // Link of a namespaced tag list keeps the namespace.
    auto tags = curl(s.base() + "/v2/platform/api/tags/list?n=1&ns=registry.example.com");
    CHECK(tags.header("link") == "</v2/platform/api/tags/list?n=1&last=1.0.0&ns=registry.example.com>; rel=\"next\"");
}

TEST_CASE("without a default host, a path two hosts hold is an error naming both") {
    Fixture f;
    ServedSnapshot s(f.store.build());
    auto a = curl(s.base() + "/v2/platform/web/manifests/2.0");
    CHECK(a.status == 404);
    CHECK_THAT(error_message(a), Catch::Contains("mirror.other.io") && Catch::Contains("registry.example.com") &&
                                     Catch::Contains("?ns="));
    CHECK(curl(s.base() + "/v2/platform/api/manifests/1.0.0").status == 200);
}

TEST_CASE("health, readiness and metrics") {
    Fixture f;
    ServedSnapshot s(f.store.build(), "registry.example.com");
    CHECK(curl(s.base() + "/healthz").status == 200);
    CHECK(curl(s.base() + "/readyz").status == 200);
    curl(s.base() + "/v2/platform/api/blobs/" + f.layer_digest.str());
    curl(s.base() + "/v2/platform/api/manifests/nope");
    auto m = curl(s.base() + "/metrics");
    CHECK(m.status == 200);
    CHECK_THAT(m.header("content-type"), Catch::StartsWith("text/plain; version=0.0.4"));
    CHECK_THAT(m.body,
               Catch::Contains("sealift_http_requests_total{listener=\"registry\",route=\"blobs\",status=\"200\"} 1"));
    CHECK_THAT(m.body, Catch::Contains(
                           "sealift_http_requests_total{listener=\"registry\",route=\"manifests\",status=\"404\"} 1"));
    CHECK_THAT(m.body,
               Catch::Contains("sealift_http_response_body_bytes_total{listener=\"registry\",route=\"blobs\"} " +
                               std::to_string(f.layer.size())));
    CHECK_THAT(m.body,
               Catch::Contains("sealift_http_request_duration_seconds_bucket{listener=\"registry\",le=\"+Inf\"}"));
    CHECK(curl(s.base() + "/healthz", "-X POST").status == 405);
}

TEST_CASE("a blob larger than one sendfile chunk arrives whole, to parallel clients, and in ranges across chunks") {
    SnapshotBuilder store;
    std::string big(20u << 20, '\0');
    std::uint32_t x = 12345;
    for (auto& c : big) {
        x = x * 1664525u + 1013904223u;
        c = static_cast<char>(x >> 24);
    }
    Digest digest = store.blob("registry.example.com/big/layer", big);
    ServedSnapshot s(store.build(), "registry.example.com");
    TempDir dir;
    std::string url = s.base() + "/v2/big/layer/blobs/" + digest.str();
    std::string fetch_all;
    for (int i = 0; i < 6; ++i)
        fetch_all += "curl -sf -o '" + (dir / std::to_string(i)).string() + "' '" + url + "' & ";
    auto r = run(fetch_all + "wait");
    CHECK(r.exit_code == 0);
    for (int i = 0; i < 6; ++i) {
        auto sum = run("sha256sum '" + (dir / std::to_string(i)).string() + "'");
        CHECK(sum.out.substr(0, 64) == std::string(digest.hex()));
    }
    std::uint64_t first = (8u << 20) - 100, last = (16u << 20) + 100;
    auto range = curl(url, "-H 'Range: bytes=" + std::to_string(first) + "-" + std::to_string(last) + "'");
    CHECK(range.status == 206);
    CHECK(range.body == big.substr(first, last - first + 1));
}
