// The daemon's YAML config: every key, environment overrides, and one-line
// errors naming file:line:col and the key (or the variable).
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "mirror/daemon/daemon.hpp"
#include "support/support.hpp"

using namespace sealift;
namespace md = sealift::mirror::daemon;

namespace {

using Env = std::map<std::string, std::string>;

std::string config_error(const std::filesystem::path& file, const Env& env = {}) {
    try {
        md::load_daemon_config(file, env);
    } catch (const Error& e) {
        CHECK(e.code() == Errc::usage);
        return e.what();
    }
    return "LOADED";
}

}  // namespace

TEST_CASE("daemon config: every key is read, relative paths are the file's folder's") {
    test::TempDir dir;
    auto file = dir / "mirror.yaml";
    test::write_text(file,
                     "listen: 127.0.0.1:5000\n"
                     "store: store\n"
                     "drop_folder: /srv/incoming\n"
                     "import_folder: imports\n"
                     "trust_root: trust.json\n"
                     "default_registry: registry.example.com\n"
                     "tls:\n  cert: tls/cert.pem\n  key: tls/key.pem\n"
                     "admin:\n  listen: 127.0.0.1:5001\n  token_file: admin-token\n"
                     "log_level: debug\n"
                     "limits:\n  threads: 2\n  max_connections: 100\n  idle_timeout: 2m\n  header_timeout: 5s\n"
                     "  drain_timeout: 3s\n  settle_time: 1s\n"
                     "upstreams:\n  registry.example.com:\n    url: https://registry.example.com\n"
                     "    ca_file: ca.pem\n    username: puller\n    password_file: pw\n");
    auto c = md::load_daemon_config(file, {});
    CHECK(c.listen == "127.0.0.1:5000");
    CHECK(c.store == dir.path() / "store");
    CHECK(c.drop_folder == "/srv/incoming");
    CHECK(c.import_folder == dir.path() / "imports");
    CHECK(c.trust_root == dir.path() / "trust.json");
    CHECK(c.default_registry == "registry.example.com");
    CHECK(c.tls_cert == dir.path() / "tls/cert.pem");
    CHECK(c.tls_key == dir.path() / "tls/key.pem");
    CHECK(c.admin_listen == "127.0.0.1:5001");
    CHECK(c.admin_token_file == dir.path() / "admin-token");
    CHECK(c.log_level == "debug");
    CHECK(c.threads == 2);
    CHECK(c.max_connections == 100);
    CHECK(c.idle_timeout == std::chrono::minutes(2));
    CHECK(c.header_timeout == std::chrono::seconds(5));
    CHECK(c.drain_timeout == std::chrono::seconds(3));
    CHECK(c.settle_time == std::chrono::seconds(1));
    REQUIRE(c.upstreams.count("registry.example.com"));
    const auto& up = c.upstreams.at("registry.example.com");
    CHECK(up.url == "https://registry.example.com");
    CHECK(up.ca_file == dir.path() / "ca.pem");
    CHECK(up.username == "puller");
    CHECK(up.password_file == dir.path() / "pw");
}

TEST_CASE("daemon config: SEALIFT_MIRROR_* variables override the file, mechanically named") {
    test::TempDir dir;
    auto file = dir / "mirror.yaml";
    test::write_text(file, "store: /var/lib/a\nlisten: 127.0.0.1:5000\nlimits:\n  idle_timeout: 1m\n");
    auto c = md::load_daemon_config(
        file, {{"SEALIFT_MIRROR_STORE", "/var/lib/b"},
               {"SEALIFT_MIRROR_LIMITS_IDLE_TIMEOUT", "90s"},
               {"SEALIFT_MIRROR_ADMIN_LISTEN", "127.0.0.1:0"},
               {"SEALIFT_MIRROR_ADMIN_TOKEN_FILE", "/etc/token"},
               {"SEALIFT_MIRROR_UPSTREAMS", "docker.io=https://mirror.local,quay.io=http://q:5000"},
               {"PATH", "/usr/bin"}});
    CHECK(c.store == "/var/lib/b");
    CHECK(c.listen == "127.0.0.1:5000");
    CHECK(c.idle_timeout == std::chrono::seconds(90));
    CHECK(c.admin_listen == "127.0.0.1:0");
    CHECK(c.admin_token_file == "/etc/token");
    CHECK(c.upstreams.size() == 2);
    CHECK(c.upstreams.at("quay.io").url == "http://q:5000");

    // No file at all: the environment alone.
    auto env_only = md::load_daemon_config({}, {{"SEALIFT_MIRROR_STORE", "/s"}});
    CHECK(env_only.store == "/s");
    CHECK(env_only.listen == "127.0.0.1:5000");
    CHECK(env_only.admin_listen.empty());
}

