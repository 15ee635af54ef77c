// The store under stress: an import killed with SIGKILL mid-stream, a reader
// taking snapshots while imports commit, and preflight against the store.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "core/json.hpp"
#include "mirror/site/site.hpp"
#include "support/store_test_support.hpp"

using namespace sealift;
namespace st = sealift::mirror::store;
namespace fs = std::filesystem;

namespace {

std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

std::size_t files_in(const fs::path& dir) {
    std::size_t n = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) ++n;
    return n;
}

}  // namespace

TEST_CASE(
    "store import killed with SIGKILL mid-stream: the release is cleanly absent, the store consistent, a re-run "
    "completes") {
    test::StoreSite site;
    site.import(site.first_bundle);
    auto before = site.visible_state();
    // A large incompressible layer, so the child is still streaming when it is killed.
    auto& fx = *site.others.emplace_back(std::make_unique<test::ReleaseFixture>("1.1.0"));
    std::string data(96u << 20, '\0');
    std::uint64_t x = 88172645463325252ull;
    for (auto& c : data) x ^= x << 13, x ^= x >> 7, x ^= x << 17, c = static_cast<char>(x);
    test::write_layout(fx.layout, {{fx.api_ref, {{"application/vnd.oci.image.layer.v1.tar", data}}},
                                   {fx.web_ref, {{"application/vnd.oci.image.layer.v1.tar", "web"}}}});
    auto bundle = fx.build({site.fx.release_key});

    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        std::string bin = test::sealift_binary();
        ::execl(bin.c_str(), bin.c_str(), "mirror", "import", bundle.c_str(), "--store", site.store.c_str(), "--quiet",
                nullptr);
        ::_exit(127);
    }
    // Kill it once it staged some bytes.
    auto staged_bytes = [&] {
        std::uint64_t n = 0;
        std::error_code ec;
        for (const auto& e : fs::recursive_directory_iterator(site.store / "tmp", ec))
            if (e.is_regular_file(ec)) n += e.file_size(ec);
        return n;
    };
    for (int i = 0; i < 3000 && staged_bytes() < (8u << 20); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    CHECK(staged_bytes() >= (8u << 20));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    REQUIRE(WIFSIGNALED(status));

    CHECK(site.visible_state() == before);
    CHECK(site.snapshot()->tags("registry.example.com/platform/api") == std::vector<std::string>{"1.0.0"});
    CHECK_FALSE(fs::is_empty(site.store / "tmp"));  // the killed writer's staging, ignored by readers

    auto again =
        test::run(test::sealift_binary() + " mirror import " + q(bundle) + " --store " + q(site.store) + " --json");
    INFO(again.err);
    REQUIRE(again.exit_code == 0);
    CHECK(Json::parse(again.out)["release"] == "platform 1.1.0 (stable)");
    CHECK(fs::is_empty(site.store / "tmp"));  // the leftover was cleaned
    auto snap = site.snapshot();
    auto api = snap->resolve("registry.example.com/platform/api", "1.1.0");
    REQUIRE(api);
    auto manifest = Json::parse(test::read_text(snap->blob_path(api->digest)));
    auto layer = Digest::parse(manifest["layers"][0]["digest"].get<std::string>());
    CHECK(fs::file_size(snap->blob_path(layer)) == data.size());
}

TEST_CASE("a reader's snapshot shows the old state or the new one, never a release half there") {
    test::StoreSite site;
    site.import(site.first_bundle);
    auto store = st::Store::open(site.store);
    std::atomic<bool> done{false};
    std::atomic<int> snapshots{0}, torn{0};
    std::thread reader([&] {
        while (!done) {
            auto snap = store->snapshot(std::chrono::milliseconds(0));
            ++snapshots;
            // A release's tags come together: api, web and chart of one version, or none of them.
            for (const std::string v : {"1.1.0", "1.2.0"}) {
                int present = bool(snap->resolve("registry.example.com/platform/api", v)) +
                              bool(snap->resolve("registry.example.com/platform/web", v)) +
                              bool(snap->resolve("charts/platform-core", v));
                if (present != 0 && present != 3) ++torn;
                if (auto d = snap->resolve("registry.example.com/platform/api", v);
                    d && !fs::exists(snap->blob_path(d->digest)))
                    ++torn;
            }
        }
    });
    site.import(site.bundle("1.1.0"));
    site.import(site.bundle("1.2.0"));
    done = true;
    reader.join();
    CHECK(snapshots > 0);
    CHECK(torn == 0);
    auto last = store->refresh();
    CHECK(last->tags("charts/platform-core") == std::vector<std::string>{"1.0.0", "1.1.0", "1.2.0"});
    CHECK(last->generation() == 3);
}

