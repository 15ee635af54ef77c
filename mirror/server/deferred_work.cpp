#include "mirror/server/deferred_work.hpp"

namespace sealift::mirror::server {

void DeferredWork::submit(std::function<void()> job) {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    queue_.push_back(std::move(job));
    // A new thread only when the idle ones cannot take every queued job: a burst
    // of misses gets up to max_threads at once.
    if (queue_.size() > idle_ && threads_.size() < max_threads_) threads_.emplace_back([this] { run(); });
    cv_.notify_one();
}

void DeferredWork::stop() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
        queue_.clear();
    }
    cv_.notify_all();
    for (auto& t : threads_)
        if (t.joinable()) t.join();
    threads_.clear();
}

void DeferredWork::run() {
    std::unique_lock lock(mu_);
    for (;;) {
        ++idle_;
        cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        --idle_;
        if (stopping_) return;
        auto job = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        job();  // jobs catch their own errors: they answer the client with them
        lock.lock();
    }
}

}  // namespace sealift::mirror::server
