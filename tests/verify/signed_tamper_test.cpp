// Bundles a release key holder (or a faulty writer) could sign: well-formed
// enough to pass every other check, and refused for the one thing wrong with
// them, because an importer would refuse it later or import something wrong.
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "support/release_fixture.hpp"
#include "support/signed_edit.hpp"
#include "verify/verify.hpp"

using namespace sealift;

namespace {

struct Crafted {
    test::ReleaseFixture fx;
    test::SignedEdit edit{fx.build()};

    // The refusal of the edited bundle, re-signed with the release key, or "VERIFIED".
    std::string refusal() {
        auto crafted = fx.dir / "crafted.bundle";
        edit.save(crafted, fx.release_key);
        return test::error_of([&] { verify::verify_bundle(crafted, fx.root(), {}); }, "VERIFIED");
    }
    Json& image(const std::string& ref) {
        for (auto& img : edit.manifest["sealift"]["images"])
            if (img["ref"] == ref) return img;
        throw std::runtime_error("no image " + ref);
    }
    // Renames an image in the signed manifest and in images/index.json.
    void rename_image(const std::string& ref, const std::string& to) {
        image(ref)["ref"] = to;
        Json index = Json::parse(edit.data("images/index.json"));
        for (auto& d : index["manifests"])
            if (d["annotations"]["org.opencontainers.image.ref.name"] == ref)
                d["annotations"]["org.opencontainers.image.ref.name"] = to;
        edit.set("images/index.json", index.dump(2) + "\n");
    }
};

}  // namespace

TEST_CASE("crafted bundles: the edit alone, re-signed, still verifies") {
    Crafted c;
    CHECK(c.refusal() == "VERIFIED");
}

TEST_CASE("crafted bundles: a field of the signed manifest of the wrong type or missing is refused, naming its path") {
    Crafted c;
    Json images = c.edit.manifest["sealift"]["images"];
    Json as_object = Json::object();
    for (const auto& img : images) as_object[img["ref"].get<std::string>()] = img;
    c.edit.manifest["sealift"]["images"] = as_object;
    CHECK_THAT(c.refusal(),
               Catch::Contains("sealift/manifest.json: signed.sealift.images: must be an array, not object"));

    c.edit.manifest["sealift"]["images"] = images;
    c.edit.manifest["sealift"]["charts"][0]["appVersion"] = 1;
    CHECK_THAT(c.refusal(), Catch::Contains("signed.sealift.charts[0].appVersion: must be a string, not number"));

    c.edit.manifest["sealift"]["charts"][0]["appVersion"] = "1.0.0";
    c.edit.manifest["sealift"]["sboms"][0].erase("format");
    CHECK_THAT(c.refusal(), Catch::Contains("signed.sealift.sboms[0].format: missing required field"));
}

TEST_CASE("crafted bundles: an image reference an importer cannot place is refused") {
    const std::string web = "registry.example.com/platform/web:1.0.0";
    struct Case {
        std::string ref, reason;
    } cases[] = {
        {"registry.example.com/../../x:1", "path component '..' is not valid"},
        {"registry.example.com/Platform/web:1.0.0", "must be lowercase"},
        {"registry.example.com/platform/web:..%2f..%2fx", "tag '..%2f..%2fx' is not valid"},
        {"", "reference is empty"},
        {"platform/web:1.0.0", "is not normalized (it would be 'docker.io/platform/web:1.0.0')"},
        {"registry.example.com/platform/web@sha256:" + std::string(64, 'a'), "has no tag to import it under"},
    };
    for (const auto& k : cases) {
        INFO(k.ref);
        Crafted c;
        c.rename_image(web, k.ref);
        CHECK_THAT(c.refusal(), Catch::Contains("signed.sealift.images[1].ref") && Catch::Contains(k.reason));
    }
}

TEST_CASE("crafted bundles: indexes nested deeper than importers walk are refused; 4 deep verifies") {
    for (int depth : {4, 7}) {
        INFO(depth);
        Crafted c;
        Json& api = c.image(c.fx.api_ref);
        Json child = {{"mediaType", api["mediaType"]}, {"digest", api["digest"]}, {"size", api["size"]}};
        for (int i = 0; i < depth; ++i) {
            std::string index = Json{
                {"schemaVersion", 2},
                {"mediaType", "application/vnd.oci.image.index.v1+json"},
                {"manifests",
                 {child}}}.dump();
            child = {{"mediaType", "application/vnd.oci.image.index.v1+json"},
                     {"digest", c.edit.add_blob(index, "application/vnd.oci.image.index.v1+json")},
                     {"size", index.size()}};
        }
        Json layout = Json::parse(c.edit.data("images/index.json"));
        for (auto& d : layout["manifests"])
            if (d["digest"] == api["digest"])
                d = {{"mediaType", child["mediaType"]},
                     {"digest", child["digest"]},
                     {"size", child["size"]},
                     {"annotations", d["annotations"]}};
        c.edit.set("images/index.json", layout.dump(2) + "\n");
        api["mediaType"] = child["mediaType"], api["digest"] = child["digest"], api["size"] = child["size"];
        if (depth == 4)
            CHECK(c.refusal() == "VERIFIED");
        else
            CHECK_THAT(c.refusal(), Catch::Contains("image " + c.fx.api_ref + ": indexes nested more than 4 deep") &&
                                        Catch::Contains("at depth 5"));
    }
}

