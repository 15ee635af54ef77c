#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "fixtures.hpp"

using namespace sealift;
using trust::KeyType;

namespace {

// Three release keys (two Ed25519, one ECDSA) under a 2-of-3 threshold, and one root key.
struct ReleaseSetup {
    test::TempDir dir;
    trust::PrivateKey root = test::new_key(dir, "root");
    trust::PrivateKey a = test::new_key(dir, "a");
    trust::PrivateKey b = test::new_key(dir, "b", KeyType::ecdsa_p256);
    trust::PrivateKey c = test::new_key(dir, "c");
    trust::PrivateKey outsider = test::new_key(dir, "outsider");
    std::string text = test::root_text({root}, 1, {a.public_key(), b.public_key(), c.public_key()}, 2);
    trust::TrustRoot trust_root = trust::TrustRoot::parse(text, "trust.json");
};

const std::string manifest = R"({"_type":"targets","version":7})";

}  // namespace

TEST_CASE("make_root writes TUF root metadata whose release role is targets, snapshot and timestamp") {
    ReleaseSetup s;
    const auto& root = s.trust_root;
    CHECK(root.text() == s.text);
    CHECK(root.version() == 1);
    CHECK(root.expires() > now_seconds());
    CHECK(root.role("root").keyids == std::vector<std::string>{s.root.public_key().keyid()});
    CHECK(root.role("root").threshold == 1);
    CHECK(root.role("targets").keyids ==
          std::vector<std::string>{s.a.public_key().keyid(), s.b.public_key().keyid(), s.c.public_key().keyid()});
    CHECK(root.role("targets").threshold == 2);
    for (const char* name : {"snapshot", "timestamp"}) {
        CHECK(root.role(name).keyids == root.role("targets").keyids);
        CHECK(root.role(name).threshold == 2);
    }
    CHECK(root.keys().size() == 4);
    CHECK(root.key(s.b.public_key().keyid()).type() == KeyType::ecdsa_p256);

    Json doc = Json::parse(s.text);
    CHECK(doc["signed"]["_type"] == "root");
    CHECK(doc["signed"]["spec_version"] == "1.0.31");
    CHECK(doc["signed"]["consistent_snapshot"] == false);
    CHECK(doc["signed"]["keys"][s.b.public_key().keyid()] == s.b.public_key().to_tuf_json());
    CHECK(root.signed_bytes() == canonical_json(doc["signed"]));
    CHECK_NOTHROW(root.verify_self());
}

TEST_CASE("a role's threshold counts verified signatures of distinct keys") {
    ReleaseSetup s;
    auto two = s.trust_root.verify_role("targets", manifest, {s.a.sign(manifest), s.b.sign(manifest)}, "bundle");
    CHECK(two == std::vector<std::string>{s.a.public_key().keyid(), s.b.public_key().keyid()});
    auto three = s.trust_root.verify_role("targets", manifest,
                                          {s.c.sign(manifest), s.b.sign(manifest), s.a.sign(manifest)}, "bundle");
    CHECK(three.size() == 3);

    CHECK_THROWS_WITH(s.trust_root.verify_role("targets", manifest, {s.a.sign(manifest)}, "bundle manifest"),
                      Catch::StartsWith("bundle manifest: 1 of 2 required signatures by targets keys verified (no "
                                        "signature by targets key ") &&
                          Catch::Contains(s.b.public_key().keyid()) && Catch::Contains(s.c.public_key().keyid()) &&
                          !Catch::Contains(s.a.public_key().keyid()));
    CHECK_THROWS_WITH(s.trust_root.verify_role("targets", manifest, {}, "bundle manifest"),
                      Catch::Contains("0 of 2 required signatures by targets keys verified (no signatures)"));
    CHECK(test::error_code([&] { s.trust_root.verify_role("targets", manifest, {}, "m"); }) == Errc::signature);
}

TEST_CASE("signatures by keys outside the role do not count and are named when nothing verifies") {
    ReleaseSetup s;
    std::string outsider = s.outsider.public_key().keyid();
    CHECK_THROWS_WITH(s.trust_root.verify_role("targets", manifest, {s.outsider.sign(manifest)}, "bundle"),
                      Catch::Contains("0 of 2") && Catch::Contains("signed by unknown key " + outsider));
    // A root key is no release key either.
    CHECK_THROWS_WITH(s.trust_root.verify_role("targets", manifest, {s.root.sign(manifest)}, "bundle"),
                      Catch::Contains("signed by unknown key " + s.root.public_key().keyid()));
    CHECK_THROWS_WITH(
        s.trust_root.verify_role("targets", manifest, {s.outsider.sign(manifest), s.a.sign(manifest)}, "bundle"),
        Catch::StartsWith(
            "bundle: 1 of 2 required signatures by targets keys verified (no signature by targets key ") &&
            !Catch::Contains("unknown key"));
    // An outsider signing under a release key's id is just a bad signature.
    trust::Signature forged = s.outsider.sign(manifest);
    forged.keyid = s.a.public_key().keyid();
    CHECK_THROWS_WITH(s.trust_root.verify_role("targets", manifest, {forged, s.c.sign(manifest)}, "bundle"),
                      Catch::Contains("1 of 2") && Catch::Contains("bad signature by key " + s.a.public_key().keyid()));
}

