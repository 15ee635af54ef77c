#include <catch2/catch.hpp>

#include "core/digest.hpp"
#include "core/error.hpp"

using namespace sealift;

TEST_CASE("sha256 of known inputs") {
    CHECK(Sha256::of("").str() == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(Sha256::of("{}").str() == "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    Sha256 h;
    h.update("ab");
    h.update("c");
    CHECK(h.finish().str() == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    h.update("");  // the hasher resets after finish
    CHECK(h.finish() == Sha256::of(""));
}

TEST_CASE("digests are validated before use") {
    std::string good = "sha256:" + std::string(64, 'a');
    CHECK(Digest::parse(good).hex() == std::string(64, 'a'));
    CHECK_FALSE(Digest::valid("sha256:" + std::string(64, 'A')));
    CHECK_FALSE(Digest::valid("sha256:" + std::string(63, 'a')));
    CHECK_FALSE(Digest::valid("sha512:" + std::string(64, 'a')));
    CHECK_FALSE(Digest::valid("sha256:../../../../etc/passwd" + std::string(38, 'a')));
    REQUIRE_THROWS_AS(Digest::parse("sha256:xyz"), Error);
    try {
        Digest::parse("md5:1");
    } catch (const Error& e) {
        CHECK(e.code() == Errc::format);
        CHECK(std::string(e.what()).find("md5:1") != std::string::npos);
    }
}
