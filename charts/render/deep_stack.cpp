#include "charts/render/deep_stack.hpp"

#include <pthread.h>

#include <exception>

#include "core/error.hpp"

namespace sealift::render {
namespace {

constexpr size_t deep_stack_bytes = size_t{4} << 30;  // 4 GiB of address space, committed as used

thread_local bool on_deep_stack = false;

struct Job {
    const std::function<void()>* f;
    std::exception_ptr error;
};

void* run_job(void* arg) {
    auto* job = static_cast<Job*>(arg);
    on_deep_stack = true;
    try {
        (*job->f)();
    } catch (...) {
        job->error = std::current_exception();
    }
    return nullptr;
}

}  // namespace

void run_on_deep_stack(const std::function<void()>& f) {
    if (on_deep_stack) {
        f();
        return;
    }
    Job job{&f, nullptr};
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, deep_stack_bytes);
    pthread_t thread;
    int rc = pthread_create(&thread, &attr, run_job, &job);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        f();  // no thread to be had: run on this stack, which holds every real chart
        return;
    }
    pthread_join(thread, nullptr);
    if (job.error) std::rethrow_exception(job.error);
}

}  // namespace sealift::render
