// Imports into a real docker-registry keep the channel promise the store keeps:
// against the registry's release records, an upgrade is accepted, a downgrade
// refused unless an admin allows it with a reason (recorded in the release record
// and the receipt), another bundle of an imported version always refused, and the
// same bundle again changes nothing. Tags are read back with skopeo.
#include <catch2/catch.hpp>

#include <map>
#include <optional>

#include "core/json.hpp"
#include "mirror/import/import.hpp"
#include "mirror/site/site.hpp"
#include "support/channel_releases.hpp"
#include "support/registry_test_support.hpp"
#include "verify/verify.hpp"

using namespace sealift;
using test::IsError;
using test::RegistryServer;

namespace {

struct ChannelSite {
    RegistryServer registry{RegistryServer::Auth::none};
    test::ChannelReleases line;
    test::TempDir dir;

    mirror::ImportReport import(const std::filesystem::path& bundle,
                                std::optional<std::string> allow_downgrade = std::nullopt) {
        mirror::RegistryImportOptions o;
        o.bundle = bundle;
        o.target = registry::Target::parse(registry.host() + "/site");
        o.registry = test::options_for(registry, false);
        o.quiet = true;
        o.allow_downgrade = std::move(allow_downgrade);
        if (std::filesystem::exists(dir / "site.key")) {
            o.site_key = mirror::site::load_site_key(dir / "site.key");
            o.receipt = dir / "receipt.json";
        }
        return mirror::import_to_registry(o, line.fx.root());
    }
    registry::RegistryClient client() const { return registry::RegistryClient(test::options_for(registry, false)); }

    // What the shared tag names, as skopeo reads it from the registry.
    std::string stable_digest() const {
        auto r =
            test::run("skopeo inspect --tls-verify=false docker://" + registry.host() + "/site/platform/web:stable");
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        return Json::parse(r.out)["Digest"].get<std::string>();
    }
    // Every tag the release line uses, and the release records.
    std::map<std::string, std::vector<std::string>> tags() {
        auto c = client();
        std::map<std::string, std::vector<std::string>> out;
        for (std::string repo :
             {"site/platform/api", "site/platform/web", "site/charts/platform-core", "site/sealift/releases"})
            out[repo] = c.list_tags(repo);
        return out;
    }
    std::string image_digest(const mirror::ImportReport& r) const {
        for (const auto& a : r.artifacts)
            if (a.target.ends_with("/site/platform/web:stable")) return a.digest.str();
        FAIL("the import tagged no web:stable");
        return "";
    }
};

}  // namespace

TEST_CASE("registry channel: upgrade accepted; downgrade refused before any write; the same bundle again is no-op") {
    ChannelSite s;
    auto v1 = s.line.bundle("1.0.0"), v2 = s.line.bundle("2.0.0"), v15 = s.line.bundle("1.5.0");
    std::string d1 = s.image_digest(s.import(v1));
    CHECK(s.stable_digest() == d1);
    auto upgraded = s.import(v2);
    std::string d2 = s.image_digest(upgraded);
    CHECK(d2 != d1);
    CHECK(s.stable_digest() == d2);
    CHECK_FALSE(upgraded.downgrade);

    auto before = s.tags();
    CHECK(before["site/sealift/releases"] ==
          std::vector<std::string>{"platform-1.0.0-stable", "platform-2.0.0-stable"});
    auto host = s.registry.host();
    CHECK_THROWS_MATCHES(s.import(v15), Error,
                         IsError(Errc::policy,
                                 v15.string() +
                                     ": release platform 1.5.0 (stable) is older than the "
                                     "current version 2.0.0 in registry " +
                                     host + "/site",
                                 {host + "/site/sealift/releases:platform-2.0.0-stable", "--allow-downgrade REASON"}));
    CHECK(s.stable_digest() == d2);
    CHECK(s.tags() == before);
    // Checked before the first upload: not even 1.5.0's own web layer reached the registry.
    CHECK_FALSE(s.client().blob_exists("site/platform/web", Sha256::of(test::channel_web_layer("1.5.0"))));

    // 1.0.0 again: recorded already, behind current; pushing it would point web:stable back.
    auto again = s.import(v1);
    CHECK(again.already_imported);
    CHECK(again.tags_set == 0);
    CHECK(again.stats.blobs_uploaded == 0);
    CHECK(s.stable_digest() == d2);
    CHECK(s.tags() == before);
    // 2.0.0 again: it is current; the import runs (and would heal a deleted tag) and changes nothing.
    auto current = s.import(v2);
    CHECK_FALSE(current.already_imported);
    CHECK(current.tags_set == 0);
    CHECK(current.stats.blobs_uploaded == 0);
    CHECK(s.tags() == before);
}

