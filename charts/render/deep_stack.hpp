// Running an execution on a thread with a deep stack (private). Go's goroutine stacks grow, and Go
// lets {{template}} nest 100000 deep and Helm's include 1000 deep; a C++ walk of that depth needs
// far more than a default 8 MiB stack, so executions run on a thread whose stack is reserved (not
// committed: pages are used only as deep as a template goes) large enough for Go's limits.
#pragma once

#include <functional>

namespace sealift::render {

// Runs `f` on a deep-stack thread and waits for it; rethrows what `f` threw. Already on one, runs
// `f` in place.
void run_on_deep_stack(const std::function<void()>& f);

}  // namespace sealift::render
