// The embedded mirror under real clients, shared by the server and runtime
// config tests: `sealift mirror serve` and containerd as this test's children
// (stopped even when a test fails), and a release imported into a store.
#pragma once

#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <regex>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "core/json.hpp"
#include "support/registry_server.hpp"
#include "support/release_fixture.hpp"
#include "support/support.hpp"

namespace sealift::test {

// `sealift mirror serve` as a child on a free port; stopped even when the test fails.
class ServeProcess {
public:
    ServeProcess(const std::filesystem::path& store, const std::string& default_registry) {
        log_ = dir_ / "serve.log";
        process_ = std::make_unique<ChildProcess>(
            std::vector<std::string>{sealift_binary(), "mirror", "serve", "--store", store.string(), "--listen",
                                     "127.0.0.1:0", "--default-registry", default_registry},
            log_);
        // The first line on stdout is the bound address.
        static const std::regex address_line(R"(^(127\.0\.0\.1:\d+)$)");
        for (int i = 0; i < 200 && address_.empty(); ++i) {
            std::ifstream in(log_);
            std::string line;
            while (std::getline(in, line)) {
                std::smatch m;
                if (std::regex_match(line, m, address_line)) address_ = m[1];
            }
            if (address_.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(25));
        }
        INFO(read_text(log_));
        REQUIRE(!address_.empty());
    }
    const std::string& address() const { return address_; }
    std::string log() const { return read_text(log_); }

private:
    TempDir dir_;
    std::filesystem::path log_;
    std::unique_ptr<ChildProcess> process_;
    std::string address_;
};

// containerd as this test's own child: own root, state and socket, no CRI, nothing on the network.
class Containerd {
public:
    Containerd() {
        write_text(dir_ / "config.toml",
                   "version = 2\nroot = \"" + (dir_ / "root").string() + "\"\nstate = \"" + (dir_ / "state").string() +
                       "\"\ndisabled_plugins = [\"io.containerd.grpc.v1.cri\", \"io.containerd.snapshotter.v1.btrfs\", "
                       "\"io.containerd.snapshotter.v1.zfs\", \"io.containerd.snapshotter.v1.devmapper\", "
                       "\"io.containerd.snapshotter.v1.aufs\", \"io.containerd.tracing.processor.v1.otlp\", "
                       "\"io.containerd.internal.v1.opt\"]\n"
                       "[grpc]\n  address = \"" +
                       socket() + "\"\n[ttrpc]\n  address = \"" + socket() +
                       ".ttrpc\"\n"
                       "[debug]\n  address = \"\"\n[metrics]\n  address = \"\"\n");
        process_ = std::make_unique<ChildProcess>(
            std::vector<std::string>{"containerd", "--config", (dir_ / "config.toml").string()},
            dir_ / "containerd.log");
        for (int i = 0; i < 200; ++i) {
            if (run(ctr() + " version").exit_code == 0) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        FAIL("containerd did not start: " + read_text(dir_ / "containerd.log"));
    }
    std::string socket() const { return (dir_ / "containerd.sock").string(); }
    std::string ctr() const { return "ctr -a '" + socket() + "' -n sealift-test"; }
    // hosts.toml for `host`, pointing at the mirror (plain HTTP), in a fresh hosts dir.
    std::filesystem::path hosts_dir(const std::string& host, const std::string& mirror) const {
        auto dir = dir_ / "hosts";
        write_text(dir / host / "hosts.toml", "server = \"https://" + host + "\"\n\n[host.\"http://" + mirror +
                                                  "\"]\n  capabilities = [\"pull\", \"resolve\"]\n");
        return dir;
    }

private:
    TempDir dir_;
    std::unique_ptr<ChildProcess> process_;
};

struct ImportedRelease {
    ReleaseFixture release;
    TempDir dir;
    std::filesystem::path store = dir / "store";
    // `prepare` may change the release's contents before it is built.
    explicit ImportedRelease(const std::function<void(ReleaseFixture&)>& prepare = {}) {
        if (prepare) prepare(release);
        auto bundle = release.build();
        auto r = run("'" + sealift_binary() + "' mirror import -q '" + bundle.string() + "' --trust '" +
                     release.trust_file.string() + "' --create --store '" + store.string() + "'");
        INFO(r.out << r.err);
        REQUIRE(r.exit_code == 0);
    }
    // The manifest digest of `ref` in the release's OCI layout.
    std::string layout_digest(const std::string& ref) const {
        auto index = parse_json_strict(read_text(release.layout / "index.json"), "index.json");
        for (const auto& m : index["manifests"])
            if (m["annotations"]["org.opencontainers.image.ref.name"] == ref) return m["digest"];
        FAIL("no " + ref + " in the fixture layout");
        return "";
    }
};

}  // namespace sealift::test
