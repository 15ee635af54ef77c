#include <catch2/catch.hpp>

#include <thread>

#include "core/byte_pipe.hpp"

using namespace sealift;

TEST_CASE("a pipe carries a blob larger than its buffer between threads, in order") {
    BytePipe pipe(4096);
    std::string sent(1 << 20, '\0');
    for (std::size_t i = 0; i < sent.size(); ++i) sent[i] = static_cast<char>(i * 31 + (i >> 9));
    std::string received;
    std::thread reader([&] {
        char buf[1000];
        for (std::size_t n; (n = pipe.read(buf, sizeof buf)) > 0;) received.append(buf, n);
    });
    for (std::size_t i = 0; i < sent.size(); i += 7777)
        pipe.write(sent.data() + i, std::min<std::size_t>(7777, sent.size() - i));
    pipe.close();
    reader.join();
    CHECK(received == sent);
}

TEST_CASE("an aborted pipe fails the reader and no longer blocks the writer") {
    BytePipe pipe(16);
    pipe.abort("registry said no");
    pipe.write(std::string(100, 'x').data(), 100);  // returns at once
    char buf[8];
    CHECK_THROWS_WITH(pipe.read(buf, sizeof buf), Catch::Contains("registry said no"));
}
