// sealift mirror import / preflight as an admin runs them, against a real
// docker-registry: exit codes, --json, and an import killed with SIGKILL.
#include <catch2/catch.hpp>

#include <algorithm>
#include <thread>

#include "core/json.hpp"
#include "support/channel_releases.hpp"
#include "support/registry_server.hpp"
#include "support/release_fixture.hpp"

using namespace sealift;
using test::RegistryServer;

namespace {

std::string q(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

struct Admin {
    RegistryServer registry;
    test::ReleaseFixture fx;
    std::filesystem::path bundle;
    std::string sealift = test::sealift_binary();

    explicit Admin(RegistryServer::Auth auth, std::size_t big_layer = 0) : registry(auth) {
        if (big_layer) {  // one large incompressible layer, so an import takes a moment
            std::string data(big_layer, '\0');
            std::uint64_t x = 88172645463325252ull;
            for (auto& c : data) x ^= x << 13, x ^= x >> 7, x ^= x << 17, c = static_cast<char>(x);
            test::write_layout(fx.layout, {{fx.api_ref, {{"application/vnd.oci.image.layer.v1.tar+gzip", data}}},
                                           {fx.web_ref, {{"application/vnd.oci.image.layer.v1.tar", "web"}}}});
            // The fixture's SBOM names the api image by name and tag, so it still describes it.
        }
        bundle = fx.build();
    }
    std::string auth_flags() const { return " --plain-http --username " + registry.username() + " --password-stdin"; }
    test::CommandResult mirror(const std::string& sub, const std::string& extra = "") const {
        std::string target = sub == "import" ? " --no-receipt --to " : " --registry ";
        return test::run("echo '" + registry.password() + "' | " + sealift + " mirror " + sub + " " + q(bundle) +
                         " --trust " + q(fx.trust_file) + target + registry.host() + "/site" + auth_flags() + " " +
                         extra);
    }
};

}  // namespace

TEST_CASE("mirror import: --json report; preflight exit 0 when ready, 1 naming what is missing") {
    Admin a(RegistryServer::Auth::basic);
    auto pre = a.mirror("preflight");
    CHECK(pre.exit_code == 1);
    CHECK_THAT(pre.out, Catch::Contains("missing") && Catch::Contains("/site/platform/api:1.0.0") &&
                            Catch::Contains("NOT READY"));

    auto r = a.mirror("import", "--json");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto report = Json::parse(r.out);
    CHECK(report["release"] == "platform 1.0.0 (stable)");
    CHECK(report["blobsUploaded"].get<int>() >= 4);
    CHECK(report["artifacts"].size() == 4);  // 2 images, 1 chart, 1 SBOM

    auto ready = a.mirror("preflight", "--json");
    CHECK(ready.exit_code == 0);
    CHECK(Json::parse(ready.out)["ready"] == true);

    auto again = Json::parse(a.mirror("import", "--json").out);
    CHECK(again["blobsUploaded"] == 0);
    CHECK(again["bytesUploaded"] == 0);
    CHECK(again["tagsSet"] == 0);
}

TEST_CASE("mirror import: clear errors and exit codes") {
    Admin a(RegistryServer::Auth::basic);
    auto wrong = test::run("echo wrong | " + a.sealift + " mirror import " + q(a.bundle) + " --trust " +
                           q(a.fx.trust_file) + " --no-receipt --to " + a.registry.host() +
                           " --plain-http --username " + a.registry.username() + " --password-stdin");
    CHECK(wrong.exit_code == 1);
    CHECK_THAT(wrong.err, Catch::Contains("401"));
    auto closed =
        test::run(a.sealift + " mirror import " + q(a.bundle) + " --trust " + q(a.fx.trust_file) +
                  " --no-receipt --to 127.0.0.1:" + std::to_string(test::free_loopback_port()) + " --plain-http");
    CHECK(closed.exit_code == 1);
    CHECK_THAT(closed.err, Catch::Contains("127.0.0.1"));
    CHECK(test::run(a.sealift + " mirror import " + q(a.bundle) + " --trust " + q(a.fx.trust_file)).exit_code ==
          2);                                                                             // no --to
    CHECK(test::run(a.sealift + " mirror import --to h " + q(a.bundle)).exit_code == 2);  // no --trust
    // A store writes its receipts itself: a registry's receipt options are refused, not ignored.
    test::TempDir store;
    auto store_receipt = test::run(a.sealift + " mirror import " + q(a.bundle) + " --trust " + q(a.fx.trust_file) +
                                   " --store " + q(store / "s") + " --receipt " + q(store / "r.json"));
    CHECK(store_receipt.exit_code == 2);
    CHECK_THAT(store_receipt.err, Catch::Contains("--receipt and --no-receipt are for --to"));
    CHECK_FALSE(std::filesystem::exists(store / "s"));
}

TEST_CASE("an import killed with SIGKILL tags nothing, and the next run completes") {
    auto auth = GENERATE(RegistryServer::Auth::none, RegistryServer::Auth::basic, RegistryServer::Auth::token);
    Admin a(auth, 160u << 20);
    auto uploads = a.registry.storage();
    // Kill the import as soon as the registry holds part of an upload.
    std::string script = "echo '" + a.registry.password() + "' | " + a.sealift + " mirror import -q " + q(a.bundle) +
                         " --trust " + q(a.fx.trust_file) + " --no-receipt --to " + a.registry.host() + "/site" +
                         a.auth_flags() + " & pid=$!; " + "for i in $(seq 1 4000); do if find " + q(uploads) +
                         " -path '*_uploads*' -name data -size +1k 2>/dev/null | grep -q .; then kill -9 $pid; break; "
                         "fi; sleep 0.005; done; "
                         "wait $pid; echo exit=$?";
    auto killed = test::run(script);
    INFO(killed.out << killed.err);
    REQUIRE_THAT(killed.out, Catch::Contains("exit=137"));
    auto tags = a.mirror("preflight", "--no-read-blobs --json");
    auto items = Json::parse(tags.out)["items"];
    for (const auto& item : items)
        if (item["kind"] == "image" || item["kind"] == "chart") CHECK(item["state"] == "missing");

    auto resumed = a.mirror("import", "--json");
    INFO(resumed.err);
    REQUIRE(resumed.exit_code == 0);
    CHECK(a.mirror("preflight").exit_code == 0);
}

TEST_CASE("mirror import --to: a downgrade is refused in one line naming the bundle, allowed with a reason") {
    RegistryServer registry(RegistryServer::Auth::none);
    test::ChannelReleases line;
    auto v1 = line.bundle("1.0.0"), v2 = line.bundle("2.0.0");
    std::string sealift = test::sealift_binary();
    auto import = [&](const std::filesystem::path& bundle, const std::string& extra) {
        return test::run(sealift + " mirror import " + q(bundle) + " --trust " + q(line.fx.trust_file) +
                         " --no-receipt --to " + registry.host() + "/site --plain-http -q " + extra);
    };
    REQUIRE(import(v2, "").exit_code == 0);
    auto refused = import(v1, "");
    CHECK(refused.exit_code == 1);
    CHECK(std::count(refused.err.begin(), refused.err.end(), '\n') == 1);
    CHECK_THAT(refused.err, Catch::Contains(v1.string() +
                                            ": release platform 1.0.0 (stable) is older than the current "
                                            "version 2.0.0 in registry " +
                                            registry.host() + "/site") &&
                                Catch::Contains("--allow-downgrade REASON"));
    auto dry = import(v1, "--dry-run");
    CHECK(dry.exit_code == 1);
    CHECK_THAT(dry.err, Catch::Contains("the import would fail: " + v1.string()));

    CHECK(import(v1, "--allow-downgrade ' '").exit_code == 2);  // a reason says something
    test::TempDir dir;
    auto into_store = test::run(sealift + " mirror import " + q(v1) + " --trust " + q(line.fx.trust_file) +
                                " --store " + q(dir / "s") + " --allow-downgrade why");
    CHECK(into_store.exit_code == 2);
    CHECK_THAT(into_store.err, Catch::Contains("--allow-downgrade is for --to"));

    auto allowed = import(v1, "--json --allow-downgrade 'INC-4711 rollback'");
    INFO(allowed.err);
    REQUIRE(allowed.exit_code == 0);
    auto report = Json::parse(allowed.out);
    CHECK(report["downgrade"] == Json({{"from", "2.0.0"}, {"reason", "INC-4711 rollback"}}));
    CHECK(report["alreadyImported"] == false);
}
