// `sealift mirror config`: each runtime's files are parsed as the runtime would
// (TOML with smol-toml, YAML with yaml-cpp) and checked for hosts, mirror
// locations and CA; containerd pulls by the original references through the
// written hosts.toml files, from the embedded mirror and from a TLS registry.
#include <yaml-cpp/yaml.h>

#include "mirror/import/name_mapping.hpp"
#include "mirror/store/store.hpp"

#include "support/serve_process_support.hpp"

using namespace sealift;
using namespace sealift::test;

namespace {

const std::string tool_ref = "quay.io/team/tool:2.0.0";
const std::string layer_type = "application/vnd.oci.image.layer.v1.tar";

// A real tar layer holding one file, so containerd can unpack the images it pulls.
std::string tar_layer(const std::string& file_name, const std::string& content) {
    TempDir dir;
    write_text(dir / "root" / file_name, content);
    auto r = run("tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C '" + (dir / "root").string() +
                 "' -cf '" + (dir / "layer.tar").string() + "' .");
    REQUIRE(r.exit_code == 0);
    return read_text(dir / "layer.tar");
}

// The fixture's two images plus one from a second registry, with unpackable layers.
void two_registries(ReleaseFixture& release) {
    write_layout(release.layout, {{release.api_ref, {{layer_type, tar_layer("api.txt", "api")}}},
                                  {release.web_ref, {{layer_type, tar_layer("web.txt", "web")}}},
                                  {tool_ref, {{layer_type, tar_layer("tool.txt", "tool")}}}});
}

std::string q(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

CommandResult mirror_config(const std::string& options) {
    return run(q(sealift_binary()) + " mirror config " + options);
}

// TOML files parsed by an independent parser; keyed as given.
Json parse_toml(const std::vector<std::filesystem::path>& files) {
    std::string command = "node " + q(source_dir() / "tests" / "node" / "toml-to-json.mjs");
    for (const auto& f : files) command += " " + q(f);
    auto r = run(command);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return Json::parse(r.out);
}

std::filesystem::path self_signed_ca(const TempDir& dir) {
    auto r = run(
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=mirror.site -days 1 -keyout " +
        q(dir / "ca.key") + " -out " + q(dir / "ca.pem") + " 2>&1");
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
    return dir / "ca.pem";
}

std::vector<std::string> yaml_strings(const YAML::Node& seq) {
    std::vector<std::string> out;
    for (const auto& n : seq) out.push_back(n.as<std::string>());
    return out;
}

struct BuiltRelease {
    ReleaseFixture release;
    std::filesystem::path bundle;
    BuiltRelease() {
        two_registries(release);
        bundle = release.build();
    }
    std::string bundle_options() const { return "--bundle " + q(bundle) + " --trust " + q(release.trust_file); }
};

}  // namespace

TEST_CASE("mirror config --store: every runtime's files send each upstream host to the embedded mirror") {
    ImportedRelease imported(two_registries);
    TempDir dir;
    auto ca = self_signed_ca(dir);
    std::string common =
        "--store " + q(imported.store) + " --mirror http://mirror.site:5000 --ca-file " + q(ca) + " -o ";
    auto pem = read_text(ca);

    SECTION("containerd: one hosts.toml per upstream host, mirror at the root (containerd sends ?ns=HOST)") {
        auto r = mirror_config("--runtime containerd " + common + q(dir / "out"));
        INFO(r.out << r.err);
        REQUIRE(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::Contains("wrote") && Catch::Contains("certs.d/quay.io/hosts.toml"));
        auto example = dir / "out" / "certs.d" / "registry.example.com" / "hosts.toml";
        auto quay = dir / "out" / "certs.d" / "quay.io" / "hosts.toml";
        auto parsed = parse_toml({example, quay});
        CHECK(parsed[example.string()]["server"] == "https://registry.example.com");
        CHECK(parsed[quay.string()]["server"] == "https://quay.io");
        for (const auto& file : {example, quay}) {
            const auto& host = parsed[file.string()]["host"];
            REQUIRE(host.size() == 1);
            const auto& entry = host["http://mirror.site:5000"];
            CHECK(entry["capabilities"] == Json::array({"pull", "resolve"}));
            CHECK(entry["ca"] == ca.string());
            CHECK(!entry.contains("override_path"));
        }
        CHECK(std::distance(std::filesystem::directory_iterator(dir / "out" / "certs.d"), {}) == 2);
        // Same input, same bytes: a second run changes nothing.
        auto again = mirror_config("--runtime containerd " + common + q(dir / "out"));
        CHECK(again.exit_code == 0);
        CHECK_THAT(again.out, Catch::Contains("unchanged") && !Catch::Contains("wrote"));
    }
    SECTION("cri-o: a [[registry]] per host with MIRROR/HOST as its mirror, tags too; the CA in certs.d") {
        auto r = mirror_config("--runtime cri-o " + common + q(dir / "out"));
        INFO(r.out << r.err);
        REQUIRE(r.exit_code == 0);
        auto conf = dir / "out" / "registries.conf.d" / "50-sealift.conf";
        auto registries = parse_toml({conf})[conf.string()]["registry"];
        REQUIRE(registries.size() == 2);
        CHECK(registries[0]["prefix"] == "quay.io");
        CHECK(registries[0]["location"] == "quay.io");
        CHECK(registries[0]["mirror-by-digest-only"] == false);
        CHECK(registries[0]["mirror"] == Json::array({{{"location", "mirror.site:5000/quay.io"}, {"insecure", true}}}));
        CHECK(registries[1]["prefix"] == "registry.example.com");
        CHECK(registries[1]["mirror"][0]["location"] == "mirror.site:5000/registry.example.com");
        CHECK(read_text(dir / "out" / "certs.d" / "mirror.site:5000" / "ca.crt") == pem);
    }
    SECTION("k3s: registries.yaml with the mirror as each host's endpoint, no rewrite, the CA in configs") {
        auto r = mirror_config("--runtime k3s " + common + q(dir / "out"));
        INFO(r.out << r.err);
        REQUIRE(r.exit_code == 0);
        auto doc = YAML::LoadFile((dir / "out" / "registries.yaml").string());
        REQUIRE(doc["mirrors"].size() == 2);
        for (const char* host : {"registry.example.com", "quay.io"}) {
            CHECK(yaml_strings(doc["mirrors"][host]["endpoint"]) ==
                  std::vector<std::string>{"http://mirror.site:5000"});
            CHECK(!doc["mirrors"][host]["rewrite"]);
        }
        CHECK(doc["configs"]["mirror.site:5000"]["tls"]["ca_file"].as<std::string>() == ca.string());
    }
    SECTION("openshift: digest and tag mirror sets from each host to MIRROR/HOST; the CA as a ConfigMap") {
        auto r = mirror_config("--runtime openshift " + common + q(dir / "out"));
        INFO(r.out << r.err);
        REQUIRE(r.exit_code == 0);
        for (auto [file, kind, list] :
             {std::tuple{"image-digest-mirror-set.yaml", "ImageDigestMirrorSet", "imageDigestMirrors"},
              std::tuple{"image-tag-mirror-set.yaml", "ImageTagMirrorSet", "imageTagMirrors"}}) {
            auto doc = YAML::LoadFile((dir / "out" / file).string());
            CHECK(doc["apiVersion"].as<std::string>() == "config.openshift.io/v1");
            CHECK(doc["kind"].as<std::string>() == kind);
            auto mirrors = doc["spec"][list];
            REQUIRE(mirrors.size() == 2);
            CHECK(mirrors[0]["source"].as<std::string>() == "quay.io");
            CHECK(yaml_strings(mirrors[0]["mirrors"]) == std::vector<std::string>{"mirror.site:5000/quay.io"});
            CHECK(mirrors[1]["source"].as<std::string>() == "registry.example.com");
            CHECK(yaml_strings(mirrors[1]["mirrors"]) ==
                  std::vector<std::string>{"mirror.site:5000/registry.example.com"});
        }
        auto configmap = YAML::LoadFile((dir / "out" / "mirror-ca-configmap.yaml").string());
        CHECK(configmap["metadata"]["namespace"].as<std::string>() == "openshift-config");
        CHECK(configmap["data"]["mirror.site..5000"].as<std::string>() == pem);
    }
}

TEST_CASE("containerd pulls every image by its original reference through the hosts.toml files mirror config wrote") {
    ImportedRelease imported(two_registries);
    ServeProcess serve(imported.store, "");  // no default host: only ?ns= finds the repositories
    TempDir dir;
    auto r = mirror_config("--runtime containerd --store " + q(imported.store) + " --mirror http://" + serve.address() +
                           " -o " + q(dir / "out"));
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    Containerd containerd;
    for (const auto& ref : {imported.release.api_ref, tool_ref}) {
        auto pull = run(containerd.ctr() + " image pull --snapshotter native --hosts-dir " +
                        q(dir / "out" / "certs.d") + " " + ref);
        INFO(ref << ": " << pull.out << pull.err << serve.log());
        REQUIRE(pull.exit_code == 0);
        auto listed = run(containerd.ctr() + " image ls");
        CHECK_THAT(listed.out, Catch::Contains(ref) && Catch::Contains(imported.layout_digest(ref)));
    }
}

TEST_CASE("mirror config --bundle: a registry target's paths follow the name mapping import used") {
    BuiltRelease built;
    TempDir dir;
    std::string mirror = built.bundle_options() + " --mirror https://registry.site/site";
    std::string common = mirror + " -o ";

    SECTION("default mapping: each host's paths land below the prefix") {
        auto r = mirror_config("--runtime containerd " + common + q(dir / "c"));
        INFO(r.out << r.err);
        REQUIRE(r.exit_code == 0);
        auto example = dir / "c" / "certs.d" / "registry.example.com" / "hosts.toml";
        auto entry = parse_toml({example})[example.string()]["host"]["https://registry.site/v2/site"];
        CHECK(entry["override_path"] == true);
        CHECK(entry["capabilities"] == Json::array({"pull", "resolve"}));

        REQUIRE(mirror_config("--runtime cri-o " + common + q(dir / "o")).exit_code == 0);
        auto conf = dir / "o" / "registries.conf.d" / "50-sealift.conf";
        auto registries = parse_toml({conf})[conf.string()]["registry"];
        REQUIRE(registries.size() == 2);
        CHECK(registries[0]["prefix"] == "quay.io");
        CHECK(registries[0]["mirror"] == Json::array({{{"location", "registry.site/site"}}}));

        REQUIRE(mirror_config("--runtime k3s " + common + q(dir / "k")).exit_code == 0);
        auto k3s = YAML::LoadFile((dir / "k" / "registries.yaml").string());
        CHECK(k3s["mirrors"]["quay.io"]["rewrite"]["^(.*)$"].as<std::string>() == "site/$1");
        CHECK(yaml_strings(k3s["mirrors"]["quay.io"]["endpoint"]) == std::vector<std::string>{"https://registry.site"});
        CHECK(!k3s["configs"]);
    }
    SECTION("rules that move repositories apart: one entry per repository; containerd cannot say it") {
        write_text(dir / "rules.yaml",
                   "rules:\n  - from: registry.example.com/platform/api\n    to: apps/api-server\n");
        std::string with_rules = mirror + " --rules " + q(dir / "rules.yaml") + " -o ";
        auto r = mirror_config("--runtime cri-o " + with_rules + q(dir / "o"));
        INFO(r.out << r.err);
        REQUIRE(r.exit_code == 0);
        auto conf = dir / "o" / "registries.conf.d" / "50-sealift.conf";
        auto registries = parse_toml({conf})[conf.string()]["registry"];
        REQUIRE(registries.size() == 3);
        CHECK(registries[0]["prefix"] == "quay.io");
        CHECK(registries[0]["mirror"][0]["location"] == "registry.site/site");
        CHECK(registries[1]["prefix"] == "registry.example.com/platform/api");
        CHECK(registries[1]["mirror"][0]["location"] == "registry.site/site/apps/api-server");
        CHECK(registries[2]["prefix"] == "registry.example.com/platform/web");
        CHECK(registries[2]["mirror"][0]["location"] == "registry.site/site/platform/web");

        REQUIRE(mirror_config("--runtime k3s " + with_rules + q(dir / "k")).exit_code == 0);
        auto rewrite =
            YAML::LoadFile((dir / "k" / "registries.yaml").string())["mirrors"]["registry.example.com"]["rewrite"];
        CHECK(rewrite["^platform/api$"].as<std::string>() == "site/apps/api-server");
        CHECK(rewrite["^platform/web$"].as<std::string>() == "site/platform/web");

        REQUIRE(mirror_config("--runtime openshift " + with_rules + q(dir / "s")).exit_code == 0);
        auto idms = YAML::LoadFile((dir / "s" / "image-digest-mirror-set.yaml").string())["spec"]["imageDigestMirrors"];
        REQUIRE(idms.size() == 3);
        CHECK(idms[1]["source"].as<std::string>() == "registry.example.com/platform/api");
        CHECK(yaml_strings(idms[1]["mirrors"]) == std::vector<std::string>{"registry.site/site/apps/api-server"});

        auto refused = mirror_config("--runtime containerd " + with_rules + q(dir / "c"));
        CHECK(refused.exit_code == 2);
        CHECK_THAT(refused.err, Catch::Contains("registry.example.com/platform/api -> site/apps/api-server") &&
                                    Catch::Contains("--runtime containerd"));
        CHECK(!std::filesystem::exists(dir / "c"));
    }
    SECTION("two images landing on one repository are refused, naming both") {
        write_text(dir / "rules.yaml",
                   "rules:\n  - from: registry.example.com/platform/api\n    to: same\n"
                   "  - from: registry.example.com/platform/web\n    to: same\n");
        auto r = mirror_config("--runtime cri-o " + common + q(dir / "o") + " --rules " + q(dir / "rules.yaml"));
        CHECK(r.exit_code != 0);
        CHECK_THAT(r.err, Catch::Contains("registry.example.com/platform/api") &&
                              Catch::Contains("registry.example.com/platform/web") &&
                              Catch::Contains("registry.site/site/same"));
        CHECK(!std::filesystem::exists(dir / "o"));
    }
}

TEST_CASE("containerd pulls by the original reference from a TLS registry target through override_path hosts.toml") {
    BuiltRelease built;
    RegistryServer registry(RegistryServer::Auth::none, RegistryServer::Tls::server);
    auto import =
        run(q(sealift_binary()) + " mirror import -q " + q(built.bundle) + " --trust " + q(built.release.trust_file) +
            " --no-receipt --to " + registry.host() + "/site --ca-file " + q(registry.ca_file()));
    INFO(import.out << import.err << registry.log());
    REQUIRE(import.exit_code == 0);
    TempDir dir;
    auto r = mirror_config("--runtime containerd " + built.bundle_options() + " --mirror https://" + registry.host() +
                           "/site --ca-file " + q(registry.ca_file()) + " -o " + q(dir / "out"));
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    Containerd containerd;
    for (const auto& ref : {built.release.web_ref, tool_ref}) {
        auto pull = run(containerd.ctr() + " image pull --snapshotter native --hosts-dir " +
                        q(dir / "out" / "certs.d") + " " + ref);
        INFO(ref << ": " << pull.out << pull.err << registry.log());
        REQUIRE(pull.exit_code == 0);
        CHECK_THAT(run(containerd.ctr() + " image ls -q").out, Catch::Contains(ref));
    }
}

TEST_CASE("the same image names under two hosts: import refuses them under the default mapping, mirror config too") {
    ReleaseFixture release;
    write_layout(release.layout, {{release.api_ref, {{layer_type, "api"}}},
                                  {release.web_ref, {{layer_type, "web"}}},
                                  {"quay.io/platform/api:1.0.0", {{layer_type, "other api"}}}});
    auto bundle = release.build();
    RegistryServer registry(RegistryServer::Auth::none);
    auto import = run(q(sealift_binary()) + " mirror import -q " + q(bundle) + " --trust " + q(release.trust_file) +
                      " --to " + registry.host() + "/site --plain-http --no-receipt");
    CHECK(import.exit_code != 0);
    CHECK_THAT(import.err, Catch::Contains("quay.io/platform/api") &&
                               Catch::Contains("registry.example.com/platform/api") &&
                               Catch::Contains("both land on repository"));
    TempDir dir;
    auto r = mirror_config("--runtime k3s --bundle " + q(bundle) + " --trust " + q(release.trust_file) +
                           " --mirror http://" + registry.host() + "/site -o " + q(dir / "out"));
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.err, Catch::Contains("quay.io/platform/api") && Catch::Contains("registry.example.com/platform/api"));
    // The embedded mirror keeps hosts apart: the same release imports into a store, and its config lists both hosts.
    auto store_import = run(q(sealift_binary()) + " mirror import -q " + q(bundle) + " --trust " +
                            q(release.trust_file) + " --create --store " + q(dir / "store"));
    INFO(store_import.err);
    REQUIRE(store_import.exit_code == 0);
    auto ok = mirror_config("--runtime openshift --store " + q(dir / "store") + " --mirror http://m:5000 -o " +
                            q(dir / "os"));
    INFO(ok.err);
    REQUIRE(ok.exit_code == 0);
    auto idms = YAML::LoadFile((dir / "os" / "image-digest-mirror-set.yaml").string())["spec"]["imageDigestMirrors"];
    CHECK(idms.size() == 2);
}

