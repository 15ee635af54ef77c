#include "core/worker_pool.hpp"

namespace sealift {

WorkerPool::WorkerPool(unsigned workers) : capacity_(workers ? workers : 1) {}

WorkerPool::~WorkerPool() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
        queue_.clear();
        cv_.notify_all();
    }
    for (auto& t : threads_) t.join();
}

void WorkerPool::submit(std::function<void()> job) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return queue_.size() + busy_ < capacity_ + 1 || stopping_; });
    enqueue(std::move(job));
}

void WorkerPool::post(std::function<void()> job) {
    std::lock_guard lock(mu_);
    enqueue(std::move(job));
}

void WorkerPool::enqueue(std::function<void()> job) {
    queue_.push_back(std::move(job));
    // A new thread only when the idle ones cannot take every queued job.
    if (queue_.size() > idle_ && threads_.size() < capacity_) threads_.emplace_back([this] { run(); });
    cv_.notify_all();
}

void WorkerPool::wait() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return queue_.empty() && busy_ == 0; });
    if (failure_) throw *failure_;
}

std::optional<Error> WorkerPool::failure() {
    std::lock_guard lock(mu_);
    return failure_;
}

void WorkerPool::record_failure(const Error& e) {
    std::lock_guard lock(mu_);
    if (!failure_) failure_ = e;
}

void WorkerPool::run() {
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock lock(mu_);
            ++idle_;
            cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            --idle_;
            if (stopping_) return;
            job = std::move(queue_.front());
            queue_.pop_front();
            ++busy_;
        }
        try {
            job();
        } catch (const Error& e) {
            record_failure(e);
        } catch (const std::exception& e) {
            record_failure(Error(Errc::internal, e.what()));
        }
        std::lock_guard lock(mu_);
        --busy_;
        cv_.notify_all();
    }
}

}  // namespace sealift