TEST_CASE("store preflight: ready after import; a deleted blob file is named; the CLI exits 1") {
    test::StoreSite site;
    auto root = site.fx.root();
    site.import(site.first_bundle);
    auto rows = mirror::preflight_store(site.first_bundle, site.store, &root);
    for (const auto& r : rows) CHECK(r.state == "present");
    CHECK(rows.size() == 4);

    auto snap = site.snapshot();
    auto api = snap->resolve("registry.example.com/platform/api", "1.0.0");
    auto manifest = Json::parse(test::read_text(snap->blob_path(api->digest)));
    auto layer = Digest::parse(manifest["layers"][1]["digest"].get<std::string>());
    fs::remove(snap->blob_path(layer));
    auto config = Digest::parse(manifest["config"]["digest"].get<std::string>());
    test::write_text(snap->blob_path(config), "{}");  // changed on disk behind the store's back

    rows = mirror::preflight_store(site.first_bundle, site.store, &root);
    std::map<std::string, const mirror::PreflightRow*> by_name;
    for (const auto& r : rows) by_name[r.name] = &r;
    auto* missing = by_name["registry.example.com/platform/api@" + layer.str()];
    REQUIRE(missing);
    CHECK(missing->state == "missing");
    CHECK_THAT(missing->detail, Catch::Contains(snap->blob_path(layer).string()));
    auto* changed = by_name["registry.example.com/platform/api@" + config.str()];
    REQUIRE(changed);
    CHECK(changed->state == "different");

    auto cli =
        test::run(test::sealift_binary() + " mirror preflight " + q(site.first_bundle) + " --store " + q(site.store));
    CHECK(cli.exit_code == 1);
    CHECK_THAT(cli.out, Catch::Contains(layer.str()) && Catch::Contains("NOT READY"));
}

TEST_CASE("store CLI: releases listing, rollback, gc and their errors") {
    test::StoreSite site;
    std::string sealift = test::sealift_binary();
    auto imp = test::run(sealift + " mirror import " + q(site.first_bundle) + " --trust " + q(site.fx.trust_file) +
                         " --create --store " + q(site.store));
    INFO(imp.err);
    REQUIRE(imp.exit_code == 0);
    CHECK_THAT(imp.out, Catch::Contains("imported platform 1.0.0 (stable) into store") &&
                            Catch::Contains("registry.example.com/platform/api:1.0.0"));
    auto b11 = site.bundle("1.1.0");
    REQUIRE(test::run(sealift + " mirror import " + q(b11) + " --store " + q(site.store) + " -q").exit_code == 0);

    auto list = test::run(sealift + " mirror releases --store " + q(site.store) + " --json");
    REQUIRE(list.exit_code == 0);
    auto j = Json::parse(list.out)["releases"];
    REQUIRE(j.size() == 2);
    CHECK(j[0]["version"] == "1.0.0");
    CHECK(j[0]["state"] == "available");
    CHECK(j[1]["state"] == "current");

    auto down = test::run(sealift + " mirror import " + q(site.first_bundle) + " --store " + q(site.store));
    CHECK(down.exit_code == 0);  // the same bundle again, though behind current: already imported, nothing changes
    CHECK_THAT(down.out, Catch::Contains("already imported platform 1.0.0"));
    auto older = test::run(sealift + " mirror import " + q(site.bundle("0.9.0")) + " --store " + q(site.store));
    CHECK(older.exit_code == 1);
    CHECK_THAT(older.err, Catch::Contains("is older than the current version 1.1.0") &&
                              Catch::Contains("sealift mirror rollback platform"));

    auto rb = test::run(sealift + " mirror rollback platform --channel stable --to 1.0.0 --store " + q(site.store));
    CHECK(rb.exit_code == 0);
    CHECK_THAT(test::run(sealift + " mirror releases --store " + q(site.store)).out,
               Catch::Contains("1.0.0            current"));
    auto bad = test::run(sealift + " mirror rollback platform --channel stable --to 7.0.0 --store " + q(site.store));
    CHECK(bad.exit_code == 1);
    CHECK_THAT(bad.err, Catch::Contains("release platform 7.0.0 (stable) is not imported"));

    auto gc = test::run(sealift + " mirror gc --keep 1 --store " + q(site.store) + " --json");
    INFO(gc.err);
    REQUIRE(gc.exit_code == 0);
    CHECK(Json::parse(gc.out)["releasesDropped"].size() == 0);  // 1.1.0 newest, 1.0.0 current
    CHECK(test::run(sealift + " mirror gc --store " + q(site.store)).exit_code == 2);
    auto nostore = test::run(sealift + " mirror releases --store " + q(site.dir / "nowhere"));
    CHECK(nostore.exit_code == 2);
    CHECK_THAT(nostore.err, Catch::Contains("nowhere: not a Sealift store"));
    CHECK(files_in(site.store / "releases") == 2);
}

TEST_CASE("store import after a crash before its receipt: temporary receipt files go, the missing receipt is written") {
    test::StoreSite site;
    auto first = site.import(site.first_bundle);
    // What a crash between the commit and the receipt's rename leaves: no "imported" receipt,
    // and the receipt's temporary file, old by now.
    fs::remove(first.receipt);
    auto stale = fs::path(first.receipt.string() + ".tmp-123456");
    test::write_text(stale, "half a receipt");
    fs::last_write_time(stale, fs::file_time_type::clock::now() - std::chrono::minutes(5));
    auto fresh = site.store / "receipts" / "20990101T000000Z-x-imported.receipt.json.tmp-42";  // a writer at work
    test::write_text(fresh, "being written");

    auto again = site.import(site.first_bundle);
    CHECK(again.already_imported);
    CHECK_FALSE(fs::exists(stale));
    CHECK(fs::exists(fresh));
    CHECK_THAT(again.receipt.filename().string(), Catch::EndsWith("-platform-1.0.0-imported.receipt.json"));
    CHECK(mirror::site::read_receipt(again.receipt,
                                     trust::PublicKey::load_pem(mirror::site::store_site_pub_path(site.store)))
              .verdict == "imported");
    // With its receipt there, a third delivery is "already-imported" as before.
    auto third = site.import(site.first_bundle);
    CHECK_THAT(third.receipt.filename().string(), Catch::EndsWith("-platform-1.0.0-already-imported.receipt.json"));
}
