// The two SiteContent implementations preflight is written against answer alike
// for the same release: one bundle imported into a real docker-registry (started
// by the test) and into a real store, then asked the same questions.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <variant>

#include "core/error.hpp"
#include "manifests/oci.hpp"
#include "mirror/import/import.hpp"
#include "mirror/import/site_content.hpp"
#include "registry/registry_client.hpp"
#include "support/registry_test_support.hpp"
#include "support/store_test_support.hpp"

using namespace sealift;
using test::RegistryServer;

namespace {

// One release in both sites, with each artifact's repository in either.
struct BothSites {
    RegistryServer registry{RegistryServer::Auth::basic};
    test::StoreSite store;
    registry::RegistryClient client{test::options_for(registry)};
    std::unique_ptr<mirror::SiteContent> at_registry, at_store;

    struct Placed {
        std::string kind, source, registry_repo, store_repo, reference;
        Digest digest;
    };
    std::vector<Placed> artifacts;

    BothSites() {
        mirror::RegistryImportOptions o;
        o.bundle = store.first_bundle;
        o.target = registry::Target::parse(registry.host() + "/site");
        o.registry = test::options_for(registry);
        o.quiet = true;
        auto pushed = mirror::import_to_registry(o, store.fx.root());
        auto stored = store.import(store.first_bundle);
        at_registry = mirror::registry_content(client);
        at_store = mirror::store_content(store.snapshot());

        std::map<std::pair<std::string, std::string>, std::string>
            targets;  // (kind, source) -> HOST/REPO:TAG or HOST/REPO@DIGEST
        for (const auto& a : pushed.artifacts) targets[{a.kind, a.source}] = a.target;
        for (const auto& a : stored.artifacts) {
            auto target = targets.find({a.kind, a.source});
            REQUIRE(target != targets.end());
            std::string repo = target->second.substr(registry.host().size() + 1);
            repo = repo.substr(0, repo.find_first_of(a.kind == "sbom" ? "@" : ":"));
            artifacts.push_back({a.kind, a.source, repo, a.repository, a.reference, a.digest});
        }
        REQUIRE(artifacts.size() == 4);  // 2 images, 1 chart, 1 SBOM
    }

    // The bytes of a blob as either site streams them.
    static std::string read(mirror::SiteContent& site, const std::string& repo, const manifests::Descriptor& d) {
        std::string bytes;
        site.read_blob(repo, d.digest, d.size, [&](const char* data, std::size_t n) { bytes.append(data, n); });
        return bytes;
    }

    // A manifest or index and everything it names: the same bytes at both sites.
    void compare_tree(const Placed& a, const Digest& digest, int depth = 0) {
        INFO(a.kind << " " << a.source << " manifest " << digest.str());
        REQUIRE(depth < 4);
        CHECK(at_registry->has_manifest(a.registry_repo, digest));
        CHECK(at_store->has_manifest(a.store_repo, digest));
        std::string bytes = at_registry->read_manifest(a.registry_repo, digest);
        REQUIRE(bytes == at_store->read_manifest(a.store_repo, digest));
        auto parsed = manifests::parse_manifest_or_index(bytes, "", digest.str());
        if (const auto* index = std::get_if<manifests::ImageIndex>(&parsed)) {
            for (const auto& child : index->manifests) compare_tree(a, child.digest, depth + 1);
            return;
        }
        const auto& m = std::get<manifests::ImageManifest>(parsed);
        std::vector<manifests::Descriptor> blobs = m.layers;
        blobs.push_back(m.config);
        for (const auto& b : blobs) {
            INFO("blob " << b.digest.str());
            CHECK(at_registry->has_blob(a.registry_repo, b.digest));
            CHECK(at_store->has_blob(a.store_repo, b.digest));
            std::string from_registry = read(*at_registry, a.registry_repo, b);
            CHECK(Sha256::of(from_registry) == b.digest);
            CHECK(from_registry == read(*at_store, a.store_repo, b));
        }
    }
};

}  // namespace

