#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "fixtures.hpp"

using namespace sealift;
using trust::KeyType;

namespace {

struct RotationSetup {
    test::TempDir dir;
    trust::PrivateKey old_root = test::new_key(dir, "old-root");
    trust::PrivateKey new_root = test::new_key(dir, "new-root", KeyType::ecdsa_p256);
    trust::PrivateKey third_root = test::new_key(dir, "third-root");
    trust::PrivateKey release = test::new_key(dir, "release");
    trust::TrustRoot v1 =
        trust::TrustRoot::parse(test::root_text({old_root}, 1, {release.public_key()}, 1), "trust.json");

    // Root `version` with `root_keys` (threshold `threshold`), signed by `signers`.
    std::string successor(std::vector<trust::PublicKey> root_keys, unsigned threshold,
                          const std::vector<trust::PrivateKey>& signers, unsigned version = 2) {
        trust::RootSpec spec;
        spec.root_keys = std::move(root_keys);
        spec.root_threshold = threshold;
        spec.release_keys = {release.public_key()};
        spec.version = version;
        spec.expires = test::next_year();
        return trust::make_root(spec, signers);
    }
};

}  // namespace

TEST_CASE("root N+1 signed by a threshold of root N's keys and of its own is accepted") {
    RotationSetup s;
    auto v2 =
        s.v1.verify_successor(s.successor({s.new_root.public_key()}, 1, {s.old_root, s.new_root}), "trust-2.json");
    CHECK(v2.version() == 2);
    CHECK(v2.role("root").keyids == std::vector<std::string>{s.new_root.public_key().keyid()});
    // and on to version 3, now judged by version 2's keys only
    auto v3 = v2.verify_successor(
        s.successor({s.new_root.public_key(), s.third_root.public_key()}, 2, {s.new_root, s.third_root}, 3),
        "trust-3.json");
    CHECK(v3.version() == 3);
    CHECK(v3.role("root").threshold == 2);
    CHECK_THROWS_WITH(s.v1.verify_successor(v3.text(), "trust-3.json"),
                      Catch::Contains("cannot follow trusted root version 1"));
}

TEST_CASE("a root that skips or repeats a version is refused") {
    RotationSetup s;
    std::string v3 = s.successor({s.old_root.public_key()}, 1, {s.old_root}, 3);
    CHECK_THROWS_WITH(
        s.v1.verify_successor(v3, "trust-3.json"),
        Catch::Equals("trust-3.json: root version 3 cannot follow trusted root version 1 (want version 2)"));
    CHECK(test::error_code([&] { s.v1.verify_successor(v3, "trust-3.json"); }) == Errc::policy);
    std::string again_v1 = s.successor({s.old_root.public_key()}, 1, {s.old_root}, 1);
    CHECK_THROWS_WITH(s.v1.verify_successor(again_v1, "replay.json"),
                      Catch::Contains("root version 1 cannot follow trusted root version 1"));
}

TEST_CASE("a new root without a threshold of the old root's keys is refused") {
    RotationSetup s;
    std::string v2 = s.successor({s.new_root.public_key()}, 1, {s.new_root});
    CHECK_THROWS_WITH(
        s.v1.verify_successor(v2, "trust-2.json"),
        Catch::Contains(
            "trust-2.json (keys of trusted root version 1): 0 of 1 required signatures by root keys verified") &&
            Catch::Contains("signed by unknown key " + s.new_root.public_key().keyid()) &&
            Catch::Contains("(no signature by root key " + s.old_root.public_key().keyid() + ")"));
    CHECK(test::error_code([&] { s.v1.verify_successor(v2, "trust-2.json"); }) == Errc::signature);
}

TEST_CASE("a new root without a threshold of its own keys is refused") {
    RotationSetup s;
    // 2-of-2 new root keys, but the second one's signature is dropped after signing.
    Json doc = Json::parse(
        s.successor({s.new_root.public_key(), s.third_root.public_key()}, 2, {s.old_root, s.new_root, s.third_root}));
    auto& sigs = doc["signatures"];
    sigs.erase(std::remove_if(sigs.begin(), sigs.end(),
                              [&](const Json& sig) { return sig["keyid"] == s.third_root.public_key().keyid(); }),
               sigs.end());
    REQUIRE(sigs.size() == 2);
    CHECK_THROWS_WITH(
        s.v1.verify_successor(doc.dump(), "trust-2.json"),
        Catch::Equals("trust-2.json (its own root keys): 1 of 2 required signatures by root keys verified (no "
                      "signature by root key " +
                      s.third_root.public_key().keyid() + ")"));  // names the key that has yet to sign
}

TEST_CASE("a successor must be root metadata") {
    RotationSetup s;
    Json doc = Json::parse(s.successor({s.old_root.public_key()}, 1, {s.old_root}));
    doc["signed"]["_type"] = "targets";
    CHECK_THROWS_WITH(s.v1.verify_successor(test::resign(doc, {s.old_root}), "trust-2.json"),
                      Catch::Contains("trust-2.json: _type is 'targets', not 'root'"));
}

TEST_CASE("only the last root of a chain needs to be unexpired") {
    RotationSetup s;
    trust::RootSpec spec;
    spec.root_keys = {s.old_root.public_key()};
    spec.release_keys = {s.release.public_key()};
    spec.expires = now_seconds() - std::chrono::days(1);
    auto expired_v1 = trust::TrustRoot::parse(trust::make_root(spec, {s.old_root}), "trust.json");
    CHECK_THROWS_WITH(expired_v1.check_not_expired(now_seconds(), "trust.json"),
                      Catch::Contains("root version 1 expired"));
    auto v2 = expired_v1.verify_successor(s.successor({s.old_root.public_key()}, 1, {s.old_root}), "trust-2.json");
    CHECK_NOTHROW(v2.check_not_expired(now_seconds(), "trust-2.json"));
}