TEST_CASE("a duplicated signature counts once") {
    ReleaseSetup s;
    trust::Signature sig = s.a.sign(manifest);
    CHECK_THROWS_WITH(s.trust_root.verify_role("targets", manifest, {sig, sig}, "bundle"), Catch::Contains("1 of 2"));
    // ECDSA signatures are randomised: two different valid signatures by one key still count once.
    CHECK_THROWS_WITH(s.trust_root.verify_role("targets", manifest, {s.b.sign(manifest), s.b.sign(manifest)}, "bundle"),
                      Catch::Contains("1 of 2"));
}

TEST_CASE("one key listed under two key ids counts once") {
    ReleaseSetup s;
    std::string id_a = s.a.public_key().keyid(), alias = "alias-of-a";
    Json doc = Json::parse(s.text);
    doc["signed"]["keys"][alias] = s.a.public_key().to_tuf_json();
    for (const char* role : {"targets", "snapshot", "timestamp"})
        doc["signed"]["roles"][role]["keyids"].push_back(alias);
    auto root = trust::TrustRoot::parse(test::resign(doc, {s.root}), "aliased.json");
    REQUIRE_NOTHROW(root.verify_self());

    trust::Signature as_alias = s.a.sign(manifest);
    as_alias.keyid = alias;
    CHECK_THROWS_WITH(root.verify_role("targets", manifest, {s.a.sign(manifest), as_alias}, "bundle"),
                      Catch::Contains("1 of 2"));
    CHECK(root.verify_role("targets", manifest, {as_alias, s.a.sign(manifest), s.c.sign(manifest)}, "bundle") ==
          std::vector<std::string>{alias, s.c.public_key().keyid()});
}

TEST_CASE("a tampered message or signature does not verify") {
    ReleaseSetup s;
    std::vector<trust::Signature> sigs{s.a.sign(manifest), s.b.sign(manifest)};
    CHECK_THROWS_WITH(s.trust_root.verify_role("targets", manifest + " ", sigs, "bundle"),
                      Catch::Contains("0 of 2") && Catch::Contains("bad signature by key " + s.a.public_key().keyid() +
                                                                   ", " + s.b.public_key().keyid()));
    auto tampered = sigs;
    tampered[1].sig_hex[10] = tampered[1].sig_hex[10] == 'a' ? 'b' : 'a';
    CHECK_THROWS_WITH(s.trust_root.verify_role("targets", manifest, tampered, "bundle"),
                      Catch::Contains("1 of 2") && Catch::Contains("bad signature by key " + s.b.public_key().keyid()));

    // The root's own signed part, edited after signing.
    Json doc = Json::parse(s.text);
    doc["signed"]["roles"]["targets"]["threshold"] = 1;
    auto edited = trust::TrustRoot::parse(doc.dump(), "edited.json");
    CHECK_THROWS_WITH(edited.verify_self(),
                      Catch::Contains("edited.json: 0 of 1 required signatures by root keys verified (bad signature"));
}

TEST_CASE("expired roots are refused") {
    ReleaseSetup s;
    CHECK_NOTHROW(s.trust_root.check_not_expired(now_seconds(), "trust.json"));
    CHECK_NOTHROW(s.trust_root.check_not_expired(s.trust_root.expires() - std::chrono::seconds(1), "trust.json"));
    CHECK_THROWS_WITH(s.trust_root.check_not_expired(s.trust_root.expires(), "trust.json"),
                      Catch::Equals("trust.json: root version 1 expired at " + format_time(s.trust_root.expires())));
    CHECK(test::error_code([&] {
              s.trust_root.check_not_expired(s.trust_root.expires() + std::chrono::days(1), "t");
          }) == Errc::policy);
}

TEST_CASE("root metadata with duplicate JSON keys is refused") {
    ReleaseSetup s;
    std::string id = s.a.public_key().keyid();
    std::string key = s.a.public_key().to_tuf_json().dump();
    std::string duplicate_key_id = s.text;
    duplicate_key_id.replace(duplicate_key_id.find("\"keys\": {") + 9, 0, "\"" + id + "\": " + key + ",");
    CHECK_THROWS_WITH(trust::TrustRoot::parse(duplicate_key_id, "dup.json"),
                      Catch::Contains("dup.json: duplicate JSON key '" + id + "'"));
    std::string duplicate_version = s.text;
    duplicate_version.replace(duplicate_version.find("\"version\": 1"), 0, "\"version\": 2, ");
    CHECK_THROWS_WITH(trust::TrustRoot::parse(duplicate_version, "dup.json"),
                      Catch::Contains("duplicate JSON key 'version'"));
}

