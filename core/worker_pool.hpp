// Up to a fixed number of worker threads, started as jobs arrive, with a one-job
// queue, so whoever submits waits instead of piling up work: the verifier hashes
// large entries on it, the registry importer uploads blobs on it. post() queues
// without waiting, for a submitter that must never block (the mirror server's
// event loops defer pull-through fetches to it). Jobs report failure by
// throwing; the first failure is kept for the submitter to rethrow.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/error.hpp"

namespace sealift {

class WorkerPool {
public:
    explicit WorkerPool(unsigned workers);
    ~WorkerPool();  // stops and joins; pending jobs are dropped

    // Blocks while every worker is busy and a job already waits.
    void submit(std::function<void()> job);
    // Never blocks; the caller bounds how many jobs it posts.
    void post(std::function<void()> job);
    // Waits for every job; rethrows the first failure.
    void wait();
    // The first failure so far, if any (the reader checks it to stop early).
    std::optional<Error> failure();
    void record_failure(const Error& e);

private:
    void run();
    void enqueue(std::function<void()> job);  // with mu_ held

    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::function<void()>> queue_;
    std::vector<std::thread> threads_;
    unsigned busy_ = 0, idle_ = 0, capacity_;
    bool stopping_ = false;
    std::optional<Error> failure_;
};

}  // namespace sealift
