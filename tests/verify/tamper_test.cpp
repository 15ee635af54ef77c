// Each way a bundle can be wrong is refused with its own reason.
#include <catch2/catch.hpp>

#include <chrono>

#include "core/error.hpp"
#include "support/release_fixture.hpp"
#include "support/tar_editor.hpp"
#include "trust/trust.hpp"
#include "verify/verify.hpp"

using namespace sealift;

namespace {

struct Tamper {
    test::ReleaseFixture fx;
    std::filesystem::path good = fx.build();
    std::filesystem::path bad = fx.dir / "bad.bundle";
    test::TarEditor tar = test::TarEditor::load(good);

    std::string layer_path() const {
        for (const auto& e : tar.entries)
            if (e.name().rfind("images/blobs/", 0) == 0 && e.data.size() == 200000) return e.name();
        throw std::runtime_error("no layer");
    }
    std::string refusal() {
        tar.save(bad);
        return refusal_of(bad);
    }
    std::string refusal_of(const std::filesystem::path& bundle) {
        return test::error_of([&] { verify::verify_bundle(bundle, fx.root(), {}); }, "VERIFIED");
    }
};

void flip(std::string& s, std::size_t pos) { s[pos] = static_cast<char>(s[pos] ^ 0x01); }

}  // namespace

TEST_CASE("the untouched bundle re-packed by stock zstd still verifies") {
    Tamper t;
    CHECK(t.refusal() == "VERIFIED");
}

TEST_CASE("one flipped byte in a blob") {
    Tamper t;
    auto layer = t.layer_path();
    flip(t.tar.at(layer).data, 1000);
    CHECK_THAT(t.refusal(), Catch::Contains("entry '" + layer + "' does not match its SHA-256"));
}

TEST_CASE("one flipped byte in the manifest") {
    Tamper t;
    auto& m = t.tar.at("sealift/manifest.json").data;
    auto pos = m.find("\"platform\"");
    REQUIRE(pos != std::string::npos);
    m[pos + 1] = 'q';  // still valid JSON, a different release name
    CHECK_THAT(t.refusal(), Catch::Contains("sealift/manifest.json") && Catch::Contains("signature"));
}

TEST_CASE("one flipped byte in a signature") {
    Tamper t;
    auto& s = t.tar.at("sealift/signatures.json").data;
    auto pos = s.find("\"sig\":\"");
    REQUIRE(pos != std::string::npos);
    char& c = s[pos + 10];
    c = c == '0' ? '1' : '0';
    CHECK_THAT(t.refusal(), Catch::Contains("sealift/manifest.json") && Catch::Contains("signature"));
}

TEST_CASE("a truncated bundle") {
    Tamper t;
    std::string bytes = test::read_text(t.good);
    test::write_text(t.bad, bytes.substr(0, bytes.size() / 2));
    CHECK_THAT(t.refusal_of(t.bad), Catch::Contains("truncated"));
    test::write_text(t.bad, bytes.substr(0, bytes.size() - 1));
    CHECK_THAT(t.refusal_of(t.bad), Catch::Contains("truncated") || Catch::Contains("corrupt zstd"));
}

TEST_CASE("empty, non-zstd and non-bundle files") {
    Tamper t;
    test::write_text(t.bad, "");
    CHECK_THAT(t.refusal_of(t.bad), Catch::Contains("empty file"));
    test::write_text(t.bad, "hello, I am not a bundle\n");
    CHECK_THAT(t.refusal_of(t.bad), Catch::Contains("not a Sealift bundle"));
    test::TarEditor plain;
    plain.entries.push_back(test::TarEditor::make("README", "hi"));
    plain.save(t.bad);
    CHECK_THAT(t.refusal_of(t.bad), Catch::Contains("not a Sealift bundle (first entry is 'README'"));
}

TEST_CASE("an entry added") {
    Tamper t;
    t.tar.entries.push_back(test::TarEditor::make("extra.txt", "surprise"));
    CHECK_THAT(t.refusal(), Catch::Contains("entry 'extra.txt' is not listed in the signed manifest"));
}

TEST_CASE("an entry removed") {
    Tamper t;
    auto layer = t.layer_path();
    t.tar.entries.erase(t.tar.entries.begin() + static_cast<long>(t.tar.index_of(layer)));
    CHECK_THAT(t.refusal(), Catch::Contains("entry '" + layer + "' is listed in the signed manifest but missing"));
}

TEST_CASE("a duplicated entry") {
    Tamper t;
    auto layer = t.layer_path();
    t.tar.entries.push_back(t.tar.at(layer));
    CHECK_THAT(t.refusal(), Catch::Contains("entry '" + layer + "' appears twice"));
}

TEST_CASE("../ and absolute paths") {
    Tamper t;
    t.tar.entries.push_back(test::TarEditor::make("../../etc/cron.d/evil", "x"));
    CHECK_THAT(t.refusal(), Catch::Contains("'../../etc/cron.d/evil': unsafe"));
    Tamper u;
    u.tar.entries.push_back(test::TarEditor::make("/etc/passwd", "x"));
    CHECK_THAT(u.refusal(), Catch::Contains("'/etc/passwd': unsafe"));
    Tamper v;  // a listed name reached through a parent reference
    v.tar.set_name("SHA256SUMS", "images/../SHA256SUMS");
    CHECK_THAT(v.refusal(), Catch::Contains("unsafe"));
}

