// Temporary files that must not outlive a process stopped by a signal. AtomicFile's
// destructor removes its temporary file on every exit path that unwinds; SIGINT,
// SIGTERM and SIGHUP end the process without unwinding, so a command that writes
// large temporary files (build, sign) installs this handler: it unlinks the files
// registered at that moment and then dies of the same signal.
#pragma once

#include <filesystem>

namespace sealift {

// Until it is installed, registering is a no-op: long-running services handle
// their own signals and their temporary files are removed at start.
void install_interrupt_cleanup();

// Registration is bounded (a fixed table, as a signal handler may not allocate);
// a file that does not fit is left to the next run's stale-file removal.
void remove_on_interrupt(const std::filesystem::path& path);
void keep_on_interrupt(const std::filesystem::path& path);

}  // namespace sealift
