// The admin API: its own listener, a bearer token, JSON in and out.
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "daemon_test_support.hpp"

using namespace sealift;
namespace fs = std::filesystem;

namespace {

// Waits for the admin job `id` to finish; returns its status entry.
Json finished_job(test::DaemonSite& site, std::uint64_t id) {
    Json found;
    bool done = test::eventually([&] {
        Json status = site.admin("GET", "/admin/status").json();
        for (const auto& job : status["imports"])
            if (job["id"] == id && job["state"] != "queued" && job["state"] != "running") found = job;
        return !found.is_null();
    });
    INFO(site.admin("GET", "/admin/status").body);
    REQUIRE(done);
    return found;
}

}  // namespace

TEST_CASE("admin API: no token is 401, a wrong token 403, the right token works") {
    test::DaemonSite site;
    site.start();
    for (const char* path : {"/admin/status", "/admin/releases", "/admin/nothing"}) {
        auto missing = site.admin("GET", path, "", "");
        CHECK(missing.status == 401);
        CHECK(missing.header("www-authenticate") == "Bearer realm=\"sealift-admin\"");
        CHECK(missing.json()["error"]["code"] == "UNAUTHORIZED");
        auto wrong = site.admin("GET", path, "", "s3cret-admin-token-0123456780");
        CHECK(wrong.status == 403);
        CHECK(wrong.json()["error"]["message"] == "wrong admin token");
        CHECK(site.admin("GET", path, "", test::admin_token + "x").status == 403);
    }
    CHECK(
        test::curl(site.admin_url() + "/admin/status", "-H 'Authorization: Basic " + test::admin_token + "'").status ==
        401);
    auto rollback =
        site.admin("POST", "/admin/rollback", R"({"name":"platform","channel":"stable","version":"1.0.0"})", "");
    CHECK(rollback.status == 401);

    auto status = site.admin("GET", "/admin/status");
    REQUIRE(status.status == 200);
    CHECK(status.json()["store"] == site.store.string());
    CHECK(status.json()["listeners"]["registry"] == site.daemon->address());
    CHECK(status.json()["imports"].empty());
    CHECK(site.admin("GET", "/admin/nothing").status == 404);

    // The admin routes are not on the registry's port, and the registry's are not on the admin port.
    CHECK(test::curl(site.registry_url() + "/admin/status", "-H 'Authorization: Bearer " + test::admin_token + "'")
              .status == 404);
    CHECK(site.admin("GET", "/v2/").status == 404);
}

TEST_CASE("admin API: import from the import folder, list releases, roll back") {
    test::DaemonSite site;
    site.start();
    fs::copy_file(site.first_bundle, site.imports / "platform-1.0.0.bundle");
    fs::copy_file(site.bundle("1.1.0"), site.imports / "platform-1.1.0.bundle");

    auto first = site.admin("POST", "/admin/import", R"({"path":"platform-1.0.0.bundle"})");
    REQUIRE(first.status == 202);
    CHECK(first.json()["state"] == "queued");
    auto job = finished_job(site, first.json()["id"]);
    CHECK(job["state"] == "imported");
    CHECK(job["release"] == "platform 1.0.0 (stable)");
    CHECK(fs::exists(site.imports / "platform-1.0.0.bundle"));  // the admin's own folder is left as it is

    auto absolute = (site.imports / "platform-1.1.0.bundle").string();
    auto second = site.admin("POST", "/admin/import", R"({"path":")" + absolute + R"("})");
    REQUIRE(second.status == 202);
    CHECK(finished_job(site, second.json()["id"])["state"] == "imported");

    auto releases = site.admin("GET", "/admin/releases").json()["releases"];
    REQUIRE(releases.size() == 2);
    CHECK(releases[0]["version"] == "1.0.0");
    CHECK(releases[0]["current"] == false);
    CHECK(releases[1]["version"] == "1.1.0");
    CHECK(releases[1]["current"] == true);
    CHECK(releases[1]["manifest_digest"].get<std::string>().rfind("sha256:", 0) == 0);

    auto rolled = site.admin("POST", "/admin/rollback", R"({"name":"platform","channel":"stable","version":"1.0.0"})");
    CHECK(rolled.status == 200);
    CHECK(rolled.json()["rolled_back"]["version"] == "1.0.0");
    releases = site.admin("GET", "/admin/releases").json()["releases"];
    CHECK(releases[0]["current"] == true);
    CHECK(releases[1]["current"] == false);

    auto unknown = site.admin("POST", "/admin/rollback", R"({"name":"platform","channel":"stable","version":"0.1.0"})");
    CHECK(unknown.status == 409);
    CHECK_THAT(unknown.json()["error"]["message"].get<std::string>(), Catch::Contains("0.1.0"));

    // A refused import is a finished job with the reason.
    test::write_text(site.imports / "junk.bundle", "not a bundle at all");
    auto junk = site.admin("POST", "/admin/import", R"({"path":"junk.bundle"})");
    auto refused = finished_job(site, junk.json()["id"]);
    CHECK(refused["state"] == "rejected");
    CHECK_FALSE(refused["reason"].get<std::string>().empty());
    CHECK(site.admin("GET", "/admin/releases").json()["releases"].size() == 2);
}