TEST_CASE("symlinks, hard links and devices") {
    Tamper t;
    t.tar.entries.push_back(test::TarEditor::make("notes/link", "", '2', "/etc/shadow"));
    CHECK_THAT(t.refusal(), Catch::Contains("entry 'notes/link' is a symbolic link"));
    Tamper u;
    u.tar.entries.push_back(test::TarEditor::make("notes/hard", "", '1', "SHA256SUMS"));
    CHECK_THAT(u.refusal(), Catch::Contains("is a hard link"));
    Tamper v;
    v.tar.entries.push_back(test::TarEditor::make("notes/dev", "", '3'));
    CHECK_THAT(v.refusal(), Catch::Contains("is a device node"));
}

TEST_CASE("an entry larger than declared") {
    Tamper t;
    auto layer = t.layer_path();
    auto& e = t.tar.at(layer);
    e.data += std::string(1 << 20, '\0');  // a bomb: far more data than signed
    t.tar.set_declared_size(layer, e.data.size());
    CHECK_THAT(t.refusal(), Catch::Contains("entry '" + layer + "' is larger than declared"));
}

TEST_CASE("a corrupt zstd frame") {
    Tamper t;
    std::string bytes = test::read_text(t.good);
    flip(bytes, 40);  // inside the first (compressed, checksummed) frame
    test::write_text(t.bad, bytes);
    CHECK_THAT(t.refusal_of(t.bad), Catch::Contains("corrupt zstd data") || Catch::Contains("not a Sealift bundle"));
}

TEST_CASE("signatures: unknown key and too few for the threshold") {
    Tamper t;
    trust::generate_key(trust::KeyType::ed25519, t.fx.dir / "keys" / "stranger");
    auto by_stranger = t.fx.build({t.fx.dir / "keys" / "stranger.key"}, "180d", t.fx.dir / "stranger");
    CHECK_THAT(t.refusal_of(by_stranger), Catch::Contains("unknown key"));

    // A root that wants two release signatures; the bundle carries one.
    trust::generate_key(trust::KeyType::ecdsa_p256, t.fx.dir / "keys" / "second");
    trust::RootSpec spec;
    spec.root_keys = {trust::PublicKey::load_pem(t.fx.dir / "keys" / "root.pub")};
    spec.release_keys = {trust::PublicKey::load_pem(t.fx.release_pub),
                         trust::PublicKey::load_pem(t.fx.dir / "keys" / "second.pub")};
    spec.release_threshold = 2;
    spec.expires = now_seconds() + std::chrono::hours(24 * 30);
    test::write_text(t.fx.trust_file, trust::make_root(spec, {trust::PrivateKey::load_pem(t.fx.root_key)}));
    CHECK_THAT(t.refusal_of(t.good), Catch::Contains("1 of 2"));
    // The same signature twice does not make two signatures.
    auto tar = test::TarEditor::load(t.good);
    auto& sigs = tar.at("sealift/signatures.json").data;
    auto one = sigs.substr(1, sigs.size() - 2);
    sigs = "[" + one + "," + one + "]";
    tar.set_declared_size("sealift/signatures.json", sigs.size());
    tar.save(t.bad);
    CHECK_THAT(t.refusal_of(t.bad), Catch::Contains("1 of 2"));
    CHECK_THROWS_WITH(t.fx.build({t.fx.release_key, t.fx.release_key}, "180d", t.fx.dir / "twice"),
                      Catch::Contains("is the same key as"));
    auto both = t.fx.build({t.fx.release_key, t.fx.dir / "keys" / "second.key"}, "180d", t.fx.dir / "both");
    CHECK(t.refusal_of(both) == "VERIFIED");
}

namespace {

std::string le(std::uint64_t v, int bytes) {
    std::string out;
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
    return out;
}

// One zstd frame standing for `blocks` * 128 KiB of zeros, in RLE blocks of 4 bytes each.
std::string zeros_frame(std::uint64_t blocks) {
    constexpr std::uint64_t kBlock = 128 * 1024;
    std::string out =
        std::string("\x28\xB5\x2F\xFD\xC0\x38", 6) + le(blocks * kBlock, 8);  // window 2^17, 8-byte content size
    for (std::uint64_t i = 0; i < blocks; ++i)
        out += le((kBlock << 3) | (1u << 1) | (i + 1 == blocks ? 1 : 0), 3) + '\0';
    return out;
}

}  // namespace

TEST_CASE("after the end-of-archive marker only tar's record padding may follow, and no more is read") {
    Tamper t;
    const std::uint64_t padding = (10240 - t.tar.archive().size() % 10240) % 10240;
    t.tar.save(t.bad, padding);  // what GNU tar writes: the archive padded to a 10240-byte record
    CHECK(t.refusal_of(t.bad) == "VERIFIED");
    t.tar.save(t.bad, padding + 512);
    CHECK_THAT(t.refusal_of(t.bad),
               Catch::Contains(
                   "more data after the end of the tar archive than the zeros that pad it to a 10240-byte tar record"));

    // 16 GiB of zeros in half a megabyte of zstd, after the last frame: refused at once, not read through.
    std::string bytes = test::read_text(t.good) + zeros_frame(131072);
    test::write_text(t.bad, bytes);
    auto started = std::chrono::steady_clock::now();
    CHECK_THAT(t.refusal_of(t.bad), Catch::Contains("more data after the end of the tar archive"));
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
}
