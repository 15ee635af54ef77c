// sealift keygen and sealift trust init|rotate|show, run as a user would.
#include <catch2/catch.hpp>

#include "fixtures.hpp"

using namespace sealift;

namespace {

// Runs sealift in `dir` with SEALIFT_KEY_PASSPHRASE set to `passphrase`, or unset when empty.
test::CommandResult run_sealift(const test::TempDir& dir, const std::string& args, const std::string& passphrase = "") {
    std::string env =
        passphrase.empty() ? "env -u SEALIFT_KEY_PASSPHRASE" : "env SEALIFT_KEY_PASSPHRASE='" + passphrase + "'";
    return test::run("cd '" + dir.path().string() + "' && " + env + " '" + test::sealift_binary() + "' " + args);
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Runs sealift (no passphrase) and expects it to fail with `exit_code`, saying `message`.
void check_refused(const test::TempDir& dir, const std::string& args, int exit_code, const std::string& message) {
    auto result = run_sealift(dir, args);
    INFO("sealift " << args << "\n" << result.err);
    CHECK(result.exit_code == exit_code);
    CHECK(contains(result.err, message));
}

// root.key, rel1/rel2 key pairs, and a root (trust.json) with a 2-of-2 release role.
struct CliSetup {
    test::TempDir dir;
    CliSetup() {
        for (const char* name : {"root", "rel1"})
            REQUIRE(run_sealift(dir, std::string("keygen --out keys/") + name).exit_code == 0);
        REQUIRE(run_sealift(dir, "keygen --out keys/rel2 --type ecdsa-p256").exit_code == 0);
        auto init =
            run_sealift(dir,
                        "trust init --root-key keys/root.key --release-key keys/rel1.pub --release-key keys/rel2.pub "
                        "--threshold 2 --expires 30d --out trust.json");
        INFO(init.err);
        REQUIRE(init.exit_code == 0);
    }
    std::string keyid(const std::string& name) const {
        return trust::PublicKey::load_pem(dir / "keys" / (name + ".pub")).keyid();
    }
};

}  // namespace

TEST_CASE("sealift keygen writes a key pair and names both files") {
    test::TempDir dir;
    auto made = run_sealift(dir, "keygen --out keys/signer --type ecdsa-p256");
    REQUIRE(made.exit_code == 0);
    auto pub = trust::PublicKey::load_pem(dir / "keys" / "signer.pub");
    CHECK(pub.type() == trust::KeyType::ecdsa_p256);
    CHECK(made.out == "private key: keys/signer.key\npublic key:  keys/signer.pub\nkey id:      " + pub.keyid() + "\n");

    check_refused(dir, "keygen --out keys/signer", 2, "keys/signer.key already exists; refusing to overwrite it");
    check_refused(dir, "keygen --out keys/x --type rsa", 2, "unknown key type 'rsa'");
    CHECK(run_sealift(dir, "keygen").exit_code == 2);

    auto encrypted = run_sealift(dir, "keygen --out keys/locked", "pass phrase");
    CHECK(encrypted.exit_code == 0);
    CHECK(contains(encrypted.out, "keys/locked.key (encrypted)"));
    check_refused(dir, "trust init --root-key keys/locked.key --release-key keys/signer.pub --out trust.json", 2,
                  "keys/locked.key: the private key is encrypted; set SEALIFT_KEY_PASSPHRASE");
    CHECK(run_sealift(dir, "trust init --root-key keys/locked.key --release-key keys/signer.pub --out trust.json",
                      "pass phrase")
              .exit_code == 0);
}

TEST_CASE("sealift trust init writes a self-signed root with the requested roles") {
    CliSetup s;
    auto root = trust::TrustRoot::load(s.dir / "trust.json");
    CHECK_NOTHROW(root.verify_self());
    CHECK(root.version() == 1);
    auto expected_expiry = now_seconds() + std::chrono::days(30);
    CHECK(root.expires() > expected_expiry - std::chrono::minutes(5));
    CHECK(root.expires() <= expected_expiry);
    CHECK(root.role("root").keyids == std::vector<std::string>{s.keyid("root")});
    CHECK(root.role("targets").keyids == std::vector<std::string>{s.keyid("rel1"), s.keyid("rel2")});
    CHECK(root.role("targets").threshold == 2);

    check_refused(s.dir, "trust init --root-key keys/root.key --release-key keys/rel1.pub --out trust.json", 2,
                  "trust.json already exists; refusing to overwrite it");
}

TEST_CASE("sealift trust init refuses thresholds above the number of keys and missing keys") {
    CliSetup s;
    check_refused(s.dir, "trust init --root-key keys/root.key --release-key keys/rel1.pub --threshold 2 --out t2.json",
                  2, "threshold 2 of the release role must be between 1 and its 1 keys");
    check_refused(s.dir,
                  "trust init --root-key keys/root.key --root-threshold 2 --release-key keys/rel1.pub --out t2.json", 2,
                  "threshold 2 of the root role");
    check_refused(s.dir, "trust init --root-key keys/root.key --release-key keys/rel1.pub --threshold 0 --out t2.json",
                  2, "--threshold must be a number from 1 to 1000, not '0'");
    check_refused(s.dir, "trust init --release-key keys/rel1.pub --out t2.json", 2, "at least one --root-key");
    check_refused(s.dir,
                  "trust init --root-key keys/root.key --release-key keys/rel1.pub --expires 2001-01-01 --out t2.json",
                  2, "--expires 2001-01-01T00:00:00Z is not in the future");
    CHECK_FALSE(std::filesystem::exists(s.dir / "t2.json"));
}

TEST_CASE("sealift trust show prints version, expiry, roles and the signature check") {
    CliSetup s;
    auto shown = run_sealift(s.dir, "trust show trust.json");
    INFO(shown.out << shown.err);
    CHECK(shown.exit_code == 0);
    auto root = trust::TrustRoot::load(s.dir / "trust.json");
    CHECK(contains(shown.out, "trust.json: root version 1, expires " + format_time(root.expires()) + "\n"));
    CHECK(contains(shown.out, "root role: 1 of 1 keys\n  " + s.keyid("root") + "  ed25519\n"));
    CHECK(contains(shown.out, "release role (TUF targets): 2 of 2 keys\n  " + s.keyid("rel1") + "  ed25519\n  " +
                                  s.keyid("rel2") + "  ecdsa-p256\n"));
    CHECK(contains(shown.out, "TUF snapshot role: same as release\nTUF timestamp role: same as release\n"));
    CHECK(contains(shown.out, "signatures: OK, by root keys " + s.keyid("root") + "\n"));

    Json doc = Json::parse(test::read_text(s.dir / "trust.json"));
    doc["signed"]["roles"]["targets"]["threshold"] = 1;
    test::write_text(s.dir / "edited.json", doc.dump(2));
    auto edited = run_sealift(s.dir, "trust show edited.json");
    CHECK(edited.exit_code == 1);
    CHECK(contains(edited.out, "signatures: INVALID: edited.json: 0 of 1 required signatures by root keys verified"));
    CHECK(run_sealift(s.dir, "trust show").exit_code == 2);
    CHECK(run_sealift(s.dir, "trust frobnicate").exit_code == 2);
}

TEST_CASE("sealift trust rotate writes version N+1 signed by old and new root keys") {
    CliSetup s;
    REQUIRE(run_sealift(s.dir, "keygen --out keys/root2 --type ecdsa-p256").exit_code == 0);
    auto rotated = run_sealift(s.dir,
                               "trust rotate --from trust.json --root-key keys/root.key --root-key keys/root2.key "
                               "--new-root-pub keys/root2.pub --out trust-2.json");
    INFO(rotated.err);
    REQUIRE(rotated.exit_code == 0);
    CHECK(contains(rotated.out, "wrote trust-2.json: root version 2"));
    auto v1 = trust::TrustRoot::load(s.dir / "trust.json");
    auto v2 = v1.verify_successor(test::read_text(s.dir / "trust-2.json"), "trust-2.json");
    CHECK(v2.role("root").keyids == std::vector<std::string>{s.keyid("root2")});
    CHECK(v2.role("targets").keyids == v1.role("targets").keyids);  // kept
    CHECK(v2.role("targets").threshold == 2);

    // Version 3 changes only the release role, signed by the current root key alone.
    auto release_change =
        run_sealift(s.dir,
                    "trust rotate --from trust-2.json --root-key keys/root2.key --release-key keys/rel1.pub "
                    "--threshold 1 --out trust-3.json");
    INFO(release_change.err);
    REQUIRE(release_change.exit_code == 0);
    auto v3 = v2.verify_successor(test::read_text(s.dir / "trust-3.json"), "trust-3.json");
    CHECK(v3.role("targets").keyids == std::vector<std::string>{s.keyid("rel1")});
    CHECK(v3.role("root").keyids == v2.role("root").keyids);
}

TEST_CASE("sealift trust rotate refuses roots that a site could not accept") {
    CliSetup s;
    REQUIRE(run_sealift(s.dir, "keygen --out keys/root2").exit_code == 0);
    check_refused(s.dir,
                  "trust rotate --from trust.json --root-key keys/root.key --new-root-pub keys/root2.pub --out t2.json",
                  1, "new root version 2: 0 of 1 required signatures by root keys verified");
    check_refused(
        s.dir, "trust rotate --from trust.json --root-key keys/root2.key --new-root-pub keys/root2.pub --out t2.json",
        1, "t2.json (keys of trusted root version 1): 0 of 1 required signatures by root keys verified");
    check_refused(s.dir,
                  "trust rotate --from trust.json --root-key keys/root.key --root-key keys/rel1.key --out t2.json", 2,
                  "keys/rel1.key is a root key of neither version 1 nor the new root");
    check_refused(s.dir,
                  "trust rotate --from trust.json --root-key keys/root.key --release-key keys/rel1.pub --out t2.json",
                  2, "threshold 2 of the release role must be between 1 and its 1 keys");
    CHECK_FALSE(std::filesystem::exists(s.dir / "t2.json"));
}