TEST_CASE("registry channel: --allow-downgrade REASON imports an older version and records why") {
    ChannelSite s;
    trust::generate_key(trust::KeyType::ed25519, s.dir / "site");
    auto v1 = s.line.bundle("1.0.0"), v2 = s.line.bundle("2.0.0");
    s.import(v2);
    auto report = s.import(v1, "INC-4711: 2.0.0 breaks the payment flow");
    REQUIRE(report.downgrade);
    CHECK(report.downgrade->from_version == "2.0.0");
    CHECK(s.stable_digest() == s.image_digest(report));

    // The release record says it was a downgrade, from what, and why.
    std::string bytes;
    REQUIRE(s.client().get_manifest("site/sealift/releases", "platform-1.0.0-stable", bytes));
    auto record = Json::parse(bytes);
    CHECK(record["annotations"]["io.sealift.release.downgraded-from"] == "2.0.0");
    CHECK(record["annotations"]["io.sealift.release.downgrade-reason"] == "INC-4711: 2.0.0 breaks the payment flow");
    auto client = s.client();
    auto layer = test::read_back(client, "site/sealift/releases",
                                 Digest::parse(record["layers"][0]["digest"].get<std::string>()),
                                 record["layers"][0]["size"].get<std::uint64_t>());
    CHECK(Json::parse(layer)["downgrade"] ==
          Json({{"from", "2.0.0"}, {"reason", "INC-4711: 2.0.0 breaks the payment flow"}}));
    // And so does the signed receipt.
    auto receipt = mirror::site::read_receipt(s.dir / "receipt.json", trust::PublicKey::load_pem(s.dir / "site.pub"));
    CHECK(receipt.verdict == "imported");
    REQUIRE(receipt.downgrade);
    CHECK(receipt.downgrade->from_version == "2.0.0");
    CHECK(receipt.downgrade->reason == "INC-4711: 2.0.0 breaks the payment flow");

    // The registry's current version is still the newest recorded: another older one needs leave again.
    auto v15 = s.line.bundle("1.5.0");
    CHECK_THAT(test::error_of([&] { s.import(v15); }), Catch::Contains("is older than the current version 2.0.0"));
}

TEST_CASE("registry channel: another bundle of an imported version is refused, even with --allow-downgrade") {
    ChannelSite s;
    trust::generate_key(trust::KeyType::ed25519, s.dir / "site");
    auto v1 = s.line.bundle("1.0.0"), other = s.line.bundle("1.0.0", " (other content)");
    std::string d1 = s.image_digest(s.import(v1));
    auto before = s.tags();
    std::string first_manifest = verify::inspect_bundle(v1).manifest_digest.str();
    std::string other_manifest = verify::inspect_bundle(other).manifest_digest.str();
    for (std::optional<std::string> leave : {std::optional<std::string>(), std::optional<std::string>("testing")}) {
        INFO(leave.value_or("without --allow-downgrade"));
        CHECK_THROWS_MATCHES(
            s.import(other, leave), Error,
            IsError(Errc::policy,
                    other.string() +
                        ": release platform 1.0.0 (stable) was imported from a different bundle (manifest " +
                        first_manifest + ", this one " + other_manifest + "): one version is one bundle",
                    {s.registry.host() + "/site/sealift/releases:platform-1.0.0-stable", "nothing was tagged"}));
        CHECK(s.stable_digest() == d1);
        CHECK(s.tags() == before);
        CHECK_FALSE(s.client().blob_exists("site/platform/web",
                                           Sha256::of(test::channel_web_layer("1.0.0", " (other content)"))));
        // The refusal's receipt names the release it refused.
        auto receipt =
            mirror::site::read_receipt(s.dir / "receipt.json", trust::PublicKey::load_pem(s.dir / "site.pub"));
        CHECK(receipt.verdict == "rejected");
        REQUIRE(receipt.bundle.release);
        CHECK(receipt.bundle.release->manifest_digest.str() == other_manifest);
    }
}
