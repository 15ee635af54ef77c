#include "mirror/daemon/import_service.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "core/error.hpp"
#include "core/file.hpp"

namespace sealift::mirror::daemon {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr std::size_t finished_kept = 100;

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Whether `path` (canonical) lies directly or deeper inside `root` (canonical).
bool inside(const fs::path& path, const fs::path& root) {
    auto rel = path.lexically_relative(root);
    return !rel.empty() && *rel.begin() != ".." && rel != ".";
}

Json job_json(std::uint64_t id, const fs::path& path, const std::string& origin, const std::string& state,
              const std::string& release, const std::string& reason) {
    Json j = {{"id", id}, {"path", path.string()}, {"origin", origin}, {"state", state}};
    if (!release.empty()) j["release"] = release;
    if (!reason.empty()) j["reason"] = reason;
    return j;
}

}  // namespace

bool is_drop_candidate(const std::string& name) {
    return !name.empty() && name[0] != '.' && !ends_with(name, ".part") && !ends_with(name, ".reason");
}

ImportService::ImportService(ImportServiceOptions options, ImportFunction import, const JsonLog& log)
    : options_(std::move(options)), import_(std::move(import)), log_(log) {}

ImportService::~ImportService() {
    stop();
    if (inotify_fd_ >= 0) ::close(inotify_fd_);
    if (wake_fd_ >= 0) ::close(wake_fd_);
}

void ImportService::start() {
    wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wake_fd_ < 0) fail(Errc::io, std::string("eventfd: ") + std::strerror(errno));
    if (!options_.drop_folder.empty()) {
        const auto& drop = options_.drop_folder;
        std::error_code ec;
        for (const auto& dir : {drop, drop / "imported", drop / "rejected"}) {
            fs::create_directories(dir, ec);
            if (ec || !fs::is_directory(dir))
                fail(Errc::io, "drop folder " + dir.string() + ": cannot create it: " + ec.message());
        }
        inotify_fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (inotify_fd_ < 0) fail(Errc::io, std::string("inotify_init1: ") + std::strerror(errno));
        // Watch before scanning: a file arriving in between is seen twice and queued once.
        if (::inotify_add_watch(inotify_fd_, drop.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO | IN_ONLYDIR) < 0)
            fail(Errc::io, "drop folder " + drop.string() + ": cannot watch it: " + std::strerror(errno));
        scan_existing();
        log_.write(LogLevel::info, "drop_folder_watching", {{"folder", drop.string()}, {"queued", queue_.size()}});
    }
    thread_ = std::thread([this] { run(); });
}

void ImportService::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        stopping_ = true;
    }
    wake();
    if (thread_.joinable()) thread_.join();
}

void ImportService::wake() {
    if (wake_fd_ < 0) return;
    std::uint64_t one = 1;
    if (::write(wake_fd_, &one, sizeof one) < 0 && errno != EAGAIN)
        log_.write(LogLevel::error, "import_wake_failed", {{"error", std::strerror(errno)}});
}

void ImportService::scan_existing() {
    std::vector<std::pair<fs::file_time_type, std::string>> found;
    std::error_code ec;
    for (fs::directory_iterator it(options_.drop_folder, ec), end; !ec && it != end; it.increment(ec)) {
        auto name = it->path().filename().string();
        std::error_code entry_ec;
        auto mtime = it->last_write_time(entry_ec);
        if (it->is_regular_file(entry_ec) && !it->is_symlink(entry_ec) && !entry_ec && is_drop_candidate(name))
            found.emplace_back(mtime, name);
    }
    if (ec)
        log_.write(LogLevel::error, "drop_folder_scan_failed",
                   {{"folder", options_.drop_folder.string()}, {"error", ec.message()}});
    std::sort(found.begin(), found.end());
    for (const auto& [mtime, name] : found) enqueue_drop_file(name, false);
}

void ImportService::enqueue_drop_file(const std::string& name, bool renamed_in) {
    if (!is_drop_candidate(name)) return;
    std::lock_guard lock(mutex_);
    auto path = options_.drop_folder / name;
    for (auto& job : queue_)
        if (job.path == path) {
            job.seen = false;  // written again: the size-stable check starts over
            job.renamed_in = renamed_in;
            return;
        }
    Job job;
    job.id = next_id_++;
    job.path = path;
    job.origin = "drop-folder";
    job.in_drop_folder = true;
    job.renamed_in = renamed_in;
    queue_.push_back(job);
}