TEST_CASE("root metadata of the wrong shape is refused, naming the field") {
    ReleaseSetup s;
    auto parse_edited = [&](const std::function<void(Json&)>& edit) {
        Json doc = Json::parse(s.text);
        edit(doc);
        return trust::TrustRoot::parse(doc.dump(), "bad.json");
    };
    CHECK_THROWS_WITH(parse_edited([](Json& d) { d["signed"]["_type"] = "targets"; }),
                      Catch::Contains("bad.json: _type is 'targets', not 'root'"));
    CHECK_THROWS_WITH(parse_edited([](Json& d) { d["extra"] = 1; }),
                      Catch::Contains("bad.json: unknown field 'extra'"));
    CHECK_THROWS_WITH(parse_edited([](Json& d) { d["signed"]["spec_version"] = "2.0.0"; }),
                      Catch::Contains("spec_version"));
    CHECK_THROWS_WITH(parse_edited([](Json& d) { d["signed"]["version"] = 0; }),
                      Catch::Contains("'version' must be between 1"));
    CHECK_THROWS_WITH(parse_edited([](Json& d) { d["signed"]["expires"] = "tomorrow"; }),
                      Catch::Contains("bad.json: expires: invalid time 'tomorrow'"));
    CHECK_THROWS_WITH(parse_edited([](Json& d) { d["signed"].erase("consistent_snapshot"); }),
                      Catch::Contains("missing field 'consistent_snapshot'"));
    CHECK_THROWS_WITH(parse_edited([](Json& d) { d["signed"]["roles"].erase("timestamp"); }),
                      Catch::Contains("bad.json: roles: missing field 'timestamp'"));
    CHECK_THROWS_WITH(parse_edited([](Json& d) { d["signed"]["roles"]["mirror"] = d["signed"]["roles"]["root"]; }),
                      Catch::Contains("roles: unknown field 'mirror'"));
    CHECK_THROWS_WITH(parse_edited([](Json& d) { d["signed"]["roles"]["targets"]["keyids"].push_back("nope"); }),
                      Catch::Contains("role 'targets': key id nope is not among the root's keys"));
    CHECK_THROWS_WITH(parse_edited([](Json& d) {
                          d["signed"]["roles"]["root"]["keyids"].push_back(d["signed"]["roles"]["root"]["keyids"][0]);
                      }),
                      Catch::Contains("role 'root': key id") && Catch::Contains("is listed twice"));
    CHECK_THROWS_WITH(parse_edited([](Json& d) { d["signed"]["roles"]["targets"]["threshold"] = 0; }),
                      Catch::Contains("role 'targets': field 'threshold' must be between 1"));
    CHECK_THROWS_WITH(parse_edited([](Json& d) { d["signed"]["roles"]["targets"]["threshold"] = 4; }),
                      Catch::Contains("role 'targets': threshold 4 exceeds its 3 distinct keys"));
    CHECK_THROWS_WITH(parse_edited([&](Json& d) { d["signed"]["keys"][s.a.public_key().keyid()]["scheme"] = "x"; }),
                      Catch::Contains("bad.json: key " + s.a.public_key().keyid() + ": unsupported keytype"));
    CHECK_THROWS_WITH(trust::TrustRoot::parse("[]", "bad.json"),
                      Catch::Contains("bad.json: root metadata must be a JSON object"));
    CHECK_THROWS_WITH(trust::TrustRoot::load(s.dir / "absent.json"), Catch::Contains("absent.json"));
}

TEST_CASE("make_root refuses impossible thresholds, repeated keys and too few root signers") {
    test::TempDir dir;
    auto root = test::new_key(dir, "root"), second_root = test::new_key(dir, "root2"),
         release = test::new_key(dir, "release");
    trust::RootSpec spec;
    spec.root_keys = {root.public_key()};
    spec.release_keys = {release.public_key()};
    spec.expires = test::next_year();

    auto usage = [&](trust::RootSpec bad, const std::string& message) {
        CHECK_THROWS_WITH(trust::make_root(bad, {root}), Catch::Contains(message));
        CHECK(test::error_code([&] { trust::make_root(bad, {root}); }) == Errc::usage);
    };
    auto too_high = spec;
    too_high.release_threshold = 2;
    usage(too_high, "threshold 2 of the release role must be between 1 and its 1 keys");
    auto zero = spec;
    zero.root_threshold = 0;
    usage(zero, "threshold 0 of the root role");
    auto repeated = spec;
    repeated.release_keys.push_back(release.public_key());
    usage(repeated, "key " + release.public_key().keyid() + " is given twice for the release role");
    auto no_release = spec;
    no_release.release_keys.clear();
    usage(no_release, "the release role needs at least one key");

    auto two_of_two = spec;
    two_of_two.root_keys.push_back(second_root.public_key());
    two_of_two.root_threshold = 2;
    CHECK_THROWS_WITH(trust::make_root(two_of_two, {root}),
                      Catch::Contains("new root version 1: 1 of 2 required signatures by root keys"));
    CHECK_THROWS_WITH(trust::make_root(spec, {release}),
                      Catch::Contains("signed by unknown key " + release.public_key().keyid()));
    CHECK_NOTHROW(trust::TrustRoot::parse(trust::make_root(two_of_two, {root, second_root, root}), "t").verify_self());
}