TEST_CASE("site content: a registry and the store answer alike for the same imported release") {
    BothSites s;
    CHECK(s.at_registry->display_name("site/platform/api") == s.registry.host() + "/site/platform/api");
    CHECK(s.at_store->display_name("registry.example.com/platform/api") == "registry.example.com/platform/api");

    bool sbom_listed = false;
    for (const auto& a : s.artifacts) {
        INFO(a.kind << " " << a.source);
        if (a.kind != "sbom") {
            auto tagged = s.at_registry->resolve_tag(a.registry_repo, a.reference);
            CHECK(tagged == a.digest);
            CHECK(tagged == s.at_store->resolve_tag(a.store_repo, a.reference));
        }
        s.compare_tree(a, a.digest);
        auto listed = s.at_registry->referrers(a.registry_repo, a.digest);
        CHECK(listed == s.at_store->referrers(a.store_repo, a.digest));
        for (const auto& b : s.artifacts)
            if (b.kind == "sbom" && b.store_repo == a.store_repo)
                sbom_listed = sbom_listed || std::find(listed.begin(), listed.end(), b.digest) != listed.end();
    }
    CHECK(sbom_listed);  // the SBOM is a referrer of its image at both sites

    SECTION("and alike about what they lack") {
        const auto& img = s.artifacts.front();
        Digest absent = Sha256::of("not in the release");
        for (auto* site : {s.at_registry.get(), s.at_store.get()}) {
            const std::string& repo = site == s.at_registry.get() ? img.registry_repo : img.store_repo;
            INFO(site->display_name(repo));
            CHECK_FALSE(site->resolve_tag(repo, "no-such-tag"));
            CHECK_FALSE(site->resolve_tag(repo + "-nowhere", img.reference));
            CHECK_FALSE(site->has_manifest(repo, absent));
            CHECK_FALSE(site->has_blob(repo, absent));
            CHECK_FALSE(site->has_blob(repo + "-nowhere", absent));
            CHECK(site->referrers(repo, absent).empty());
            CHECK_THROWS_AS(site->read_blob(repo, absent, 18, {}), Error);
            CHECK_THROWS_AS(site->read_manifest(repo, absent), Error);
        }
    }
}

TEST_CASE(
    "site content: a blob whose bytes changed fails to read back at both sites, each saying what that means there") {
    BothSites s;
    const auto& img = s.artifacts.front();
    std::string bytes = s.at_store->read_manifest(img.store_repo, img.digest);
    auto parsed = manifests::parse_manifest_or_index(bytes, "", img.digest.str());
    if (const auto* index = std::get_if<manifests::ImageIndex>(&parsed))
        parsed = manifests::parse_manifest_or_index(
            s.at_store->read_manifest(img.store_repo, index->manifests.front().digest), "", "child");
    const auto layer = std::get<manifests::ImageManifest>(parsed).layers.front();

    s.registry.damage_blob(layer.digest.str());
    auto file = s.store.snapshot()->blob_path(layer.digest);
    std::string content = test::read_text(file);
    content[content.size() / 2] ^= 1;
    std::filesystem::remove(file);
    test::write_text(file, content);

    std::map<const mirror::SiteContent*, std::string> states;
    for (auto* site : {s.at_registry.get(), s.at_store.get()}) {
        const std::string& repo = site == s.at_registry.get() ? img.registry_repo : img.store_repo;
        INFO(site->display_name(repo));
        CHECK(site->has_blob(repo, layer.digest));
        try {
            site->read_blob(repo, layer.digest, layer.size, {});
            FAIL("a damaged blob read back");
        } catch (const Error& e) {
            CHECK(e.code() == Errc::integrity);
            states[site] = site->failed_read_state(e);
        }
    }
    CHECK(states[s.at_registry.get()] == "unreadable");  // whatever broke, the registry's answer was not the blob
    CHECK(states[s.at_store.get()] == "different");      // the store's own file holds other bytes
}