TEST_CASE("admin API: bad requests are JSON errors naming the culprit; no path outside the folders") {
    test::DaemonSite site;
    site.start();
    test::write_text(site.dir / "outside.bundle", "x");
    fs::create_symlink(site.dir / "outside.bundle", site.imports / "link.bundle");

    auto outside =
        site.admin("POST", "/admin/import", R"({"path":")" + (site.dir / "outside.bundle").string() + R"("})");
    CHECK(outside.status == 400);
    CHECK(outside.json()["error"]["message"] == "import path '" + (site.dir / "outside.bundle").string() +
                                                    "': not a bundle inside the drop folder or the import folder");
    auto dotdot = site.admin("POST", "/admin/import", R"({"path":"../outside.bundle"})");
    CHECK(dotdot.status == 400);
    CHECK(dotdot.json()["error"]["message"] ==
          "import path '../outside.bundle': not a bundle inside the drop folder or the import folder");
    auto link = site.admin("POST", "/admin/import", R"({"path":"link.bundle"})");
    CHECK(link.status == 400);
    CHECK(link.json()["error"]["message"] ==
          "import path 'link.bundle': not a regular file (symbolic links and folders are refused)");
    auto missing_field = site.admin("POST", "/admin/import", R"({"file":"x"})");
    CHECK(missing_field.status == 400);
    CHECK_THAT(missing_field.json()["error"]["message"].get<std::string>(), Catch::Contains("'path'"));
    auto not_json = site.admin("POST", "/admin/import", "{nope");
    CHECK(not_json.status == 400);
    CHECK_THAT(not_json.json()["error"]["message"].get<std::string>(), Catch::Contains("request body"));
    auto no_version = site.admin("POST", "/admin/rollback", R"({"name":"platform","channel":"stable"})");
    CHECK(no_version.status == 400);
    CHECK_THAT(no_version.json()["error"]["message"].get<std::string>(), Catch::Contains("'version'"));
    CHECK(site.admin("GET", "/admin/import").status == 405);
    // The admin listener reads small bodies only (64 KiB); the pull listener none.
    auto big = site.admin("POST", "/admin/import", R"({"path":")" + std::string(70000, 'a') + R"("})");
    CHECK(big.status == 413);
    CHECK_THAT(big.body, Catch::Contains("limit of 65536 bytes"));
    auto pull_body = test::curl(site.registry_url() + "/healthz", "-X POST --data-raw '{}'");
    CHECK(pull_body.status == 405);
    CHECK(pull_body.header("connection") == "close");
}

TEST_CASE("admin API: refused at start without a usable token file") {
    test::DaemonSite site;
    test::write_text(site.token_file, "short\n");
    try {
        site.start();
        FAIL("a daemon started with a 5-character admin token");
    } catch (const Error& e) {
        CHECK(std::string(e.what()) == "admin token file " + site.token_file.string() +
                                           ": the token (first line) must have at least 16 characters");
    }
}
