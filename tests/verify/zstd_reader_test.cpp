// The zstd reader's fast path for raw blocks must read exactly what libzstd
// reads, and refuse exactly what libzstd refuses: frames are hand-made here,
// block by block, and every result is compared with the `zstd` tool's.
#include <catch2/catch.hpp>

#include <zstd.h>

#include <optional>
#include <string>

#include "core/error.hpp"
#include "core/file.hpp"
#include "support/support.hpp"
#include "verify/zstd_reader.hpp"

using namespace sealift;
using sealift::verify::ZstdReader;

namespace {

std::string le(std::uint64_t v, int bytes) {
    std::string out;
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
    return out;
}

// Frame header: 8-byte content size, window 2^17, no checksum (as Sealift writes stored frames).
std::string frame_header(std::uint64_t content_size, bool checksum = false) {
    return std::string("\x28\xB5\x2F\xFD", 4) + static_cast<char>(checksum ? 0xC4 : 0xC0) + '\x38' +
           le(content_size, 8);
}
std::string raw_block(const std::string& data, bool last) { return le((data.size() << 3) | (last ? 1 : 0), 3) + data; }
std::string rle_block(char byte, std::size_t count, bool last) {
    return le((count << 3) | (1u << 1) | (last ? 1 : 0), 3) + byte;
}

std::string pattern(std::size_t n, unsigned seed) {
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 2654435761u + seed) >> 13);
    return s;
}

std::string stored_frame(const std::string& data) {
    std::string out = frame_header(data.size());
    constexpr std::size_t kBlock = 128 * 1024;
    for (std::size_t at = 0; at < data.size() || at == 0; at += kBlock) {
        std::size_t n = std::min(kBlock, data.size() - at);
        out += raw_block(data.substr(at, n), at + n >= data.size());
        if (data.empty()) break;
    }
    return out;
}

std::string compressed_frame(const std::string& data) {
    std::string out(ZSTD_compressBound(data.size()), '\0');
    std::size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3);
    REQUIRE_FALSE(ZSTD_isError(n));
    out.resize(n);
    return out;
}

struct Decoded {
    std::string data;
    std::string error;
};

Decoded read_all(const std::string& path, std::size_t chunk = 100000) {
    Decoded d;
    try {
        verify::BundleInput f(path);
        ZstdReader reader(f);
        std::string buf(chunk, '\0');
        for (std::size_t n; (n = reader.read(buf.data(), buf.size())) > 0;) d.data.append(buf.data(), n);
    } catch (const Error& e) {
        d.error = e.what();
    }
    return d;
}

// What the zstd tool makes of the same file: its output, or that it failed.
test::CommandResult zstd_tool(const std::string& path) { return test::run("zstd -q -d -c '" + path + "'"); }

}  // namespace

TEST_CASE("stored frames between compressed ones read exactly as the zstd tool reads them") {
    test::TempDir dir;
    std::string a = pattern(300000, 1), b = pattern(5000, 2), c = pattern(128 * 1024, 3);
    std::string file = compressed_frame("header one") + stored_frame(a) + compressed_frame("header two") +
                       stored_frame(b) + stored_frame("") + stored_frame(c);
    test::write_text(dir / "s.zst", file);
    for (std::size_t chunk : {std::size_t{1}, std::size_t{4096}, std::size_t{1} << 20}) {
        auto got = read_all((dir / "s.zst").string(), chunk);
        CHECK(got.error.empty());
        CHECK(got.data == "header one" + a + "header two" + b + c);
    }
    CHECK(zstd_tool((dir / "s.zst").string()).out == "header one" + a + "header two" + b + c);
}

TEST_CASE("take_stored hands out the file extents of stored data and moves past it") {
    test::TempDir dir;
    std::string a = pattern(400000, 4);
    std::string head = compressed_frame("tar header");
    test::write_text(dir / "s.zst", head + stored_frame(a) + compressed_frame("next"));
    verify::BundleInput f(dir / "s.zst");
    ZstdReader reader(f);
    char buf[10];
    REQUIRE(reader.read(buf, 10) == 10);
    CHECK(std::string(buf, 10) == "tar header");

    auto extents = reader.take_stored(a.size());
    REQUIRE(extents);
    std::string joined;
    for (const auto& e : *extents) {
        std::string part(e.length, '\0');
        f.pread_exact(part.data(), part.size(), e.offset);
        joined += part;
    }
    CHECK(joined == a);
    REQUIRE(reader.read(buf, 10) == 4);
    CHECK(std::string(buf, 4) == "next");
    CHECK(reader.read(buf, 10) == 0);
}

TEST_CASE("take_stored refuses compressed data and runs past the end, consuming nothing") {
    test::TempDir dir;
    std::string a = pattern(1000, 5);
    const std::string text(2000, 'c');  // compressible: libzstd stores tiny or random input raw
    test::write_text(dir / "s.zst", compressed_frame(text) + stored_frame(a));
    verify::BundleInput f(dir / "s.zst");
    ZstdReader reader(f);
    CHECK_FALSE(reader.take_stored(5));
    std::string buf(text.size(), '\0');
    std::size_t got = 0;
    for (std::size_t n; got < text.size() && (n = reader.read(buf.data() + got, text.size() - got)) > 0;) got += n;
    CHECK(buf == text);
    CHECK_FALSE(reader.take_stored(a.size() + 1));  // more than is left
    auto extents = reader.take_stored(a.size());
    REQUIRE(extents);
    CHECK(reader.read(buf.data(), 1) == 0);
}

