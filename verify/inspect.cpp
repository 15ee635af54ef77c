#include "core/error.hpp"
#include "verify/metadata_reader.hpp"
#include "verify/verify.hpp"

namespace sealift::verify {

namespace {

Inspection head_of(const BundleInput& input, const MetadataReader& meta) {
    return {meta.manifest(),      meta.manifest_bytes(), meta.manifest_digest(), meta.signatures(),
            meta.carried_roots(), input.size(),          input.parts()};
}

}  // namespace

Inspection inspect_bundle(const std::filesystem::path& bundle) {
    BundleInput input(bundle);
    MetadataReader meta(input);
    return head_of(input, meta);
}

InspectedEntries inspect_entries(
    const std::filesystem::path& bundle,
    const std::function<std::map<std::string, std::size_t>(const manifests::BundleManifest&)>& wanted) {
    const std::string source = bundle.string();
    InspectedEntries out;
    BundleInput input(bundle);
    MetadataReader meta(input);
    out.head = head_of(input, meta);
    std::map<std::string, std::size_t> missing = wanted(out.head.manifest);
    std::vector<char> buffer(1 << 16);
    for (std::optional<TarEntry> entry = meta.pending_entry(); entry && !missing.empty(); entry = meta.tar().next()) {
        auto it = missing.find(entry->path);
        if (it == missing.end() || entry->type != TarEntry::Type::regular) continue;
        const manifests::BundleEntry* listed = out.head.manifest.find(entry->path);
        if (!listed) fail(Errc::format, source + ": entry '" + entry->path + "' is not listed in the manifest");
        if (listed->size > it->second)
            fail(Errc::format, source + ": entry '" + entry->path + "' is " + std::to_string(listed->size) +
                                   " bytes, more than the " + std::to_string(it->second) + " allowed");
        std::string bytes;
        Sha256 hash;
        for (std::size_t n; (n = meta.tar().read(buffer.data(), buffer.size())) > 0;) {
            if (bytes.size() + n > listed->size) break;
            bytes.append(buffer.data(), n);
            hash.update(buffer.data(), n);
        }
        if (bytes.size() != listed->size || entry->size != listed->size || hash.finish() != listed->digest)
            fail(Errc::integrity,
                 source + ": entry '" + entry->path + "' does not match the size and SHA-256 its manifest lists");
        out.entries.emplace(entry->path, std::move(bytes));
        missing.erase(it);
    }
    if (!missing.empty())
        fail(Errc::format,
             source + ": the manifest lists '" + missing.begin()->first + "', which the bundle does not contain");
    return out;
}

}  // namespace sealift::verify
