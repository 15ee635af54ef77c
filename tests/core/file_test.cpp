#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.hpp"
#include "core/file.hpp"
#include "support/support.hpp"

using namespace sealift;

TEST_CASE("open_regular refuses symlinks and folders") {
    test::TempDir dir;
    test::write_text(dir / "real", "data");
    std::filesystem::create_symlink(dir / "real", dir / "link");
    CHECK(File::open_regular(dir / "real").size() == 4);
    CHECK_THROWS_WITH(File::open_regular(dir / "link"), Catch::Contains("symbolic link"));
    CHECK_THROWS_WITH(File::open_regular(dir.path()), Catch::Contains("not a regular file"));
    CHECK_THROWS_WITH(File::open_regular(dir / "missing"), Catch::Contains("missing"));
}

TEST_CASE("atomic files appear whole or not at all") {
    test::TempDir dir;
    {
        AtomicFile f(dir / "out");
        f.file().write_all("half");
        // destroyed without commit: nothing under the final name, no temp left
    }
    CHECK_FALSE(std::filesystem::exists(dir / "out"));
    CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), {}) == 0);
    write_file_atomically(dir / "out", "whole");
    CHECK(read_small_file(dir / "out") == "whole");
    CHECK_THROWS_WITH(read_small_file(dir / "out", 3), Catch::Contains("more than the 3 allowed"));
}

TEST_CASE("open_regular refuses a FIFO at once (opening it does not wait for a writer), and a device") {
    test::TempDir dir;
    auto fifo = dir / "pipe";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK_THROWS_WITH(File::open_regular(fifo),
                      Catch::Equals(fifo.string() + ": is a FIFO (named pipe), not a regular file"));
    CHECK_THROWS_WITH(read_small_file(fifo), Catch::Contains("is a FIFO"));
    CHECK_THROWS_WITH(File::open_regular("/dev/null"), Catch::Equals("/dev/null: is a device, not a regular file"));
    CHECK_THROWS_WITH(File::open_regular(dir.path()),
                      Catch::Equals(dir.path().string() + ": is a folder, not a regular file"));
}

TEST_CASE("open_regular gives a blocking descriptor: O_NONBLOCK is only for the open") {
    test::TempDir dir;
    test::write_text(dir / "real", "data");
    File f = File::open_regular(dir / "real");
    CHECK((::fcntl(f.fd(), F_GETFL) & O_NONBLOCK) == 0);
}
