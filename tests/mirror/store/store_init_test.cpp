// A store is made on purpose: `sealift mirror init`, or an import with --create.
// Every other command refuses a folder that is not a store, naming it, and writes nothing there.
#include <catch2/catch.hpp>

#include "mirror/store/store.hpp"
#include "support/store_test_support.hpp"

using namespace sealift;
namespace fs = std::filesystem;

namespace {

std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

std::string not_a_store(const fs::path& p) {
    return p.string() + ": not a Sealift store (create one with `sealift mirror init --store " + p.string() + "`)";
}

}  // namespace

TEST_CASE("mirror init: creates a store in a missing or empty folder, leaves a store as it is, refuses anything else") {
    test::TempDir dir;
    std::string sealift = test::sealift_binary();
    auto made = test::run(sealift + " mirror init --store " + q(dir / "new"));
    INFO(made.err);
    REQUIRE(made.exit_code == 0);
    CHECK_THAT(made.out, Catch::StartsWith("created store " + (dir / "new").string() + " (site key "));
    CHECK(mirror::store::is_store_folder(dir / "new"));
    CHECK(fs::exists(dir / "new" / "site" / "site.key"));
    auto key = test::read_text(dir / "new" / "site" / "site.key");

    auto again = test::run(sealift + " mirror init --store " + q(dir / "new"));
    CHECK(again.exit_code == 0);
    CHECK_THAT(again.out, Catch::StartsWith("already a store: " + (dir / "new").string()));
    CHECK(test::read_text(dir / "new" / "site" / "site.key") == key);

    fs::create_directories(dir / "empty");  // as `install -d` makes it
    CHECK(test::run(sealift + " mirror init --store " + q(dir / "empty")).exit_code == 0);
    CHECK(mirror::store::is_store_folder(dir / "empty"));

    // What an init interrupted before its blobs folder leaves is taken up again.
    fs::create_directories(dir / "half" / "tmp");
    fs::create_directories(dir / "half" / "releases");
    CHECK(test::run(sealift + " mirror init --store " + q(dir / "half")).exit_code == 0);
    CHECK(mirror::store::is_store_folder(dir / "half"));

    test::write_text(dir / "home" / "notes.txt", "mine\n");
    auto busy = test::run(sealift + " mirror init --store " + q(dir / "home"));
    CHECK(busy.exit_code == 2);
    CHECK_THAT(busy.err, Catch::Contains((dir / "home").string() +
                                         ": holds files but is not a Sealift store; a store is created in a missing or "
                                         "empty folder only"));
    CHECK(fs::directory_iterator(dir / "home")->path().filename() == "notes.txt");
    test::write_text(dir / "a-file", "x\n");
    auto file = test::run(sealift + " mirror init --store " + q(dir / "a-file"));
    CHECK(file.exit_code == 2);
    CHECK_THAT(file.err, Catch::Contains((dir / "a-file").string() + ": not a folder"));
}

TEST_CASE("every store command refuses a folder that is not a store, naming it, and creates nothing") {
    test::StoreSite site;
    std::string sealift = test::sealift_binary();
    const auto empty = site.dir / "empty", typo = site.dir / "stroe";
    fs::create_directories(empty);
    const std::string trust = " --trust " + q(site.fx.trust_file);
    const std::string bundle = q(site.first_bundle);
    for (const auto& folder : {empty, typo}) {
        const std::string store = " --store " + q(folder);
        for (const std::string& command :
             {"mirror import " + bundle + trust + store, "mirror import " + bundle + trust + store + " --dry-run",
              "mirror serve --listen 127.0.0.1:0" + store, "mirror site-key" + store, "mirror gc --keep 1" + store,
              "mirror rollback platform --channel stable --to 1.0.0" + store, "mirror releases" + store,
              "mirror inventory -o " + q(site.dir / "inv") + store, "mirror preflight " + bundle + trust + store,
              "mirror config --runtime k3s --mirror http://m:5000 -o " + q(site.dir / "rc") + store}) {
            INFO(command);
            auto r = test::run(sealift + " " + command);
            CHECK(r.exit_code == 2);
            CHECK_THAT(r.err, Catch::Contains(not_a_store(folder)));
        }
    }
    CHECK(fs::is_empty(empty));
    CHECK_FALSE(fs::exists(typo));
    CHECK_FALSE(fs::exists(site.dir / "inv"));

    // In-process too: the import API refuses without `create`.
    mirror::StoreImportOptions o;
    o.bundle = site.first_bundle;
    o.store = typo;
    o.quiet = true;
    auto root = site.fx.root();
    CHECK(test::error_of([&] { mirror::import_to_store(o, &root); }) == not_a_store(typo));
    CHECK_FALSE(fs::exists(typo));

    // --create makes the store in a missing or empty folder, never in one holding other files.
    auto created = test::run(sealift + " mirror import -q " + bundle + trust + " --create --store " + q(empty));
    INFO(created.err);
    CHECK(created.exit_code == 0);
    CHECK(mirror::store::is_store_folder(empty));
    test::write_text(site.dir / "home" / "notes.txt", "mine\n");
    auto busy =
        test::run(sealift + " mirror import -q " + bundle + trust + " --create --store " + q(site.dir / "home"));
    CHECK(busy.exit_code == 2);
    CHECK_THAT(busy.err, Catch::Contains((site.dir / "home").string() + ": holds files but is not a Sealift store"));
    CHECK(test::run(sealift + " mirror import -q " + bundle + trust + " --create --to localhost:1").exit_code == 2);
}
