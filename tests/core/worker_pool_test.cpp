#include <catch2/catch.hpp>

#include <atomic>

#include "core/error.hpp"
#include "core/worker_pool.hpp"

using namespace sealift;

TEST_CASE("the pool runs jobs concurrently and reports the first failure") {
    WorkerPool pool(3);
    std::atomic<int> done{0};
    for (int i = 0; i < 10; ++i) pool.submit([&] { ++done; });
    pool.wait();
    CHECK(done == 10);
    pool.submit([] { throw Error(Errc::registry, "HTTP 500 from the registry"); });
    pool.submit([&] { ++done; });
    CHECK_THROWS_WITH(pool.wait(), Catch::Contains("HTTP 500"));
    CHECK(pool.failure().has_value());
}
