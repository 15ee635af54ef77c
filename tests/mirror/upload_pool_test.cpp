#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "core/error.hpp"
#include "mirror/blob_pipe.hpp"
#include "mirror/upload_pool.hpp"

using namespace sealift;
using namespace sealift::mirror;

TEST_CASE("a pipe carries a blob larger than its buffer between threads, in order") {
    BlobPipe pipe(4096);
    std::string sent(1 << 20, '\0');
    for (std::size_t i = 0; i < sent.size(); ++i) sent[i] = static_cast<char>(i * 31 + (i >> 9));
    std::string received;
    std::thread reader([&] {
        char buf[1000];
        for (std::size_t n; (n = pipe.read(buf, sizeof buf)) > 0;) received.append(buf, n);
    });
    for (std::size_t i = 0; i < sent.size(); i += 7777) pipe.write(sent.data() + i, std::min<std::size_t>(7777, sent.size() - i));
    pipe.close();
    reader.join();
    CHECK(received == sent);
}

TEST_CASE("an aborted pipe fails the reader and no longer blocks the writer") {
    BlobPipe pipe(16);
    pipe.abort("registry said no");
    pipe.write(std::string(100, 'x').data(), 100);  // returns at once
    char buf[8];
    CHECK_THROWS_WITH(pipe.read(buf, sizeof buf), Catch::Contains("registry said no"));
}

TEST_CASE("the pool runs jobs concurrently and reports the first failure") {
    UploadPool pool(3);
    std::atomic<int> done{0};
    for (int i = 0; i < 10; ++i) pool.submit([&] { ++done; });
    pool.wait();
    CHECK(done == 10);
    pool.submit([] { throw Error(Errc::registry, "HTTP 500 from the registry"); });
    pool.submit([&] { ++done; });
    CHECK_THROWS_WITH(pool.wait(), Catch::Contains("HTTP 500"));
    CHECK(pool.failure().has_value());
}
