#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "core/digest.hpp"
#include "core/error.hpp"
#include "fixtures.hpp"

using namespace sealift;
using trust::KeyType;

namespace {

unsigned file_mode(const std::filesystem::path& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

std::string flip_first_hex_digit(std::string hex) {
    hex[0] = hex[0] == '0' ? '1' : '0';
    return hex;
}

}  // namespace

TEST_CASE("keygen writes a private key only the owner can read, and a matching public key") {
    auto type = GENERATE(KeyType::ed25519, KeyType::ecdsa_p256);
    test::TempDir dir;
    test::ScopedEnv no_passphrase("SEALIFT_KEY_PASSPHRASE", nullptr);
    trust::PublicKey generated = trust::generate_key(type, dir / "keys" / "release");

    CHECK(file_mode(dir / "keys" / "release.key") == 0600);
    CHECK(test::read_text(dir / "keys" / "release.key").rfind("-----BEGIN PRIVATE KEY-----", 0) == 0);
    auto pub = trust::PublicKey::load_pem(dir / "keys" / "release.pub");
    auto priv = trust::PrivateKey::load_pem(dir / "keys" / "release.key");
    CHECK(pub.type() == type);
    CHECK(pub.keyid() == generated.keyid());
    CHECK(priv.public_key().keyid() == pub.keyid());
    CHECK(priv.public_key().spki_der() == pub.spki_der());
    CHECK(pub.to_pem() == test::read_text(dir / "keys" / "release.pub"));

    Json tuf = pub.to_tuf_json();
    if (type == KeyType::ed25519) {
        CHECK(tuf["keytype"] == "ed25519");
        CHECK(tuf["scheme"] == "ed25519");
        CHECK(tuf["keyval"]["public"].get<std::string>().size() == 64);
    } else {
        CHECK(tuf["keytype"] == "ecdsa");
        CHECK(tuf["scheme"] == "ecdsa-sha2-nistp256");
        CHECK(tuf["keyval"]["public"] == test::read_text(dir / "keys" / "release.pub"));
    }
}

TEST_CASE("keygen refuses to overwrite either file of a pair") {
    test::TempDir dir;
    test::ScopedEnv no_passphrase("SEALIFT_KEY_PASSPHRASE", nullptr);
    trust::generate_key(KeyType::ed25519, dir / "a");
    std::string before = test::read_text(dir / "a.key");
    CHECK_THROWS_WITH(trust::generate_key(KeyType::ed25519, dir / "a"), Catch::Contains("a.key already exists"));
    test::write_text(dir / "b.pub", "mine");
    CHECK_THROWS_WITH(trust::generate_key(KeyType::ecdsa_p256, dir / "b"), Catch::Contains("b.pub already exists"));
    CHECK(test::read_text(dir / "a.key") == before);
    CHECK_FALSE(std::filesystem::exists(dir / "b.key"));
}

TEST_CASE("key ids are the SHA-256 of the key's canonical TUF JSON and survive a round trip") {
    // RFC 8032 test vector 1 public key; the id is sha256 of the canonical form spelled out here.
    Json tuf = {{"keytype", "ed25519"},
                {"scheme", "ed25519"},
                {"keyval", {{"public", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"}}}};
    auto key = trust::PublicKey::from_tuf_json(tuf, "test key");
    CHECK(key.keyid() == "74c181c7ad8a0855d4b55e44d2ba87aabdddb196832571f15f92fece332e4916");
    CHECK(key.to_tuf_json() == tuf);

    auto type = GENERATE(KeyType::ed25519, KeyType::ecdsa_p256);
    test::TempDir dir;
    auto priv = test::new_key(dir, "k", type);
    const auto& pub = priv.public_key();
    CHECK(pub.keyid() == std::string(Sha256::of(canonical_json(pub.to_tuf_json())).hex()));
    auto again = trust::PublicKey::from_tuf_json(pub.to_tuf_json(), "again");
    CHECK(again.keyid() == pub.keyid());
    CHECK(again.spki_der() == pub.spki_der());
    CHECK(trust::PrivateKey::load_pem(dir / "k.key").public_key().keyid() == pub.keyid());
}

TEST_CASE("signatures verify only for the same message, signature and key") {
    auto type = GENERATE(KeyType::ed25519, KeyType::ecdsa_p256);
    test::TempDir dir;
    auto priv = test::new_key(dir, "signer", type);
    auto other = test::new_key(dir, "other", type);
    trust::Signature sig = priv.sign("release 1.2.3");
    CHECK(sig.keyid == priv.public_key().keyid());
    std::string bytes = test::bytes_of_hex(sig.sig_hex);
    if (type == KeyType::ed25519) {
        CHECK(bytes.size() == 64);
        CHECK(priv.sign("release 1.2.3").sig_hex == sig.sig_hex);  // Ed25519 is deterministic
    } else {
        CHECK(bytes[0] == 0x30);  // a DER SEQUENCE (r, s)
    }
    CHECK(priv.public_key().verify("release 1.2.3", bytes));
    CHECK_FALSE(priv.public_key().verify("release 1.2.4", bytes));
    CHECK_FALSE(priv.public_key().verify("release 1.2.3", test::bytes_of_hex(flip_first_hex_digit(sig.sig_hex))));
    std::string last_flipped = bytes;
    last_flipped.back() ^= 1;
    CHECK_FALSE(priv.public_key().verify("release 1.2.3", last_flipped));
    CHECK_FALSE(other.public_key().verify("release 1.2.3", bytes));
    CHECK_FALSE(priv.public_key().verify("release 1.2.3", ""));
    CHECK_FALSE(priv.public_key().verify("release 1.2.3", std::string(200, 'x')));
}

TEST_CASE("encrypted private keys need the right SEALIFT_KEY_PASSPHRASE") {
    auto type = GENERATE(KeyType::ed25519, KeyType::ecdsa_p256);
    test::TempDir dir;
    trust::PublicKey pub = [&] {
        test::ScopedEnv passphrase("SEALIFT_KEY_PASSPHRASE", "correct horse");
        return trust::generate_key(type, dir / "root");
    }();
    CHECK(test::read_text(dir / "root.key").rfind("-----BEGIN ENCRYPTED PRIVATE KEY-----", 0) == 0);
    CHECK(file_mode(dir / "root.key") == 0600);
    {
        test::ScopedEnv passphrase("SEALIFT_KEY_PASSPHRASE", "correct horse");
        auto priv = trust::PrivateKey::load_pem(dir / "root.key");
        CHECK(priv.public_key().keyid() == pub.keyid());
        CHECK(pub.verify("m", test::bytes_of_hex(priv.sign("m").sig_hex)));
    }
    {
        test::ScopedEnv passphrase("SEALIFT_KEY_PASSPHRASE", nullptr);
        CHECK_THROWS_WITH(trust::PrivateKey::load_pem(dir / "root.key"),
                          Catch::Contains("root.key: the private key is encrypted; set SEALIFT_KEY_PASSPHRASE"));
    }
    {
        test::ScopedEnv passphrase("SEALIFT_KEY_PASSPHRASE", "wrong horse");
        CHECK_THROWS_WITH(trust::PrivateKey::load_pem(dir / "root.key"),
                          Catch::Contains("root.key: cannot decrypt the private key (wrong SEALIFT_KEY_PASSPHRASE?)"));
    }
}

TEST_CASE("key files of the wrong kind are refused, naming the file") {
    test::TempDir dir;
    test::ScopedEnv no_passphrase("SEALIFT_KEY_PASSPHRASE", nullptr);
    test::write_text(dir / "junk.key", "not a key\n");
    CHECK_THROWS_WITH(trust::PrivateKey::load_pem(dir / "junk.key"),
                      Catch::Contains("junk.key: not a PEM private key"));
    CHECK_THROWS_WITH(trust::PublicKey::load_pem(dir / "junk.key"), Catch::Contains("junk.key: not a PEM public key"));

    auto priv = test::new_key(dir, "ed");
    CHECK_THROWS_WITH(trust::PublicKey::load_pem(dir / "ed.key"), Catch::Contains("ed.key: not a PEM public key"));
    CHECK_THROWS_WITH(trust::PrivateKey::load_pem(dir / "ed.pub"), Catch::Contains("ed.pub: not a PEM private key"));
    // What is wrong with the file, never OpenSSL's "error:1E08010C:DECODER routines::unsupported".
    CHECK_THROWS_WITH(trust::PrivateKey::load_pem(dir / "junk.key"),
                      Catch::EndsWith("junk.key: not a PEM private key (no -----BEGIN line: not PEM text)"));
    CHECK_THROWS_WITH(trust::PrivateKey::load_pem(dir / "ed.pub"),
                      Catch::EndsWith("(it holds another PEM block, e.g. a public key)") && !Catch::Contains("error:"));
    test::write_text(dir / "cut.key",
                     "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI\n-----END PRIVATE KEY-----\n");
    CHECK_THROWS_WITH(trust::PrivateKey::load_pem(dir / "cut.key"),
                      Catch::EndsWith("cut.key: not a PEM private key (a PRIVATE KEY block that does not decode)"));

    REQUIRE(test::run("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out '" +
                      (dir / "rsa.key").string() + "'")
                .exit_code == 0);
    CHECK_THROWS_WITH(trust::PrivateKey::load_pem(dir / "rsa.key"),
                      Catch::Contains("rsa.key: unsupported key type 'RSA'"));
    REQUIRE(test::run("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out '" +
                      (dir / "p384.key").string() + "' && openssl pkey -in '" + (dir / "p384.key").string() +
                      "' -pubout -out '" + (dir / "p384.pub").string() + "'")
                .exit_code == 0);
    CHECK_THROWS_WITH(trust::PublicKey::load_pem(dir / "p384.pub"),
                      Catch::Contains("p384.pub: unsupported elliptic curve 'secp384r1'"));
    CHECK_THROWS_WITH(trust::PublicKey::load_pem(dir / "missing.pub"), Catch::Contains("missing.pub"));
}

TEST_CASE("TUF key objects of the wrong shape are refused, naming the key") {
    test::TempDir dir;
    auto ed = test::new_key(dir, "ed").public_key().to_tuf_json();
    auto ec = test::new_key(dir, "ec", KeyType::ecdsa_p256).public_key().to_tuf_json();

    Json wrong_scheme = ed;
    wrong_scheme["scheme"] = "rsassa-pss-sha256";
    CHECK_THROWS_WITH(trust::PublicKey::from_tuf_json(wrong_scheme, "key k1"),
                      Catch::Contains("key k1: unsupported keytype 'ed25519' with scheme 'rsassa-pss-sha256'"));
    Json short_key = ed;
    short_key["keyval"]["public"] = "abcd";
    CHECK_THROWS_WITH(trust::PublicKey::from_tuf_json(short_key, "key k2"),
                      Catch::Contains("key k2: an Ed25519 public key is 32 bytes, not 2"));
    Json not_hex = ed;
    not_hex["keyval"]["public"] = std::string(63, 'a') + "g";
    CHECK_THROWS_WITH(trust::PublicKey::from_tuf_json(not_hex, "key k3"),
                      Catch::Contains("key k3 keyval.public: not hex at offset 62"));
    Json ed_in_ecdsa = ec;
    ed_in_ecdsa["keyval"]["public"] = test::read_text(dir / "ed.pub");
    CHECK_THROWS_WITH(trust::PublicKey::from_tuf_json(ed_in_ecdsa, "key k4"),
                      Catch::Contains("key k4: keyval.public holds an ed25519 key, not ecdsa"));
    Json no_keyval = ec;
    no_keyval.erase("keyval");
    CHECK_THROWS_WITH(trust::PublicKey::from_tuf_json(no_keyval, "key k5"),
                      Catch::Contains("key k5: missing field 'keyval'"));
}

TEST_CASE("signature lists round-trip and refuse malformed entries") {
    std::vector<trust::Signature> sigs{{"k1", "00ff"}, {"k2", "abcd"}};
    Json json = trust::signatures_to_json(sigs);
    CHECK(json.dump() == R"([{"keyid":"k1","sig":"00ff"},{"keyid":"k2","sig":"abcd"}])");
    auto back = trust::signatures_from_json(json, "m.json");
    REQUIRE(back.size() == 2);
    CHECK(back[1].keyid == "k2");
    CHECK(back[1].sig_hex == "abcd");
    CHECK_THROWS_WITH(trust::signatures_from_json(Json::object(), "m.json"),
                      Catch::Contains("m.json: 'signatures' must be an array"));
    CHECK_THROWS_WITH(trust::signatures_from_json(Json::parse(R"([{"keyid":"k1"}])"), "m.json"),
                      Catch::Contains("m.json signature 0: missing field 'sig'"));
    CHECK_THROWS_WITH(trust::signatures_from_json(Json::parse(R"([{"keyid":"k1","sig":"abc"}])"), "m.json"),
                      Catch::Contains("m.json signature 0 sig: hex text of odd length 3"));
}

TEST_CASE("key types are spelled as on the command line") {
    CHECK(trust::parse_key_type("ed25519") == KeyType::ed25519);
    CHECK(trust::parse_key_type("ecdsa-p256") == KeyType::ecdsa_p256);
    CHECK(std::string(trust::key_type_name(KeyType::ecdsa_p256)) == "ecdsa-p256");
    CHECK_THROWS_WITH(trust::parse_key_type("rsa"), Catch::Contains("unknown key type 'rsa'"));
}
