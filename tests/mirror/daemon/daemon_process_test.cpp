// The daemon as a real process: addresses on stdout, JSON log lines on
// stderr, and SIGTERM: no new connections, requests in flight finish, the
// running import completes, exit 0.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <sstream>

#include "daemon_test_support.hpp"

using namespace sealift;
namespace fs = std::filesystem;

namespace {

// `sealift mirror serve --config` with stdout and stderr in files; killed (SIGKILL) if a test leaves it running.
class DaemonProcess {
public:
    DaemonProcess(const fs::path& config, const fs::path& dir) : out_(dir / "daemon.out"), err_(dir / "daemon.err") {
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_addopen(&actions, 2, err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        std::string program = test::sealift_binary(), mirror = "mirror", serve = "serve", flag = "--config",
                    config_arg = config.string();
        char* argv[] = {program.data(), mirror.data(), serve.data(), flag.data(), config_arg.data(), nullptr};
        REQUIRE(posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv, environ) == 0);
        posix_spawn_file_actions_destroy(&actions);
    }
    ~DaemonProcess() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    // "127.0.0.1:PORT" of the listener named on stdout ("registry", "admin"), once printed.
    std::string address(const std::string& listener) {
        std::string found;
        test::eventually(
            [&] {
                std::istringstream lines(test::read_text(out_));
                for (std::string line; std::getline(lines, line);)
                    if (line.rfind(listener + " ", 0) == 0) found = line.substr(listener.size() + 1);
                return !found.empty();
            },
            std::chrono::seconds(20));
        INFO(test::read_text(err_));
        REQUIRE_FALSE(found.empty());
        return found;
    }
    void signal(int number) { ::kill(pid_, number); }
    // The exit status, or -1 when it has not exited within `limit`.
    int wait(std::chrono::milliseconds limit) {
        int status = 0;
        bool exited = test::eventually([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; }, limit);
        if (!exited) return -1;
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::vector<Json> log_lines() const {
        std::vector<Json> out;
        std::istringstream lines(test::read_text(err_));
        for (std::string line; std::getline(lines, line);) out.push_back(parse_json_strict(line, "daemon log line"));
        return out;
    }

private:
    fs::path out_, err_;
    pid_t pid_ = -1;
};

bool has_event(const std::vector<Json>& lines, const std::string& event) {
    for (const auto& l : lines)
        if (l["event"] == event) return true;
    return false;
}

}  // namespace

TEST_CASE("daemon process: SIGTERM finishes the download in flight and the import, logs JSON lines, exits 0") {
    test::DaemonSite site;
    fs::create_directories(site.drop);
    fs::copy_file(site.first_bundle, site.drop / "first.bundle");
    auto config_file = site.dir / "mirror.yaml";
    test::write_text(
        config_file,
        "listen: 127.0.0.1:0\nstore: store\ncreate_store: true\ndrop_folder: incoming\nimport_folder: imports\n"
        "trust_root: " +
            site.fx.trust_file.string() +
            "\n"
            "admin:\n  listen: 127.0.0.1:0\n  token_file: admin-token\n"
            "limits:\n  threads: 1\n  drain_timeout: 20s\n  settle_time: 1s\n");
    DaemonProcess daemon(config_file, site.dir.path());
    auto registry = daemon.address("registry");
    CHECK_FALSE(daemon.address("admin").empty());
    REQUIRE(test::eventually([&] { return fs::exists(site.drop / "imported/first.bundle"); }));

    // A layer of 200000 bytes read at 100 KiB/s: about two seconds in flight.
    auto manifest = test::curl("http://" + registry + "/v2/platform/api/manifests/1.0.0",
                               "-H 'Accept: application/vnd.oci.image.manifest.v1+json'");
    REQUIRE(manifest.status == 200);
    std::string layer;
    Json manifest_json = manifest.json();
    for (const auto& l : manifest_json["layers"])
        if (l["size"] == 200000) layer = l["digest"];
    REQUIRE_FALSE(layer.empty());
    auto body = site.dir / "layer";
    std::string download = "curl -s -o '" + body.string() + "' -w '%{http_code}' --limit-rate 100K http://" + registry +
                           "/v2/platform/api/blobs/" + layer + " > '" + (site.dir / "code").string() + "'";
    std::thread downloader([&] { test::run(download); });
    std::this_thread::sleep_for(std::chrono::milliseconds(500));

    // A second bundle arrives just before the signal: its import, once started, completes.
    fs::copy_file(site.bundle("1.1.0"), site.drop / "second.bundle.part");
    fs::rename(site.drop / "second.bundle.part", site.drop / "second.bundle");
    daemon.signal(SIGTERM);
    int exit_code = daemon.wait(std::chrono::seconds(30));
    downloader.join();
    CHECK(exit_code == 0);
    CHECK(test::read_text(site.dir / "code") == "200");
    CHECK(Sha256::of(test::read_text(body)).str() == layer);
    CHECK(test::run("curl -s -m 2 http://" + registry + "/v2/").exit_code != 0);  // nobody listens any more

    // The second bundle is either imported whole or still waiting in the drop folder: never half.
    bool imported = fs::exists(site.drop / "imported/second.bundle");
    CHECK(imported != fs::exists(site.drop / "second.bundle"));
    CHECK(site.snapshot()->releases().size() == (imported ? 2u : 1u));

    auto lines = daemon.log_lines();
    REQUIRE_FALSE(lines.empty());
    for (const auto& l : lines) {
        CHECK(l["time"].is_string());
        CHECK(l["level"].is_string());
        CHECK(l["event"].is_string());
    }
    for (const char* event : {"started", "import_succeeded", "request", "stopping", "stopped"}) {
        INFO(event);
        CHECK(has_event(lines, event));
    }
    bool logged_blob = false;
    for (const auto& l : lines)
        if (l["event"] == "request" && l["route"] == "blobs" && l["status"] == 200 && l["bytes"] == 200000)
            logged_blob = true;
    CHECK(logged_blob);
}

TEST_CASE("mirror serve: --config and the simple flags do not mix") {
    test::TempDir dir;
    test::write_text(dir / "mirror.yaml", "store: s\n");
    auto r = test::run(test::sealift_binary() + " mirror serve --config '" + (dir / "mirror.yaml").string() +
                       "' --store other");
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("with --config, set --store in the file"));
}

TEST_CASE("daemon process: a bad config is one line on stderr and exit 2") {
    test::TempDir dir;
    auto config_file = dir / "mirror.yaml";
    test::write_text(config_file,
                     "store: s\nlisten: 127.0.0.1:5000\nadmin:\n  listen: 127.0.0.1:5000\n  token_file: t\n");
    DaemonProcess daemon(config_file, dir.path());
    CHECK(daemon.wait(std::chrono::seconds(10)) == 2);
    CHECK(test::read_text(dir / "daemon.err") ==
          "sealift: " + config_file.string() +
              ":4:11: key 'admin.listen': '127.0.0.1:5000' is the registry's address "
              "'127.0.0.1:5000': the admin API never shares the anonymous pull port\n");
}
