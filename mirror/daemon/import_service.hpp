// Runs the daemon's imports one at a time, in arrival order, on one thread:
// bundles arriving in the drop folder (inotify) and those the admin API asks
// for. A drop-folder bundle then moves to imported/ or rejected/ (with
// NAME.reason beside it). A file is never taken while it may still be written:
// `*.part` names are ignored until renamed, and a file that was not renamed in
// must keep its size and mtime for `settle_time` first.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "core/json.hpp"
#include "mirror/daemon/json_log.hpp"

namespace sealift::mirror::daemon {

struct ImportServiceOptions {
    std::filesystem::path drop_folder;    // empty: no watcher
    std::filesystem::path import_folder;  // admin API may import from here too; empty: none
    std::chrono::milliseconds settle_time{2000};
};

// Imports one bundle; returns what was imported ("platform 1.0.0 (stable)"),
// throws sealift::Error naming the reason when the bundle is refused.
using ImportFunction = std::function<std::string(const std::filesystem::path& bundle)>;

class ImportService {
public:
    ImportService(ImportServiceOptions options, ImportFunction import, const JsonLog& log);
    ~ImportService();
    ImportService(const ImportService&) = delete;
    ImportService& operator=(const ImportService&) = delete;

    // Creates the drop folder with imported/ and rejected/, watches it, queues the
    // bundles already there (oldest first), and starts the import thread.
    void start();
    // Lets a running import finish, then returns; queued bundles stay where they are.
    void stop();

    // Queues a bundle named by the admin API: a file name or path inside the drop
    // folder or the import folder (no other paths). Returns the job id; Errc::usage
    // naming the path when it is not a regular file inside one of them.
    std::uint64_t submit(const std::string& path);

    // Queued, running and the last finished jobs: [{id, path, origin, state, release, reason}].
    Json jobs() const;
    bool busy() const;

private:
    struct Job {
        std::uint64_t id = 0;
        std::filesystem::path path;
        std::string origin;            // "drop-folder" or "admin"
        std::string state = "queued";  // queued, running, imported, rejected
        std::string release, reason;
        bool in_drop_folder = false;
        bool renamed_in = false;  // arrived by rename: complete by convention
        // Size-stable check of files that were not renamed in.
        std::uintmax_t last_size = 0;
        std::filesystem::file_time_type last_mtime{};
        std::chrono::steady_clock::time_point stable_since{};
        bool seen = false;
    };

    void run();
    void read_events();
    void enqueue_drop_file(const std::string& name, bool renamed_in);
    void scan_existing();
    // Whether the front job may start now; otherwise how long to wait before looking again.
    bool settled(Job& job, std::chrono::milliseconds& wait);
    void execute(Job& job);
    void finish_drop_file(const Job& job);
    void remember(const Job& job);
    void wake();

    ImportServiceOptions options_;
    ImportFunction import_;
    const JsonLog& log_;
    int inotify_fd_ = -1, wake_fd_ = -1;
    std::thread thread_;

    mutable std::mutex mutex_;
    std::deque<Job> queue_;     // arrival order
    std::deque<Job> finished_;  // newest last, bounded
    std::uint64_t next_id_ = 1;
    bool running_job_ = false;
    Job current_;
    bool stopping_ = false;
};

// Whether a drop-folder entry name is a bundle to take: not hidden, not `*.part`, not `*.reason`.
bool is_drop_candidate(const std::string& name);

}  // namespace sealift::mirror::daemon
