// Crafted bundles that still carry a valid signature, for the checks that must
// hold even then: edit the signed manifest and the entries, and save() makes
// every listed entry's length and SHA-256, SHA256SUMS and the signature match
// again, as a holder of a release key (or a faulty writer) could. What is left
// wrong is only what the test means to be.
#pragma once

#include <filesystem>
#include <string>

#include "core/json.hpp"
#include "support/tar_editor.hpp"

namespace sealift::test {

class SignedEdit {
public:
    explicit SignedEdit(const std::filesystem::path& bundle);

    TarEditor tar;
    Json manifest;  // sealift/manifest.json

    const std::string& data(const std::string& path) { return tar.at(path).data; }
    // An entry's new content; a new entry is added (after the others) and listed with `media_type`.
    void set(const std::string& path, std::string data, const std::string& media_type = "");
    // A new blob images/blobs/sha256/<hex>; returns its digest.
    std::string add_blob(std::string data, const std::string& media_type);
    // The blob of `digest` replaced by `data` under its new digest; the image
    // (sealift.images[]) and images/index.json entries naming it follow. Returns the new digest.
    std::string replace_blob(const std::string& digest, std::string data);

    // A delta's external blob `digest` declared with `size` instead, in sealift.externalBlobs
    // and in every image manifest's layer descriptor (each replaced as above).
    void redeclare_external_size(const std::string& digest, std::uint64_t size);

    // Relists every entry, rewrites SHA256SUMS, signs with `key` and writes `out`.
    void save(const std::filesystem::path& out, const std::filesystem::path& key);
};

// A packaged chart (gzip tar) holding only <folder>/Chart.yaml with `chart_yaml`,
// whatever folder name: a crafted chart a builder would not write.
std::string packaged_chart(const std::string& folder, const std::string& chart_yaml);

}  // namespace sealift::test