TEST_CASE("daemon config: bad input is one line naming file:line:col and the key") {
    test::TempDir dir;
    auto file = dir / "mirror.yaml";
    auto with = [&](const std::string& yaml) {
        test::write_text(file, yaml);
        return config_error(file);
    };
    auto f = file.string();
    CHECK(with("store: s\nlisen: 1.2.3.4:5\n") ==
          f + ":2:1: key 'lisen': unknown key (see `sealift mirror serve --help`)");
    CHECK(with("store: s\nadmin:\n  port: 5\n") ==
          f + ":3:3: key 'admin.port': unknown key (see `sealift mirror serve --help`)");
    CHECK(with("store: s\nlisten: nowhere\n") ==
          f + ":2:9: key 'listen': 'nowhere' is not a listen address HOST:PORT (no port)");
    CHECK(with("store: s\nlimits:\n  threads: many\n") ==
          f + ":3:12: key 'limits.threads': 'many' is not a whole number from 0 to 256");
    CHECK(with("store: s\nlimits:\n  idle_timeout: 5y\n")
              .find(f + ":3:17: key 'limits.idle_timeout': invalid duration unit") == 0);
    CHECK(with("store: s\nlog_level: loud\n") ==
          f + ":2:12: key 'log_level': 'loud' is not one of debug, info, warn, error");
    CHECK(with("store: [a, b]\n") == f + ":1:8: key 'store': must be a single value");
    CHECK(with("store: s\nstore: t\n") == f + ":2:1: key 'store': appears twice");
    CHECK(with("store: s\nupstreams:\n  docker.io:\n    url: ftp://x\n") ==
          f + ":4:10: key 'upstreams.docker.io.url': upstream URL 'ftp://x' must start with https:// or http://");
    CHECK(with("store: s\nupstreams:\n  docker.io:\n    uri: https://x\n") ==
          f + ":4:5: key 'upstreams.docker.io.uri': unknown key (url, ca_file, username, password_file)");
    CHECK(with("store: s\nupstreams:\n  docker.io:\n    url: https://a\n    url: https://b\n") ==
          f + ":5:5: key 'upstreams.docker.io.url': appears twice");
    CHECK(with("store: s\nupstreams:\n  Docker.IO:\n    url: https://x\n") ==
          f + ":3:3: key 'upstreams.Docker.IO': 'Docker.IO' is not a registry host (lower-case HOST[:PORT])");
    // Hosts follow the references' grammar (manifests::domain_problem), which says why.
    CHECK(
        with("store: s\nupstreams:\n  a..b:\n    url: https://x\n") ==
        f + ":3:3: key 'upstreams.a..b': 'a..b' is not a registry host (lower-case HOST[:PORT]): host component '' is "
            "not valid (letters, digits and inner '-', separated by '.')");
    CHECK(
        with("store: s\ndefault_registry: host:99999\n") ==
        f + ":2:19: key 'default_registry': 'host:99999' is not a registry host (lower-case HOST[:PORT]): port '99999' "
            "is not a number from 0 to 65535");
    CHECK(with("store: s\ndefault_registry: '[::1]:5000'\nupstreams:\n  '[::1]:5000':\n    url: http://[::1]:5000\n") ==
          "LOADED");
    CHECK(with("store: s\nlisten: [unclosed\n").find(f + ":") == 0);
    CHECK(with("listen: 127.0.0.1:5000\n") == f + ": key 'store': is required (the store folder to serve)");
    CHECK(with("store: s\ntls:\n  cert: c.pem\n") == f + ":3:9: key 'tls.cert': tls.cert and tls.key go together");
    CHECK(with("store: s\nadmin:\n  listen: 127.0.0.1:6000\n") ==
          f + ":3:11: key 'admin.listen': an admin API needs admin.token_file");
}

