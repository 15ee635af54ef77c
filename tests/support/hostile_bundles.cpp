#include "support/hostile_bundles.hpp"

#include <stdexcept>

#include "core/json.hpp"
#include "support/signed_edit.hpp"
#include "support/support.hpp"
#include "support/tar_editor.hpp"

namespace sealift::test {
namespace {

// JSON text with a member holding 1e999 before its first one: it parses up to there.
std::string with_overflowing_number(const std::string& json) {
    auto brace = json.find('{');
    if (brace == std::string::npos) throw std::runtime_error("no JSON object to edit");
    return json.substr(0, brace + 1) + "\"overflow\":1e999," + json.substr(brace + 1);
}

// The first entry the signed manifest lists under `prefix` with `media_type` (any, if empty).
std::string listed_entry(const Json& manifest, const std::string& prefix, const std::string& media_type = "") {
    for (auto it = manifest["targets"].begin(); it != manifest["targets"].end(); ++it)
        if (it.key().rfind(prefix, 0) == 0 && (media_type.empty() || it.value()["custom"]["mediaType"] == media_type))
            return it.key();
    throw std::runtime_error("the bundle lists no " + prefix + " entry");
}

}  // namespace

std::string truncated_chart() {
    std::string chart = packaged_chart(
        "platform-core", "apiVersion: v2\nname: platform-core\nversion: 1.0.0\n" + std::string(20000, '#') + "\n");
    return chart.substr(0, chart.size() / 2);
}

std::vector<HostileBundle> hostile_bundles(const std::filesystem::path& good, const std::filesystem::path& key,
                                           const std::filesystem::path& dir) {
    std::vector<HostileBundle> out;
    auto path = [&](const std::string& name) { return dir / (name + ".bundle"); };
    const std::string overflow = "invalid JSON: number overflow parsing '1e999'";

    {
        SignedEdit e(good);
        std::string chart = listed_entry(e.manifest, "charts/");
        e.set(chart, truncated_chart());
        e.save(path("truncated-chart"), key);
        out.push_back({"a truncated gzip chart", chart + ": not a ", path("truncated-chart")});
    }
    for (std::string entry :
         {"sealift/manifest.json", "sealift/signatures.json"}) {  // read before any signature is checked
        auto tar = TarEditor::load(good);
        tar.set_data(entry, with_overflowing_number(tar.at(entry).data));
        std::string name = entry.substr(8, entry.size() - 13) + "-overflow";
        tar.save(path(name));
        out.push_back({"1e999 in " + entry, entry + ": " + overflow, path(name)});
    }
    {
        SignedEdit e(good);
        std::string manifest = listed_entry(e.manifest, "images/blobs/", "application/vnd.oci.image.manifest.v1+json");
        std::string digest = e.replace_blob("sha256:" + manifest.substr(manifest.rfind('/') + 1),
                                            with_overflowing_number(e.data(manifest)));
        e.save(path("oci-manifest-overflow"), key);
        out.push_back({"1e999 in an OCI manifest", "images/blobs/sha256/" + digest.substr(7) + ": " + overflow,
                       path("oci-manifest-overflow")});
    }
    {
        SignedEdit e(good);
        std::string sbom = listed_entry(e.manifest, "sboms/");
        e.set(sbom, with_overflowing_number(e.data(sbom)));
        e.save(path("sbom-overflow"), key);
        out.push_back({"1e999 in an SBOM", sbom + ": " + overflow, path("sbom-overflow")});
    }
    {
        SignedEdit e(good);
        const std::string root = "sealift/root/2.root.json";
        e.set(root, "{\"signed\":{\"version\":1e999},\"signatures\":[]}\n",
              "application/vnd.sealift.trust-root.v1+json");
        // Carried roots come right after the signatures, where the verifier reads them.
        auto entry = e.tar.entries.back();
        e.tar.entries.pop_back();
        e.tar.entries.insert(e.tar.entries.begin() + 2, entry);
        e.save(path("root-overflow"), key);
        out.push_back({"1e999 in a carried trust root", root + ": " + overflow, path("root-overflow")});
    }
    {
        auto tar = TarEditor::load(good);
        tar.entries.push_back(TarEditor::make("images/\xff\xfe-not-utf8", "x"));
        tar.save(path("not-utf8"));
        out.push_back({"an entry name that is not UTF-8", "entry 'images/\xff\xfe-not-utf8': unsafe or invalid path",
                       path("not-utf8")});
    }
    {
        auto tar = TarEditor::load(good);
        tar.entries.insert(tar.entries.begin() + 3, TarEditor::make("", "", '5'));
        tar.save(path("empty-folder-name"));
        out.push_back({"a folder entry with an empty name", "entry '': unsafe path", path("empty-folder-name")});
    }
    return out;
}

}  // namespace sealift::test