TEST_CASE("mirror config refuses bad input with one line naming the option or file") {
    ImportedRelease imported;
    TempDir dir;
    std::string store = " --store " + q(imported.store) + " -o " + q(dir / "out");
    auto refused = [&](const std::string& options, const std::string& expected) {
        auto r = mirror_config(options);
        INFO(options << "\n" << r.out << r.err);
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::Contains(expected));
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    };
    refused("--runtime docker --mirror http://m:5000" + store, "--runtime: unknown runtime 'docker'");
    refused("--runtime k3s --mirror ftp://m:5000" + store,
            "--mirror 'ftp://m:5000': want http(s)://HOST[:PORT][/PREFIX]");
    refused("--runtime k3s --mirror http://" + store, "--mirror 'http://': '' is not HOST[:PORT]");
    refused("--runtime k3s --mirror http://m_x:5000" + store, "'m_x:5000' is not HOST[:PORT]");
    refused("--runtime k3s --mirror http://m:99999" + store,
            "'m:99999' is not HOST[:PORT]: port '99999' is not a number from 0 to 65535");
    refused("--runtime k3s --mirror http://m:00" + store, "'m:00' is not HOST[:PORT]: port 0");
    refused("--runtime k3s --mirror http://[::1" + store, "'[::1' is not HOST[:PORT]: unclosed '['");
    refused("--runtime k3s --mirror https://m/Site --bundle x --trust y -o z", "path 'Site' is not a repository path");
    refused("--runtime k3s --mirror http://m:5000/site" + store, "the embedded mirror serves repositories at its root");
    refused("--runtime k3s --mirror http://m:5000 --store " + q(dir / "missing") + " -o " + q(dir / "out"),
            (dir / "missing").string());
    refused("--runtime k3s --mirror http://m:5000 -o " + q(dir / "out"),
            "give --store DIR (embedded mirror) or --bundle FILE");
    refused("--runtime k3s --mirror http://m:5000 --ca-file " + q(imported.release.trust_file) + store,
            "--ca-file " + imported.release.trust_file.string() + ": not a PEM certificate");
    refused("--runtime k3s --mirror http://m:5000 --rules r.yaml" + store, "--rules applies to --bundle only");

    refused("--runtime openshift --mirror https://[::1]:5000 --ca-file " + q(self_signed_ca(dir)) + store,
            "--runtime openshift --ca-file: the CA ConfigMap cannot name the IPv6 mirror [::1]:5000");
    auto ipv6 =
        mirror_config("--runtime k3s --mirror http://[::1]:5000 --store " + q(imported.store) + " -o " + q(dir / "v6"));
    INFO(ipv6.err);
    REQUIRE(ipv6.exit_code == 0);  // the mirror's host follows the references' grammar, IPv6 included
    CHECK(yaml_strings(YAML::LoadFile(
              (dir / "v6" / "registries.yaml").string())["mirrors"]["registry.example.com"]["endpoint"]) ==
          std::vector<std::string>{"http://[::1]:5000"});

    SECTION("an existing different file is kept unless --force; nothing is written then") {
        write_text(dir / "out" / "registries.yaml", "mirrors: {}\n");
        refused("--runtime k3s --mirror http://m:5000" + store,
                (dir / "out" / "registries.yaml").string() +
                    ": exists with different content; not overwritten (use --force");
        CHECK(read_text(dir / "out" / "registries.yaml") == "mirrors: {}\n");
        auto forced = mirror_config("--runtime k3s --mirror http://m:5000 --force" + store);
        CHECK(forced.exit_code == 0);
        CHECK_THAT(read_text(dir / "out" / "registries.yaml"), Catch::Contains("http://m:5000"));
    }
    SECTION("an empty store has nothing to mirror") {
        mirror::store::create_store(dir / "empty");
        refused("--runtime k3s --mirror http://m:5000 --store " + q(dir / "empty") + " -o " + q(dir / "out"),
                "store " + (dir / "empty").string() + " holds no images: import a release first");
    }
}

TEST_CASE("the embedded mirror's name mapping keeps hosts, so images differing only by host do not collide") {
    auto names = mirror::NameMapping::keeping_hosts();
    CHECK(names.repository("quay.io/platform/api") == "quay.io/platform/api");
    CHECK_NOTHROW(names.check_collisions({"registry.example.com/platform/api", "quay.io/platform/api"}));
    mirror::NameMapping registry(registry::Target::parse("registry.site/site"));
    CHECK_THROWS_WITH(registry.check_collisions({"registry.example.com/platform/api", "quay.io/platform/api"}),
                      Catch::Contains("registry.example.com/platform/api") && Catch::Contains("quay.io/platform/api"));
}
