#include <pthread.h>
#include <signal.h>

#include <iostream>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/mirror_options.hpp"
#include "core/error.hpp"
#include "mirror/daemon/daemon.hpp"
#include "mirror/server/server.hpp"

namespace sealift::cli {
namespace {

constexpr CommandSpec kServe{
    "mirror serve", "--store DIR [--listen HOST:PORT] [options]  |  --config mirror.yaml",
    std::to_array<OptionSpec>({
        {"--config", "", "FILE", "run as the mirror daemon configured by FILE (keys below)"},
        {"--store", "", "DIR", "the store to serve (made by `sealift mirror init`)"},
        {"--listen", "", "HOST:PORT", "where to listen (default 127.0.0.1:5000; port 0 picks a free one)"},
        {"--default-registry", "", "HOST", "registry host tried first for a path without host"},
        {"--trust", "", "trust.json", "trust root for imports into the store (checked at start)"},
        {"--threads", "", "N", "event loops (default: one per core)"},
        {"--max-connections", "", "N", "open connections beyond which clients get 503 (default 4096)"},
        {"--idle-timeout", "", "SECONDS", "close keep-alive connections idle this long (default 60)"},
    }),
    "Serves the store read-only as an OCI registry (pull side of the distribution spec), also as a containerd / CRI-O "
    "mirror (see docs/mirror-server.md). The first line on stdout is the bound address (HOST:PORT). SIGTERM or SIGINT: "
    "stop accepting, finish the responses in flight (up to 10 s), exit 0.\n"
    "\n"
    "With --config the daemon also watches a drop folder, offers the admin API, pulls through configured upstreams and "
    "serves TLS (docs/site-admin.md); it prints 'registry HOST:PORT' (and 'admin HOST:PORT') first. Its keys, each "
    "also "
    "settable by environment variable:"};

int run_serve(const std::vector<std::string>& argv) {
    CommandArgs<kServe> args(argv);
    if (args.help_requested()) return std::cout << args.help_text() << "\n" << mirror::daemon::daemon_config_help(), 0;
    args.positionals(0, "no positional arguments");
    if (auto config = args.value("--config")) {
        // Every other option is a key of the file; the names come from the declaration, so
        // this reads them by name at run time (Args checks them there).
        for (const auto& option : kServe.options)
            if (option.long_name != "--config" && args.Args::value(option.long_name))
                fail(Errc::usage, "sealift mirror serve: with --config, set " + std::string(option.long_name) +
                                      " in the file (or its SEALIFT_MIRROR_ variable), not on the command line");
        return mirror::daemon::run_mirror_daemon(
            mirror::daemon::load_daemon_config(*config, mirror::daemon::process_environment()));
    }
    mirror::server::MirrorServerOptions o;
    o.store = args.required("--store");
    o.listen = args.value("--listen").value_or("127.0.0.1:5000");
    o.default_registry = args.value("--default-registry").value_or("");
    o.limits.threads = args.number("--threads", 1, 256, 0);
    o.limits.max_connections = args.number("--max-connections", 1, 1'000'000, 4096);
    o.limits.idle_timeout = std::chrono::seconds(args.number("--idle-timeout", 1, 86'400, 60));
    if (args.value("--trust")) load_trust(args);

    // Block the stop signals before any thread starts, so only sigwait below sees them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    mirror::server::MirrorServer server(o);
    server.start();
    std::cout << server.address() << std::endl;
    std::cerr << "sealift mirror serve: serving " << o.store.string() << " on http://" << server.address() << "\n";
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    std::cerr << "sealift mirror serve: " << (signal_number == SIGTERM ? "SIGTERM" : "SIGINT")
              << ": finishing the responses in flight\n";
    server.stop(std::chrono::seconds(10));
    server.wait();
    return 0;
}

CommandRegistration registration{"mirror serve",
                                 "serve a store as a read-only OCI registry and containerd/CRI-O mirror", run_serve};

}  // namespace
}  // namespace sealift::cli