TEST_CASE("daemon config: the admin API never shares the registry's address") {
    test::TempDir dir;
    auto file = dir / "mirror.yaml";
    auto f = file.string();
    for (auto [registry, admin] :
         std::vector<std::pair<std::string, std::string>>{{"127.0.0.1:5000", "127.0.0.1:5000"},
                                                          {":5000", "127.0.0.1:5000"},
                                                          {"127.0.0.1:5000", "0.0.0.0:5000"},
                                                          {"localhost:5000", "127.0.0.1:5000"}}) {
        test::write_text(file,
                         "store: s\nlisten: " + registry + "\nadmin:\n  listen: " + admin + "\n  token_file: t\n");
        CHECK(config_error(file) == f + ":4:11: key 'admin.listen': '" + admin + "' is the registry's address '" +
                                        registry + "': the admin API never shares the anonymous pull port");
    }
    test::write_text(file, "store: s\nlisten: 127.0.0.1:5000\nadmin:\n  listen: 127.0.0.2:5000\n  token_file: t\n");
    CHECK(config_error(file) == "LOADED");
}

TEST_CASE("daemon config: a bad variable names itself") {
    CHECK(config_error({}, {{"SEALIFT_MIRROR_STORE", "/s"}, {"SEALIFT_MIRROR_LISTN", "x"}}) ==
          "environment SEALIFT_MIRROR_LISTN: no such setting (see `sealift mirror serve --help`)");
    CHECK(config_error({}, {{"SEALIFT_MIRROR_STORE", "/s"}, {"SEALIFT_MIRROR_LIMITS_MAX_CONNECTIONS", "0"}}) ==
          "environment SEALIFT_MIRROR_LIMITS_MAX_CONNECTIONS (key 'limits.max_connections'): '0' is not a whole number "
          "from 1 to 1000000");
    CHECK(config_error({}, {{"SEALIFT_MIRROR_STORE", "/s"}, {"SEALIFT_MIRROR_UPSTREAMS", "docker.io"}}) ==
          "environment SEALIFT_MIRROR_UPSTREAMS: 'docker.io' is not HOST=URL");
    CHECK(config_error({}, {{"SEALIFT_MIRROR_STORE", "/s"},
                            {"SEALIFT_MIRROR_ADMIN_LISTEN", "127.0.0.1:5000"},
                            {"SEALIFT_MIRROR_ADMIN_TOKEN_FILE", "/t"}}) ==
          "environment SEALIFT_MIRROR_ADMIN_LISTEN: key 'admin.listen': '127.0.0.1:5000' is the registry's address "
          "'127.0.0.1:5000': the admin API never shares the anonymous pull port");
    try {
        md::load_daemon_config("/nonexistent/mirror.yaml", {});
        FAIL("a missing config file was accepted");
    } catch (const Error& e) {
        CHECK(e.code() == Errc::io);
        CHECK(std::string(e.what()).find("/nonexistent/mirror.yaml") != std::string::npos);
    }
}

