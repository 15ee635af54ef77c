// Sealift roots and bundle manifests (TUF targets documents with an extra
// "sealift" field) must verify with a stock TUF client: @tufjs/models, run by
// tests/node/verify-tuf.mjs. `make deps` installs it (npm ci --prefix tests/node).
#include <catch2/catch.hpp>

#include "core/digest.hpp"
#include "fixtures.hpp"

using namespace sealift;
using trust::KeyType;

namespace {

std::filesystem::path node_dir() { return test::source_dir() / "tests" / "node"; }

void require_tufjs() {
    if (!std::filesystem::exists(node_dir() / "node_modules" / "@tufjs" / "models" / "package.json"))
        FAIL("tests/node/node_modules is missing @tufjs/models: run `make deps` (npm ci --prefix tests/node)");
}

// A bundle manifest as a TUF targets document: payloads with length, sha256
// and a media type under "custom", and release metadata under "sealift".
Json manifest_signed() {
    return {{"_type", "targets"},
            {"spec_version", "1.0.31"},
            {"version", 1},
            {"expires", format_time(test::next_year())},
            {"targets",
             {{"images/app.oci.tar",
               {{"length", 5368709120ull},
                {"hashes", {{"sha256", std::string(Sha256::of("app").hex())}}},
                {"custom", {{"mediaType", "application/vnd.oci.image.index.v1+json"}}}}},
              {"notes/RELEASE.md",
               {{"length", 42},
                {"hashes", {{"sha256", std::string(Sha256::of("notes").hex())}}},
                {"custom", {{"mediaType", "text/markdown"}}}}}}},
            {"sealift",
             {{"channel", "stable"},
              {"release", "1.2.3"},
              {"sequence", 17},
              {"issued_at", format_time(now_seconds())},
              {"notes", "First line\nzweite Zeile \xC3\xA9\xC3\xBC \xE2\x9C\x93 \"quoted\" back\\slash"}}}};
}

std::string envelope(const Json& signed_part, const std::vector<trust::PrivateKey>& signers) {
    return test::resign(Json{{"signed", signed_part}, {"signatures", Json::array()}}, signers);
}

test::CommandResult run_tufjs(const test::TempDir& dir, const std::string& root, const std::string& targets) {
    test::write_text(dir / "root.json", root);
    test::write_text(dir / "targets.json", targets);
    return test::run("node '" + (node_dir() / "verify-tuf.mjs").string() + "' '" + (dir / "root.json").string() +
                     "' '" + (dir / "targets.json").string() + "'");
}

}  // namespace

TEST_CASE("tufjs verifies our root and a signed bundle manifest, for each key type") {
    require_tufjs();
    auto type = GENERATE(KeyType::ed25519, KeyType::ecdsa_p256);
    test::TempDir dir;
    auto root_key = test::new_key(dir, "root", type);
    auto release = test::new_key(dir, "release", type);
    std::string root = test::root_text({root_key}, 1, {release.public_key()}, 1);
    // Our own verifier accepts exactly the bytes tufjs recomputes from the parsed document.
    Json signed_part = manifest_signed();
    std::string manifest = envelope(signed_part, {release});
    auto sigs = trust::signatures_from_json(Json::parse(manifest)["signatures"], "manifest");
    CHECK_NOTHROW(
        trust::TrustRoot::parse(root, "root").verify_role("targets", canonical_json(signed_part), sigs, "manifest"));

    auto result = run_tufjs(dir, root, manifest);
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out == "ok\n");
}

TEST_CASE("tufjs applies our thresholds across mixed key types and rejects tampering") {
    require_tufjs();
    test::TempDir dir;
    auto root_a = test::new_key(dir, "root-a", KeyType::ecdsa_p256), root_b = test::new_key(dir, "root-b");
    auto ed = test::new_key(dir, "ed"), ec = test::new_key(dir, "ec", KeyType::ecdsa_p256);
    std::string root = test::root_text({root_a, root_b}, 2, {ed.public_key(), ec.public_key()}, 2);
    Json signed_part = manifest_signed();

    auto both = run_tufjs(dir, root, envelope(signed_part, {ed, ec}));
    INFO(both.err);
    CHECK(both.out == "ok\n");

    auto one = run_tufjs(dir, root, envelope(signed_part, {ec}));
    CHECK(one.exit_code == 1);
    CHECK(one.err.find("targets was signed by 1/2 keys") != std::string::npos);

    Json tampered = Json::parse(envelope(signed_part, {ed, ec}));
    tampered["signed"]["sealift"]["release"] = "1.2.4";
    auto edited = run_tufjs(dir, root, tampered.dump());
    CHECK(edited.exit_code == 1);
    CHECK(edited.err.find("targets was signed by 0/2 keys") != std::string::npos);

    Json root_tampered = Json::parse(root);
    root_tampered["signed"]["roles"]["targets"]["threshold"] = 1;
    auto bad_root = run_tufjs(dir, root_tampered.dump(), envelope(signed_part, {ec}));
    CHECK(bad_root.exit_code == 1);
    CHECK(bad_root.err.find("root was signed by 0/2 keys") != std::string::npos);
}