TEST_CASE(
    "crafted bundles: a chart name Helm refuses, or that is no repository name, is refused before it becomes a path") {
    for (std::string name : {"..", "UPPER%2F..", "under_score", "-dash"}) {
        INFO(name);
        Crafted c;
        c.edit.set("charts/platform-core-1.0.0.tgz",
                   test::packaged_chart(name, "apiVersion: v2\nname: \"" + name + "\"\nversion: 1.0.0\n"));
        c.edit.manifest["sealift"]["charts"][0]["name"] = name;
        CHECK_THAT(c.refusal(), Catch::Contains("signed.sealift.charts[0].name: chart '" + name +
                                                "': not a chart name Helm accepts"));
    }
}

TEST_CASE("crafted bundles: an SBOM whose content is not the format it is declared as is refused, naming it") {
    const std::string path = "sboms/api.cdx.json";
    {
        Crafted c;  // declared SPDX, and listed so, but CycloneDX inside
        c.edit.manifest["sealift"]["sboms"][0]["format"] = "spdx";
        c.edit.manifest["targets"][path]["custom"]["mediaType"] = "application/spdx+json";
        CHECK_THAT(c.refusal(), Catch::Contains(path + ": declared as format 'spdx', but the document is CycloneDX"));
    }
    {
        Crafted c;  // declared CycloneDX, listed with SPDX's media type
        c.edit.manifest["targets"][path]["custom"]["mediaType"] = "application/spdx+json";
        CHECK_THAT(
            c.refusal(),
            Catch::Contains(path + ": listed with media type 'application/spdx+json', but the document is CycloneDX"));
    }
    {
        Crafted c;  // the reverse: SPDX inside, declared and listed as CycloneDX
        Json spdx = test::minimal_spdx_of_api();
        c.edit.set(path, spdx.dump(1));
        CHECK_THAT(c.refusal(), Catch::Contains(path + ": declared as format 'cyclonedx', but the document is SPDX"));
        // Declared and listed as SPDX, it is the file name that says otherwise.
        c.edit.manifest["sealift"]["sboms"][0]["format"] = "spdx";
        c.edit.manifest["targets"][path]["custom"]["mediaType"] = "application/spdx+json";
        CHECK_THAT(c.refusal(), Catch::Contains(path + ": its file name says CycloneDX, but the document is SPDX"));
    }
}

TEST_CASE("crafted bundles: an issue time far ahead of the clock is refused; a few minutes ahead is not") {
    Crafted c;
    c.edit.manifest["sealift"]["issued"] = "2090-01-01T00:00:00Z";
    c.edit.manifest["expires"] = "2091-01-01T00:00:00Z";
    CHECK_THAT(
        c.refusal(),
        Catch::Contains(
            "sealift/manifest.json: issued at 2090-01-01T00:00:00Z, more than 5 minutes after this host's clock"));

    c.edit.manifest["sealift"]["issued"] = format_time(now_seconds() + std::chrono::minutes(4));
    CHECK(c.refusal() == "VERIFIED");
}

// (Layers of attachments, a referrer index's children too, may have any type: index_referrer_test.)
TEST_CASE("crafted bundles: an image layer of a media type no runtime knows is refused, naming its manifest") {
    Crafted c;
    Json& api = c.image(c.fx.api_ref);
    Digest old_digest = Digest::parse(api["digest"].get<std::string>());
    Json manifest = Json::parse(c.edit.data("images/blobs/sha256/" + std::string(old_digest.hex())));
    manifest["layers"][0]["mediaType"] = "application/vnd.example.unknown";
    std::string digest = c.edit.replace_blob(old_digest.str(), manifest.dump());
    CHECK_THAT(c.refusal(),
               Catch::Contains("images/blobs/sha256/" + std::string(Digest::parse(digest).hex()) + ": layer ") &&
                   Catch::Contains("has unknown media type 'application/vnd.example.unknown'"));
}
