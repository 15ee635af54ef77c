// The daemon as a process for the SIGTERM tests, until `sealift mirror serve
// --config` is wired to the same two calls: daemon_runner CONFIG.
#include <iostream>

#include "core/error.hpp"
#include "mirror/daemon/daemon.hpp"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: daemon_runner CONFIG\n";
        return 2;
    }
    try {
        auto config = sealift::mirror::daemon::load_daemon_config(argv[1], sealift::mirror::daemon::process_environment());
        return sealift::mirror::daemon::run_mirror_daemon(config);
    } catch (const sealift::Error& e) {
        std::cerr << "daemon_runner: " << e.what() << "\n";
        return e.code() == sealift::Errc::usage || e.code() == sealift::Errc::io ? 2 : 1;
    }
}