TEST_CASE("a frame that starts raw and goes on with another block type is handed to libzstd whole") {
    test::TempDir dir;
    std::string a = pattern(1000, 6);
    std::string frame = frame_header(a.size() + 500) + raw_block(a, false) + rle_block('z', 500, true);
    test::write_text(dir / "m.zst", frame);
    auto got = read_all((dir / "m.zst").string(), 300);
    CHECK(got.error.empty());
    CHECK(got.data == a + std::string(500, 'z'));
    CHECK(zstd_tool((dir / "m.zst").string()).out == got.data);

    verify::BundleInput f(dir / "m.zst");
    ZstdReader reader(f);
    CHECK_FALSE(reader.take_stored(a.size() + 500));
    CHECK(reader.take_stored(a.size()));  // the raw block alone is stored data
}

TEST_CASE("malformed stored frames fail as libzstd fails them") {
    test::TempDir dir;
    std::string a = pattern(2000, 7);
    struct Case {
        const char* name;
        std::string bytes;
        const char* message;
    } cases[] = {
        {"content size that does not add up", frame_header(a.size() + 1) + raw_block(a, true), "corrupt zstd data"},
        {"truncated block", (frame_header(a.size()) + raw_block(a, true)).substr(0, 1000), "truncated"},
        {"reserved block type", frame_header(a.size()) + le((a.size() << 3) | (3u << 1) | 1, 3) + a,
         "corrupt zstd data"},
        {"bad checksum", frame_header(a.size(), true) + raw_block(a, true) + "\1\2\3\4", "corrupt zstd data"},
        {"garbage after the last frame", stored_frame(a) + "junk", "corrupt zstd data"},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        test::write_text(dir / "bad.zst", c.bytes);
        auto got = read_all((dir / "bad.zst").string());
        CHECK_THAT(got.error, Catch::Contains(c.message));
        CHECK(zstd_tool((dir / "bad.zst").string()).exit_code != 0);
    }
}

namespace {

// A frame of raw blocks whose header declares `window_descriptor` (non-single-segment),
// or none (single segment: the window is the content size).
std::string raw_frame(const std::string& data, std::optional<unsigned char> window_descriptor) {
    std::string out("\x28\xB5\x2F\xFD", 4);
    out +=
        static_cast<char>(window_descriptor ? 0xC0 : 0xE0);  // 8-byte content size; single segment when no descriptor
    if (window_descriptor) out += static_cast<char>(*window_descriptor);
    out += le(data.size(), 8);
    constexpr std::size_t kBlock = 128 * 1024;
    for (std::size_t at = 0; at < data.size(); at += kBlock) {
        std::size_t n = std::min(kBlock, data.size() - at);
        out += raw_block(data.substr(at, n), at + n >= data.size());
    }
    return out;
}

// The zstd tool held to the format's 16 MiB window.
int zstd_tool_16mb(const std::string& path) {
    return test::run("zstd -q -d --memory=16MB -c '" + path + "' > /dev/null").exit_code;
}

std::string take_stored_error(const std::string& path, std::uint64_t size) {
    return test::error_of(
        [&] {
            verify::BundleInput f(path);
            ZstdReader reader(f);
            reader.take_stored(size);
        },
        "TAKEN");
}

}  // namespace

TEST_CASE(
    "a frame whose window exceeds 2^24 is refused on the fast path and the take_stored path, as zstd --memory=16MB "
    "refuses it") {
    test::TempDir dir;
    const std::uint64_t limit = std::uint64_t{1} << 24;
    std::string at_limit = pattern(limit, 8);
    std::string over = at_limit + "x";
    struct Case {
        const char* name;
        std::string bytes;
        std::uint64_t content;
    } cases[] = {
        {"single segment, content size 2^24 + 1", raw_frame(over, std::nullopt), over.size()},
        // More than zstd's output buffer: libzstd decodes smaller frames in one pass, without a window to check.
        {"window 2^24 + 2^21 (exponent 24, mantissa 1)", raw_frame(pattern(200000, 10), 0x71), 200000},
        {"window 2^25", raw_frame(pattern(200000, 11), 0x78), 200000},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        auto path = (dir / "wide.zst").string();
        test::write_text(path, c.bytes);
        CHECK(zstd_tool_16mb(path) != 0);
        CHECK_THAT(read_all(path, 1 << 20).error,
                   Catch::Contains("needs a window of") && Catch::Contains("more than the 16777216"));
        CHECK_THAT(take_stored_error(path, c.content), Catch::Contains("needs a window of"));
    }
    // libzstd's own output with a 2^25 window (its size unknown to zstd, so the window stays).
    test::write_text(dir / "plain", pattern(100000, 9));
    REQUIRE(test::run("cat '" + (dir / "plain").string() + "' | zstd -q --long=25 -c > '" +
                      (dir / "long.zst").string() + "'")
                .exit_code == 0);
    CHECK(zstd_tool_16mb((dir / "long.zst").string()) != 0);
    CHECK_THAT(read_all((dir / "long.zst").string()).error, Catch::Contains("needs a window of 33554432 bytes"));

    // At the limit, both accept.
    auto path = (dir / "limit.zst").string();
    test::write_text(path, raw_frame(at_limit, std::nullopt));
    CHECK(zstd_tool_16mb(path) == 0);
    auto got = read_all(path, 1 << 20);
    CHECK(got.error.empty());
    CHECK(got.data.size() == limit);
    CHECK(take_stored_error(path, limit) == "TAKEN");
}
