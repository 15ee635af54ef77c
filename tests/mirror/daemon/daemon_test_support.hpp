// Shared by the daemon tests: a site (store, drop folder, import folder, admin
// token, trust root, bundles of one release line) and its daemon in-process on
// 127.0.0.1 with free ports.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <thread>

#include "mirror/daemon/daemon.hpp"
#include "support/server_test_support.hpp"
#include "support/store_test_support.hpp"

namespace sealift::test {

inline const std::string admin_token = "s3cret-admin-token-0123456789";

struct DaemonSite : StoreSite {
    std::filesystem::path drop = dir / "incoming";
    std::filesystem::path imports = dir / "imports";
    std::filesystem::path token_file = dir / "admin-token";
    std::unique_ptr<mirror::daemon::MirrorDaemon> daemon;

    DaemonSite() {
        std::filesystem::create_directories(imports);
        write_text(token_file, admin_token + "\n");
    }

    mirror::daemon::DaemonConfig config() const {
        mirror::daemon::DaemonConfig c;
        c.listen = "127.0.0.1:0";
        c.store = store;
        c.create_store = true;  // the first start makes the store
        c.drop_folder = drop;
        c.import_folder = imports;
        c.trust_root = fx.trust_file;
        c.admin_listen = "127.0.0.1:0";
        c.admin_token_file = token_file;
        c.threads = 1;
        c.settle_time = std::chrono::milliseconds(300);
        c.log_level = "warn";
        return c;
    }

    void start(const mirror::daemon::DaemonConfig& c) {
        daemon = std::make_unique<mirror::daemon::MirrorDaemon>(c);
        daemon->start();
    }
    void start() { start(config()); }

    std::string registry_url() const { return "http://" + daemon->address(); }
    std::string admin_url() const { return "http://" + daemon->admin_address(); }
    HttpAnswer admin(const std::string& method, const std::string& path, const std::string& body = "",
                     const std::string& token = admin_token) {
        std::string options = "-X " + method;
        if (!token.empty()) options += " -H 'Authorization: Bearer " + token + "'";
        if (!body.empty()) options += " -H 'Content-Type: application/json' --data-raw '" + body + "'";
        return curl(admin_url() + path, options);
    }
};

// Polls `done` every 20 ms for up to `limit`; true when it came true.
inline bool eventually(const std::function<bool()>& done, std::chrono::milliseconds limit = std::chrono::seconds(30)) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return done();
}

}  // namespace sealift::test