std::uint64_t ImportService::submit(const std::string& requested) {
    auto refuse = [&](const std::string& why) -> std::uint64_t {
        fail(Errc::usage, "import path '" + requested + "': " + why);
    };
    std::vector<fs::path> roots;
    for (const auto& r : {options_.drop_folder, options_.import_folder})
        if (!r.empty()) roots.push_back(r);
    if (roots.empty()) return refuse("the daemon has no drop folder and no import folder to import from");
    if (requested.empty()) return refuse("empty path");

    fs::path given(requested);
    fs::path candidate;
    for (const auto& root : roots) {
        fs::path p = given.is_absolute() ? given : root / given;
        std::error_code ec;
        auto status = fs::symlink_status(p, ec);
        if (ec || !fs::exists(status)) continue;
        if (!fs::is_regular_file(status)) return refuse("not a regular file (symbolic links and folders are refused)");
        auto canonical = fs::canonical(p, ec);
        if (ec) continue;
        if (inside(canonical, fs::canonical(root, ec)) && !ec) {
            candidate = canonical;
            break;
        }
    }
    if (candidate.empty()) return refuse("not a bundle inside the drop folder or the import folder");

    std::error_code ec;
    bool in_drop =
        !options_.drop_folder.empty() && candidate.parent_path() == fs::canonical(options_.drop_folder, ec) && !ec;
    if (in_drop && !is_drop_candidate(candidate.filename().string()))
        return refuse("a *.part, *.reason or hidden file is not a bundle to import");
    std::uint64_t id;
    {
        std::lock_guard lock(mutex_);
        // The registry keeps serving while a stop waits for the running import; a job
        // accepted now would never run.
        if (stopping_) return refuse("the daemon is stopping; import it after the restart");
        for (const auto& job : queue_)
            if (fs::weakly_canonical(job.path, ec) == candidate) return job.id;
        Job job;
        job.id = id = next_id_++;
        job.path = in_drop ? options_.drop_folder / candidate.filename() : candidate;
        job.origin = "admin";
        job.in_drop_folder = in_drop;
        job.renamed_in = true;  // the admin says it is complete
        queue_.push_back(job);
    }
    wake();
    return id;
}

Json ImportService::jobs() const {
    std::lock_guard lock(mutex_);
    Json out = Json::array();
    for (const auto& j : finished_) out.push_back(job_json(j.id, j.path, j.origin, j.state, j.release, j.reason));
    if (running_job_) out.push_back(job_json(current_.id, current_.path, current_.origin, "running", "", ""));
    for (const auto& j : queue_) out.push_back(job_json(j.id, j.path, j.origin, j.state, "", ""));
    return out;
}

bool ImportService::busy() const {
    std::lock_guard lock(mutex_);
    return running_job_ || !queue_.empty();
}

void ImportService::read_events() {
    if (inotify_fd_ < 0) return;
    alignas(inotify_event) char buf[16 * 1024];
    for (;;) {
        ssize_t n = ::read(inotify_fd_, buf, sizeof buf);
        if (n <= 0) {
            if (n < 0 && errno != EAGAIN && errno != EINTR)
                log_.write(LogLevel::error, "drop_folder_watch_failed", {{"error", std::strerror(errno)}});
            return;
        }
        for (char* p = buf; p < buf + n;) {
            auto* event = reinterpret_cast<inotify_event*>(p);
            p += sizeof(inotify_event) + event->len;
            if (event->mask & IN_Q_OVERFLOW) {
                log_.write(LogLevel::warn, "drop_folder_overflow", {{"folder", options_.drop_folder.string()}});
                scan_existing();
                continue;
            }
            if (event->len == 0 || (event->mask & IN_ISDIR)) continue;
            enqueue_drop_file(event->name, (event->mask & IN_MOVED_TO) != 0);
        }
    }
}

bool ImportService::settled(Job& job, std::chrono::milliseconds& wait) {
    if (job.renamed_in) return true;
    std::error_code ec;
    auto size = fs::file_size(job.path, ec);
    auto mtime = fs::last_write_time(job.path, ec);
    if (ec) return true;  // gone or unreadable: execute() reports it
    auto now = Clock::now();
    if (!job.seen || size != job.last_size || mtime != job.last_mtime) {
        job.seen = true;
        job.last_size = size;
        job.last_mtime = mtime;
        job.stable_since = now;
    }
    auto ready_at = job.stable_since + options_.settle_time;
    if (now >= ready_at) return true;
    wait = std::chrono::duration_cast<std::chrono::milliseconds>(ready_at - now) + std::chrono::milliseconds(1);
    return false;
}

