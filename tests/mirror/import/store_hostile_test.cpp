// The bundles that once crashed the store import or escaped it without a trace
// (no audit line, no receipt): each is refused, and the refusal is on record in
// an audit line and a signed rejection receipt that a JSON parser reads.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <sstream>

#include "core/json.hpp"
#include "mirror/site/site.hpp"
#include "support/hostile_bundles.hpp"
#include "support/store_test_support.hpp"

using namespace sealift;

namespace {

std::vector<std::filesystem::path> rejection_receipts(const std::filesystem::path& store) {
    std::vector<std::filesystem::path> out;
    if (!std::filesystem::exists(store / "receipts")) return out;
    for (const auto& e : std::filesystem::directory_iterator(store / "receipts"))
        if (e.path().string().find("-rejected") != std::string::npos) out.push_back(e.path());
    return out;
}

Json last_audit_line(const std::filesystem::path& store) {
    std::istringstream in(test::read_text(store / "audit.log"));
    std::string line, last;
    while (std::getline(in, line)) last = line;
    return Json::parse(last);  // throws if the line is not JSON (UTF-8 included)
}

}  // namespace

TEST_CASE("store hostile bundles: refused, with an audit line and a rejection receipt that parse") {
    test::StoreSite site;
    site.import(site.first_bundle);
    auto before = site.visible_state();
    auto site_pub = trust::PublicKey::load_pem(mirror::site::store_site_pub_path(site.store));
    std::size_t receipts = 0;
    for (const auto& h : test::hostile_bundles(site.bundle("1.1.0"), site.fx.release_key, site.dir.path())) {
        INFO(h.what);
        CHECK_THAT(site.refusal(h.bundle), Catch::Contains(h.names));
        CHECK(site.visible_state() == before);
        Json audit = last_audit_line(site.store);
        CHECK(audit["verdict"] == "rejected");
        CHECK(audit["bundle"] == h.bundle.string());
        auto found = rejection_receipts(site.store);
        REQUIRE(found.size() == ++receipts);
        for (const auto& f : found) {
            CHECK_NOTHROW(Json::parse(test::read_text(f)));
            CHECK(mirror::site::read_receipt(f, site_pub).verdict == "rejected");
        }
    }
}

TEST_CASE("store hostile bundles: an entry name that is not UTF-8 is on record with U+FFFD in its place") {
    test::StoreSite site;
    site.import(site.first_bundle);
    for (const auto& h : test::hostile_bundles(site.first_bundle, site.fx.release_key, site.dir.path())) {
        if (h.what != "an entry name that is not UTF-8") continue;
        CHECK_THAT(site.refusal(h.bundle), Catch::Contains(h.names));
        CHECK_THAT(last_audit_line(site.store)["reason"].get<std::string>(),
                   Catch::Contains("entry 'images/\xEF\xBF\xBD\xEF\xBF\xBD-not-utf8'"));
        auto found = rejection_receipts(site.store);
        REQUIRE(found.size() == 1);
        CHECK_THAT(test::read_text(found[0]), Catch::Contains("images/\xEF\xBF\xBD\xEF\xBF\xBD-not-utf8"));
    }
}

TEST_CASE("store hostile bundles: a FIFO as the bundle is refused at once and on record") {
    test::StoreSite site;
    auto fifo = site.dir / "pipe.bundle";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK_THAT(site.refusal(fifo), Catch::Contains(fifo.string() + ": is a FIFO (named pipe), not a regular file"));
    CHECK(last_audit_line(site.store)["verdict"] == "rejected");
    CHECK(rejection_receipts(site.store).size() == 1);
}
