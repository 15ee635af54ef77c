#include "support/signed_edit.hpp"

#include <stdexcept>
#include <utility>
#include <vector>

#include "core/digest.hpp"
#include "support/support.hpp"
#include "trust/trust.hpp"

namespace sealift::test {
namespace {

const std::string kManifest = "sealift/manifest.json", kSignatures = "sealift/signatures.json", kSums = "SHA256SUMS";
const std::string kBlobs = "images/blobs/sha256/", kIndex = "images/index.json";

bool has_entry(const TarEditor& tar, const std::string& path) {
    for (const auto& e : tar.entries)
        if (e.name() == path) return true;
    return false;
}

void relist(Json& target, const std::string& data) {
    target["length"] = data.size();
    target["hashes"]["sha256"] = std::string(Sha256::of(data).hex());
}

}  // namespace

SignedEdit::SignedEdit(const std::filesystem::path& bundle)
    : tar(TarEditor::load(bundle)), manifest(Json::parse(data(kManifest))) {}

void SignedEdit::set(const std::string& path, std::string content, const std::string& media_type) {
    if (!has_entry(tar, path)) {
        tar.entries.push_back(TarEditor::make(path, ""));
        manifest["targets"][path] = {
            {"custom", {{"mediaType", media_type}}}, {"hashes", {{"sha256", ""}}}, {"length", 0}};
    }
    tar.set_data(path, std::move(content));
}

std::string SignedEdit::add_blob(std::string content, const std::string& media_type) {
    Digest d = Sha256::of(content);
    set(kBlobs + std::string(d.hex()), std::move(content), media_type);
    return d.str();
}

std::string SignedEdit::replace_blob(const std::string& digest, std::string content) {
    const std::string old_path = kBlobs + digest.substr(7);
    const std::string media_type = manifest["targets"].at(old_path)["custom"]["mediaType"];
    const std::uint64_t size = content.size();
    std::string fresh = add_blob(std::move(content), media_type);
    tar.entries.erase(tar.entries.begin() + static_cast<long>(tar.index_of(old_path)));
    manifest["targets"].erase(old_path);
    for (auto& img : manifest["sealift"]["images"])
        if (img["digest"] == digest) img["digest"] = fresh, img["size"] = size;
    if (has_entry(tar, kIndex)) {
        Json index = Json::parse(data(kIndex));
        for (auto& d : index["manifests"])
            if (d["digest"] == digest) d["digest"] = fresh, d["size"] = size;
        set(kIndex, index.dump(2) + "\n");
    }
    return fresh;
}

void SignedEdit::redeclare_external_size(const std::string& digest, std::uint64_t size) {
    for (auto& b : manifest["sealift"]["externalBlobs"])
        if (b["digest"] == digest) b["size"] = size;
    std::vector<std::pair<std::string, Json>> changed;
    for (auto it = manifest["targets"].begin(); it != manifest["targets"].end(); ++it) {
        if (it.value()["custom"]["mediaType"] != "application/vnd.oci.image.manifest.v1+json") continue;
        Json m = Json::parse(data(it.key()));
        bool uses = false;
        for (auto& layer : m["layers"])
            if (layer["digest"] == digest) layer["size"] = size, uses = true;
        if (uses) changed.emplace_back("sha256:" + it.key().substr(kBlobs.size()), m);
    }
    for (const auto& [old, m] : changed) replace_blob(old, m.dump());
}

void SignedEdit::save(const std::filesystem::path& out, const std::filesystem::path& key) {
    Json& targets = manifest["targets"];
    std::string sums;
    for (auto it = targets.begin(); it != targets.end(); ++it) {  // sorted by path, as sha256sum's list is
        if (it.key() == kSums) continue;
        if (has_entry(tar, it.key())) relist(*it, data(it.key()));
        sums += it.value()["hashes"]["sha256"].get<std::string>() + "  " + it.key() + "\n";
    }
    tar.set_data(kSums, sums);
    relist(targets[kSums], sums);
    std::string bytes = canonical_json(manifest);
    tar.set_data(kManifest, bytes);
    auto signature = trust::PrivateKey::load_pem(key).sign(bytes);
    tar.set_data(kSignatures, canonical_json(trust::signatures_to_json({signature})));
    tar.save(out);
}

std::string packaged_chart(const std::string& folder, const std::string& chart_yaml) {
    TarEditor chart;
    chart.entries.push_back(TarEditor::make(folder + "/Chart.yaml", chart_yaml));
    TempDir tmp;
    write_text(tmp / "chart.tar", chart.archive());
    auto r = run("gzip -n -c '" + (tmp / "chart.tar").string() + "' > '" + (tmp / "chart.tgz").string() + "'");
    if (r.exit_code != 0) throw std::runtime_error("gzip failed: " + r.err);
    return read_text(tmp / "chart.tgz");
}

}  // namespace sealift::test
