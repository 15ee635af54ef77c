// Threads for the work a handler must not do on an event loop: a pull-through
// fetch from an upstream registry can take seconds, and every other client of
// that loop would wait for it. Threads start on the first job, so a server whose
// handlers never defer (the plain `mirror serve`) has none. Private to mirror/server.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sealift::mirror::server {

class DeferredWork {
public:
    explicit DeferredWork(unsigned max_threads) : max_threads_(max_threads ? max_threads : 1) {}
    ~DeferredWork() { stop(); }
    DeferredWork(const DeferredWork&) = delete;
    DeferredWork& operator=(const DeferredWork&) = delete;

    // Never blocks (an event loop calls it): the queue is bounded by the
    // connections, each of which waits for at most one job.
    void submit(std::function<void()> job);
    // Lets the jobs running finish, drops the queued ones, joins the threads.
    void stop();

private:
    void run();

    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::function<void()>> queue_;
    std::vector<std::thread> threads_;
    unsigned max_threads_, idle_ = 0;
    bool stopping_ = false;
};

}  // namespace sealift::mirror::server