void ImportService::run() {
    for (;;) {
        read_events();
        std::chrono::milliseconds wait{-1};
        bool have_job = false;
        {
            std::lock_guard lock(mutex_);
            if (stopping_) return;
            while (!queue_.empty()) {
                auto& front = queue_.front();
                std::error_code ec;
                if (front.origin == "drop-folder" && !fs::exists(fs::symlink_status(front.path, ec))) {
                    queue_.pop_front();  // taken away before we got to it
                    continue;
                }
                if (settled(front, wait)) {
                    current_ = front;
                    queue_.pop_front();
                    running_job_ = have_job = true;
                }
                break;
            }
        }
        if (have_job) {
            execute(current_);
            std::lock_guard lock(mutex_);
            running_job_ = false;
            remember(current_);
            continue;
        }
        pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {inotify_fd_, POLLIN, 0}};
        int rc = ::poll(fds, inotify_fd_ >= 0 ? 2 : 1, static_cast<int>(wait.count()));
        if (rc < 0 && errno != EINTR) {
            log_.write(LogLevel::error, "import_poll_failed", {{"error", std::strerror(errno)}});
            return;
        }
        if (fds[0].revents & POLLIN) {
            std::uint64_t count;
            if (::read(wake_fd_, &count, sizeof count) < 0 && errno != EAGAIN)
                log_.write(LogLevel::error, "import_wake_failed", {{"error", std::strerror(errno)}});
        }
    }
}

void ImportService::execute(Job& job) {
    auto started = Clock::now();
    log_.write(LogLevel::info, "import_started", {{"id", job.id}, {"path", job.path.string()}, {"origin", job.origin}});
    try {
        // Opening a named pipe would block the import thread until someone writes to it.
        std::error_code ec;
        auto status = fs::symlink_status(job.path, ec);
        if (!ec && !fs::is_regular_file(status))
            fail(Errc::io,
                 job.path.string() + ": not a regular file (symbolic links, folders, pipes and devices are refused)");
        job.release = import_(job.path);
        job.state = "imported";
    } catch (const Error& e) {
        job.state = "rejected";
        job.reason = e.what();
    } catch (const std::exception& e) {
        // Not a verdict on the bundle but a fault of ours; still one line and reported.
        job.state = "rejected";
        job.reason = std::string("internal error: ") + e.what();
    }
    double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    if (job.state == "imported")
        log_.write(LogLevel::info, "import_succeeded",
                   {{"id", job.id}, {"path", job.path.string()}, {"release", job.release}, {"seconds", seconds}});
    else
        log_.write(LogLevel::warn, "import_rejected",
                   {{"id", job.id}, {"path", job.path.string()}, {"reason", job.reason}, {"seconds", seconds}});
    if (job.in_drop_folder) finish_drop_file(job);
}

void ImportService::finish_drop_file(const Job& job) {
    auto target_dir = options_.drop_folder / (job.state == "imported" ? "imported" : "rejected");
    try {
        // A bundle of the same file name dropped again keeps the first one and its reason:
        // NAME, NAME.2, NAME.3... (only this thread moves files into these folders).
        const std::string name = job.path.filename().string();
        fs::path target = target_dir / name;
        auto taken = [](const fs::path& p) {
            std::error_code ignored;
            return fs::exists(fs::symlink_status(p, ignored));
        };
        for (unsigned n = 2; taken(target) || taken(target.string() + ".reason"); ++n)
            target = target_dir / (name + "." + std::to_string(n));
        if (job.state != "imported") write_file_atomically(target.string() + ".reason", job.reason + "\n");
        std::error_code ec;
        fs::rename(job.path, target, ec);
        if (ec) fail(Errc::io, "cannot move " + job.path.string() + " to " + target_dir.string() + ": " + ec.message());
        fsync_directory(options_.drop_folder);
        fsync_directory(target_dir);
    } catch (const Error& e) {
        log_.write(LogLevel::error, "drop_folder_move_failed", {{"path", job.path.string()}, {"error", e.what()}});
    }
}

void ImportService::remember(const Job& job) {
    finished_.push_back(job);
    if (finished_.size() > finished_kept) finished_.pop_front();
}

}  // namespace sealift::mirror::daemon
