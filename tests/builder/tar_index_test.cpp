#include <catch2/catch.hpp>

#include "builder/tar_index.hpp"
#include "core/error.hpp"
#include "support/support.hpp"

using namespace sealift;
using builder::TarIndex;
using sealift::TarEntry;

namespace {

std::string read_all(ByteSource& in) {
    std::string out;
    char buf[300];  // small on purpose: several reads per entry
    for (std::size_t n; (n = in.read(buf, sizeof buf)) > 0;) out.append(buf, n);
    return out;
}

void tar(const std::string& args) {
    auto r = test::run("tar " + args);
    REQUIRE(r.exit_code == 0);
}

}  // namespace

TEST_CASE("entries of ustar, pax and GNU tars are found and read in place") {
    test::TempDir dir;
    std::string long_dir = "src/" + std::string(120, 'd');
    std::string big(70000, '\0');
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 26);
    test::write_text(dir / "src/small.txt", "hello");
    test::write_text(dir / (long_dir + "/" + std::string(110, 'f')), big);
    test::write_text(dir / "src/empty", "");

    for (const char* format : {"ustar", "pax", "gnu"}) {
        INFO(format);
        std::string tarfile = (dir / (std::string(format) + ".tar")).string();
        if (std::string(format) == "ustar") {
            // ustar cannot hold a 110-character file name: leave that one out
            tar("-C '" + dir.path().string() + "' --format=ustar -cf '" + tarfile + "' ./src/small.txt ./src/empty");
        } else {
            tar("-C '" + dir.path().string() + "' --format=" + format + " -cf '" + tarfile + "' ./src");
        }
        TarIndex index = TarIndex::open(tarfile);
        const TarEntry& small = index.regular("src/small.txt");
        CHECK(small.size == 5);
        CHECK(read_all(*index.open_entry(small)) == "hello");
        CHECK(index.regular("./src//empty").size == 0);
        CHECK(index.read_small(index.regular("src/empty"), 10).empty());
        if (std::string(format) != "ustar") {
            const TarEntry& large = index.regular(long_dir + "/" + std::string(110, 'f'));
            CHECK(large.size == big.size());
            CHECK(read_all(*index.open_entry(large)) == big);
            CHECK(index.find("src")->type == TarEntry::Type::directory);
        }
        CHECK(index.find("src/missing") == nullptr);
        CHECK_THROWS_WITH(index.regular("src/missing"),
                          Catch::Contains(tarfile) && Catch::Contains("no entry 'src/missing'"));
        CHECK_THROWS_WITH(index.read_small(small, 4), Catch::Contains("more than the 4 allowed"));
    }
}

TEST_CASE("links are refused unless followed, and never lead outside the archive") {
    test::TempDir dir;
    test::write_text(dir / "a/layer.tar", "layer bytes");
    std::filesystem::create_directories(dir / "b");
    std::filesystem::create_symlink("../a/layer.tar", dir / "b/layer.tar");
    std::filesystem::create_symlink("../../outside", dir / "b/escape");
    std::filesystem::create_symlink("loop2", dir / "loop1");
    std::filesystem::create_symlink("loop1", dir / "loop2");
    auto tarfile = dir / "links.tar";
    tar("-C '" + dir.path().string() + "' -cf '" + tarfile.string() + "' a b loop1 loop2");
    TarIndex index = TarIndex::open(tarfile);
    CHECK_THROWS_WITH(index.regular("b/layer.tar"),
                      Catch::Contains("'b/layer.tar' is a symbolic link, not a regular file"));
    const TarEntry& followed = index.regular("b/layer.tar", true);
    CHECK(followed.path == "a/layer.tar");
    CHECK(read_all(*index.open_entry(followed)) == "layer bytes");
    CHECK_THROWS_WITH(index.regular("b/escape", true), Catch::Contains("links outside the archive"));
    CHECK_THROWS_WITH(index.regular("loop1", true), Catch::Contains("too many links"));
    CHECK_THROWS_WITH(index.regular("a", true), Catch::Contains("'a' is a folder"));
}

TEST_CASE("unsafe, damaged, duplicated and compressed archives are refused naming the archive") {
    test::TempDir dir;
    test::write_text(dir / "a/f", "content");
    std::string d = "'" + dir.path().string() + "'";

    tar("-C " + d + " -cPf " + d + "/dotdot.tar a/../a/f");
    CHECK_THROWS_WITH(TarIndex::open(dir / "dotdot.tar"),
                      Catch::Contains("dotdot.tar") && Catch::Contains("'a/../a/f' has a '..' component"));

    tar("-C " + d + " -cf " + d + "/dup.tar a/f && tar -C " + d + " -rf " + d + "/dup.tar a/f");
    CHECK_THROWS_WITH(TarIndex::open(dir / "dup.tar"), Catch::Contains("entry 'a/f' appears twice"));

    tar("-C " + d + " -cf " + d + "/ok.tar a/f");
    REQUIRE(test::run("cd " + d + " && gzip -k ok.tar && zstd -q ok.tar -o ok.tar.zst").exit_code == 0);
    CHECK_THROWS_WITH(TarIndex::open(dir / "ok.tar.gz"),
                      Catch::Contains("ok.tar.gz: archive is gzip-compressed; decompress it first"));
    CHECK_THROWS_WITH(TarIndex::open(dir / "ok.tar.zst"), Catch::Contains("zstd-compressed"));

    test::write_text(dir / "text.tar", std::string(1024, 'x'));
    CHECK_THROWS_WITH(TarIndex::open(dir / "text.tar"), Catch::Contains("text.tar: not a tar archive"));
    test::write_text(dir / "empty.tar", "");
    CHECK_THROWS_WITH(TarIndex::open(dir / "empty.tar"), Catch::Contains("is empty"));

    std::string whole = test::read_text(dir / "ok.tar");
    test::write_text(dir / "cut.tar", whole.substr(0, 512 + 3));
    CHECK_THROWS_WITH(TarIndex::open(dir / "cut.tar"),
                      Catch::Contains("cut.tar: tar header at offset 0") && Catch::Contains("past the end"));
    std::string corrupt = whole;
    corrupt[10] ^= 1;
    test::write_text(dir / "corrupt.tar", corrupt);
    CHECK_THROWS_WITH(TarIndex::open(dir / "corrupt.tar"), Catch::Contains("bad header checksum"));
}