TEST_CASE("daemon config: --help text names every key and its variable") {
    auto help = md::daemon_config_help();
    for (const char* needle :
         {"listen:", "SEALIFT_MIRROR_LISTEN", "store:", "drop_folder:", "SEALIFT_MIRROR_DROP_FOLDER",
          "tls.cert:", "SEALIFT_MIRROR_TLS_KEY", "admin.listen:", "SEALIFT_MIRROR_ADMIN_TOKEN_FILE", "trust_root:",
          "default_registry:", "log_level:", "limits.settle_time:", "SEALIFT_MIRROR_LIMITS_DRAIN_TIMEOUT",
          "upstreams:", "SEALIFT_MIRROR_UPSTREAMS"})
        CHECK(help.find(needle) != std::string::npos);
}

TEST_CASE(
    "daemon config: a drop folder sharing a path with the store, or holding a file the daemon reads, is refused") {
    test::TempDir dir;
    auto file = dir / "mirror.yaml";
    auto f = file.string();
    auto with = [&](const std::string& text) {
        test::write_text(file, text);
        return config_error(file);
    };
    auto d = dir.path().string();
    CHECK(with("store: s\ndrop_folder: s\n") ==
          f + ":2:14: key 'drop_folder': drop_folder " + d + "/s is the store " + d +
              "/s or inside it (receipts, state and the audit log would be taken for bundles): use a folder outside "
              "the store");
    // Compared as folders, not as strings: another spelling of the same place is the same place.
    CHECK_THAT(with("store: s\ndrop_folder: ./x/../s/receipts/\n"),
               Catch::Contains("key 'drop_folder'") && Catch::Contains("is the store " + d + "/s"));
    std::filesystem::create_directories(dir / "real");
    std::filesystem::create_symlink(dir / "real", dir / "link");
    CHECK_THAT(with("store: real/store\ndrop_folder: link/store/incoming\n"),
               Catch::Contains("key 'drop_folder'") && Catch::Contains("or inside it"));
    CHECK(with("store: in/store\ndrop_folder: in\n") ==
          f + ":1:8: key 'store': store " + d + "/in/store is inside drop_folder " + d +
              "/in (its files would be taken for bundles): use a folder outside the drop folder");
    CHECK(with("store: s\ndrop_folder: in\ntls:\n  cert: c.pem\n  key: in/key.pem\n") ==
          f + ":5:8: key 'tls.key': tls.key " + d + "/in/key.pem is inside drop_folder " + d +
              "/in (it would be taken for a bundle and moved to rejected/): keep it outside the drop folder");
    CHECK_THAT(with("store: s\ndrop_folder: in\nadmin:\n  listen: 127.0.0.1:6000\n  token_file: in/token\n"),
               Catch::Contains("key 'admin.token_file': admin.token_file " + d + "/in/token is inside drop_folder"));
    CHECK_THAT(with("store: s\ndrop_folder: in\ntrust_root: in/trust.json\n"),
               Catch::Contains("key 'trust_root': trust_root " + d + "/in/trust.json is inside drop_folder"));
    CHECK_THAT(
        with("store: s\ndrop_folder: in\nupstreams:\n  docker.io:\n    url: https://x\n    password_file: in/pw\n"),
        Catch::Contains("upstreams.docker.io.password_file " + d + "/in/pw is inside drop_folder"));
    // Beside each other, or a name that only begins like the other's: fine.
    CHECK(with("store: s\ndrop_folder: in\n") == "LOADED");
    CHECK(with("store: s\ndrop_folder: s-incoming\ntls:\n  cert: c.pem\n  key: in-key.pem\n") == "LOADED");
}

TEST_CASE("daemon config: create_store is true or false") {
    test::TempDir dir;
    auto file = dir / "mirror.yaml";
    test::write_text(file, "store: s\ncreate_store: true\n");
    CHECK(md::load_daemon_config(file, {}).create_store);
    test::write_text(file, "store: s\n");
    CHECK_FALSE(md::load_daemon_config(file, {}).create_store);
    test::write_text(file, "store: s\ncreate_store: yes\n");
    CHECK(config_error(file) == file.string() + ":2:15: key 'create_store': 'yes' is not true or false");
}
