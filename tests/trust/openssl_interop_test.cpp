// Customers check signatures with stock OpenSSL; keys made by OpenSSL work here.
#include <catch2/catch.hpp>

#include "fixtures.hpp"

using namespace sealift;
using trust::KeyType;

namespace {

std::string quoted(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

}  // namespace

TEST_CASE("signatures verify with stock openssl: pkeyutl -rawin for Ed25519, dgst -sha256 for ECDSA") {
    auto type = GENERATE(KeyType::ed25519, KeyType::ecdsa_p256);
    test::TempDir dir;
    auto key = test::new_key(dir, "release", type);
    std::string message = R"({"_type":"targets","version":1})";
    test::write_text(dir / "msg", message);
    test::write_text(dir / "sig.bin", test::bytes_of_hex(key.sign(message).sig_hex));
    std::string pub = quoted(dir / "release.pub"), msg = quoted(dir / "msg"), sig = quoted(dir / "sig.bin");
    // openssl dgst refuses Ed25519 on OpenSSL 3.0; pkeyutl -rawin is the stock way there.
    std::string verify =
        type == KeyType::ed25519
            ? "openssl pkeyutl -verify -pubin -inkey " + pub + " -rawin -in " + msg + " -sigfile " + sig
            : "openssl dgst -sha256 -verify " + pub + " -signature " + sig + " " + msg;
    auto ok = test::run(verify);
    CHECK(ok.exit_code == 0);
    CHECK(ok.out == (type == KeyType::ed25519 ? "Signature Verified Successfully\n" : "Verified OK\n"));

    test::write_text(dir / "msg", message + "x");
    auto tampered = test::run(verify);
    CHECK(tampered.exit_code != 0);
    CHECK(tampered.out == (type == KeyType::ed25519 ? "Signature Verification Failure\n" : "Verification failure\n"));
}

TEST_CASE("keys and signatures made by openssl are accepted") {
    test::TempDir dir;
    test::ScopedEnv no_passphrase("SEALIFT_KEY_PASSPHRASE", nullptr);
    test::write_text(dir / "msg", "payload");
    auto made =
        test::run("cd " + quoted(dir.path()) +
                  " && openssl genpkey -algorithm ed25519 -out ed.key && openssl pkey -in ed.key -pubout -out ed.pub"
                  " && openssl pkeyutl -sign -inkey ed.key -rawin -in msg -out ed.sig"
                  " && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.key && openssl pkey -in "
                  "ec.key -pubout -out ec.pub"
                  " && openssl dgst -sha256 -sign ec.key -out ec.sig msg");
    REQUIRE(made.exit_code == 0);
    for (std::string name : {"ed", "ec"}) {
        auto pub = trust::PublicKey::load_pem(dir / (name + ".pub"));
        CHECK(pub.verify("payload", test::read_text(dir / (name + ".sig"))));
        CHECK_FALSE(pub.verify("payloaD", test::read_text(dir / (name + ".sig"))));
        CHECK(trust::PrivateKey::load_pem(dir / (name + ".key")).public_key().keyid() == pub.keyid());
    }
}

TEST_CASE("an encrypted key is PBES2 with AES-256 and opens with openssl pkey") {
    test::TempDir dir;
    test::ScopedEnv passphrase("SEALIFT_KEY_PASSPHRASE", "s3cret phrase");
    trust::generate_key(KeyType::ecdsa_p256, dir / "root");
    auto parsed = test::run("openssl asn1parse -in " + quoted(dir / "root.key"));
    REQUIRE(parsed.exit_code == 0);
    CHECK(parsed.out.find("PBES2") != std::string::npos);
    CHECK(parsed.out.find("PBKDF2") != std::string::npos);
    CHECK(parsed.out.find("hmacWithSHA256") != std::string::npos);
    CHECK(parsed.out.find("aes-256-cbc") != std::string::npos);
    auto opened =
        test::run("openssl pkey -in " + quoted(dir / "root.key") + " -passin env:SEALIFT_KEY_PASSPHRASE -pubout");
    CHECK(opened.exit_code == 0);
    CHECK(opened.out == test::read_text(dir / "root.pub"));
    CHECK(test::run("openssl pkey -in " + quoted(dir / "root.key") + " -passin pass:wrong -noout").exit_code != 0);
}
