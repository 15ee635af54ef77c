// The mirror daemon (`sealift mirror serve --config mirror.yaml`): the embedded
// registry server plus what a long-running site service needs: a YAML config
// with environment overrides, a drop folder watched with inotify, an admin API
// on its own listener behind a bearer token, pull-through from configured
// upstreams, TLS, JSON logs, and a clean stop on SIGTERM. docs/site-admin.md
// is the operator's guide.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

namespace sealift::mirror::daemon {

// Where pull-through fetches content the store lacks for one registry host.
struct UpstreamConfig {
    std::string url;                      // "https://registry.example.com" or "http://127.0.0.1:5000"
    std::filesystem::path ca_file;        // extra CA bundle; empty: system CAs
    std::string username;                 // empty: anonymous
    std::filesystem::path password_file;  // read at start, first line
};

struct DaemonConfig {
    std::filesystem::path source;  // the config file ("" when built from the environment only)

    std::string listen = "127.0.0.1:5000";    // anonymous registry (pull) listener
    std::filesystem::path tls_cert, tls_key;  // both or neither; serve both listeners over TLS
    std::filesystem::path store;              // required; a store unless create_store
    bool create_store = false;                // create the store at start when the folder is missing or empty
    std::filesystem::path drop_folder;        // empty: no drop folder
    std::filesystem::path import_folder;      // extra folder the admin API may import from; empty: none
    std::string default_registry;
    std::filesystem::path trust_root;  // pinned into a new store at its first import
    std::string admin_listen;          // empty: no admin API
    std::filesystem::path admin_token_file;
    std::map<std::string, UpstreamConfig> upstreams;  // registry host -> upstream
    std::string log_level = "info";                   // debug, info, warn, error

    unsigned threads = 0;  // event loops; 0 = one per core
    std::size_t max_connections = 4096;
    std::chrono::seconds idle_timeout{60}, header_timeout{10}, drain_timeout{10};
    std::chrono::milliseconds settle_time{2000};  // a drop-folder file must keep size and mtime this long

    // The background scrub (scrubber.hpp): a pass over every blob at most every interval, at most this fast.
    std::chrono::seconds scrub_interval = std::chrono::hours(24 * 7);
    std::uint64_t scrub_max_bytes_per_second = 20'000'000;  // 0: no background scrub
};

// Reads the YAML file (empty path: defaults only), then applies SEALIFT_MIRROR_*
// overrides from `environment` (NAME -> value), then checks the whole. Errors are
// Errc::usage, one line, naming FILE:LINE:COL and the key, or the variable.
DaemonConfig load_daemon_config(const std::filesystem::path& path,
                                const std::map<std::string, std::string>& environment);
// The paths' part of load_daemon_config's checks (the daemon runs it again at start, for
// a config built in code): Errc::usage naming both paths when the drop folder is the
// store, inside it or holds it, or holds a file the daemon reads (TLS, token, trust root,
// upstream secrets); folders are compared after resolving symbolic links and "..".
void check_daemon_paths(const DaemonConfig& config);

// The process environment as a map, for load_daemon_config.
std::map<std::string, std::string> process_environment();

// Every key with its variable, default and meaning (for `--help`).
std::string daemon_config_help();

// The running daemon; tests drive it in-process.
class MirrorDaemon {
public:
    // Opens the store, binds every listener, loads the admin token; throws sealift::Error.
    explicit MirrorDaemon(DaemonConfig config);
    ~MirrorDaemon();
    MirrorDaemon(const MirrorDaemon&) = delete;
    MirrorDaemon& operator=(const MirrorDaemon&) = delete;

    // Starts serving and the drop-folder watcher (which first takes the bundles already there).
    void start();
    // Lets an import in progress complete while every listener keeps serving (bundles not
    // yet started stay in the drop folder), then stops accepting and lets requests in
    // flight finish (up to drain_timeout).
    void stop();

    std::string address() const;        // the registry listener, "127.0.0.1:PORT"
    std::string admin_address() const;  // "" when there is no admin API

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

// Runs the daemon until SIGTERM or SIGINT; prints the bound addresses first
// ("registry HOST:PORT", "admin HOST:PORT" lines on stdout). Returns 0 after a clean stop.
int run_mirror_daemon(const DaemonConfig& config);

}  // namespace sealift::mirror::daemon
