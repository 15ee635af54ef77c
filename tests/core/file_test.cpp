#include <catch2/catch.hpp>

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
