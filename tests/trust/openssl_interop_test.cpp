// Customers check signatures with stock OpenSSL; keys made by OpenSSL work here.
#include <catch2/catch.hpp>

#include "fixtures.hpp"

using namespace sealift;
using trust::KeyType;

namespace {

std::string quoted(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

}  // namespace

TEST_CASE("an Ed25519 signature verifies with openssl pkeyutl -rawin") {
    test::TempDir dir;
    auto key = test::new_key(dir, "release");
    std::string message = R"({"_type":"targets","version":1})";
    test::write_text(dir / "msg", message);
    test::write_text(dir / "sig.bin", test::bytes_of_hex(key.sign(message).sig_hex));
    std::string verify = "openssl pkeyutl -verify -pubin -inkey " + quoted(dir / "release.pub") + " -rawin -in " +
                         quoted(dir / "msg") + " -sigfile " + quoted(dir / "sig.bin");
    auto ok = test::run(verify);
    CHECK(ok.exit_code == 0);
    CHECK(ok.out.find("Signature Verified Successfully") != std::string::npos);

    test::write_text(dir / "msg", message + "x");
    auto tampered = test::run(verify);
    CHECK(tampered.exit_code != 0);
    CHECK(tampered.out.find("Signature Verification Failure") != std::string::npos);
}

TEST_CASE("an ECDSA P-256 signature verifies with openssl dgst -sha256 -verify") {
    test::TempDir dir;
    auto key = test::new_key(dir, "release", KeyType::ecdsa_p256);
    std::string message = R"({"_type":"targets","version":1})";
    test::write_text(dir / "msg", message);
    test::write_text(dir / "sig.bin", test::bytes_of_hex(key.sign(message).sig_hex));
    std::string verify = "openssl dgst -sha256 -verify " + quoted(dir / "release.pub") + " -signature " +
                         quoted(dir / "sig.bin") + " " + quoted(dir / "msg");
    auto ok = test::run(verify);
    CHECK(ok.exit_code == 0);
    CHECK(ok.out.find("Verified OK") != std::string::npos);

    test::write_text(dir / "msg", message + "x");
    auto tampered = test::run(verify);
    CHECK(tampered.exit_code != 0);
    CHECK(tampered.out.find("Verification failure") != std::string::npos);
}

TEST_CASE("keys and signatures made by openssl are accepted") {
    test::TempDir dir;
    test::ScopedEnv no_passphrase("SEALIFT_KEY_PASSPHRASE", nullptr);
    test::write_text(dir / "msg", "payload");
    auto made = test::run(
        "cd " + quoted(dir.path()) +
        " && openssl genpkey -algorithm ed25519 -out ed.key && openssl pkey -in ed.key -pubout -out ed.pub"
        " && openssl pkeyutl -sign -inkey ed.key -rawin -in msg -out ed.sig"
        " && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.key && openssl pkey -in ec.key -pubout -out ec.pub"
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
    auto opened = test::run("openssl pkey -in " + quoted(dir / "root.key") + " -passin env:SEALIFT_KEY_PASSPHRASE -pubout");
    CHECK(opened.exit_code == 0);
    CHECK(opened.out == test::read_text(dir / "root.pub"));
    CHECK(test::run("openssl pkey -in " + quoted(dir / "root.key") + " -passin pass:wrong -noout").exit_code != 0);
}
