#include "verify/metadata_reader.hpp"

#include "core/error.hpp"

namespace sealift::verify {
namespace {

namespace paths = manifests::bundle_paths;

}  // namespace

MetadataReader::MetadataReader(BundleInput& input) : zstd_(input), tar_(zstd_, input.name()) {
    auto first = tar_.next();
    if (!first || first->path != paths::manifest)
        fail(Errc::format, input.name() + ": not a Sealift bundle (first entry is '" +
                               (first ? first->path : std::string("<none>")) + "', not " +
                               std::string(paths::manifest) + ")");
    manifest_bytes_ = read_member(*first, manifests::kMaxManifestBytes);
    manifest_digest_ = Sha256::of(manifest_bytes_);
    manifest_ = manifests::BundleManifest::parse(manifest_bytes_, std::string(paths::manifest));

    auto second = tar_.next();
    if (!second || second->path != paths::signatures)
        fail(Errc::format, input.name() + ": the second entry must be " + std::string(paths::signatures) + ", found '" +
                               (second ? second->path : std::string("<none>")) + "'");
    std::string sigs = read_member(*second, manifests::kMaxSignaturesBytes);
    signatures_ = trust::signatures_from_json(parse_json_strict(sigs, std::string(paths::signatures)),
                                              std::string(paths::signatures));

    for (pending_ = tar_.next(); pending_ && pending_->path.rfind(paths::root_prefix, 0) == 0; pending_ = tar_.next()) {
        const auto* listed = manifest_.find(pending_->path);
        if (!listed) fail(Errc::format, "entry '" + pending_->path + "' is not listed in the signed manifest");
        std::string text = read_member(*pending_, manifests::kMaxRootBytes);
        if (text.size() != listed->size || Sha256::of(text) != listed->digest)
            fail(Errc::integrity, "entry '" + pending_->path + "' does not match its SHA-256 in the signed manifest");
        for (const auto& p : root_paths_)
            if (p == pending_->path) fail(Errc::format, "entry '" + p + "' appears twice");
        root_paths_.push_back(pending_->path);
        roots_.push_back(std::move(text));
    }
}

trust::TrustRoot MetadataReader::root_chain(const trust::TrustRoot& pinned) const {
    trust::TrustRoot root = pinned;
    for (std::size_t i = 0; i < roots_.size(); ++i) {
        const std::string& entry = root_paths_[i];
        auto next = trust::TrustRoot::parse(roots_[i], entry);
        if (entry != std::string(paths::root_prefix) + std::to_string(next.version()) + ".root.json")
            fail(Errc::format, "entry '" + entry + "' holds root version " + std::to_string(next.version()));
        if (next.version() <= root.version()) continue;  // the site already has it
        root = root.verify_successor(roots_[i], entry);
    }
    return root;
}

std::vector<std::string> MetadataReader::check_signatures(const trust::TrustRoot& root) const {
    return root.verify_role("targets", manifest_bytes_, signatures_, std::string(paths::manifest));
}

std::string MetadataReader::read_member(const TarEntry& entry, std::size_t limit) {
    if (entry.type != TarEntry::Type::regular)
        fail(Errc::format,
             "entry '" + entry.path + "' is a " + tar_type_name(entry.type) + ": only regular files are allowed");
    if (entry.size > limit)
        fail(Errc::format, "entry '" + entry.path + "' is " + std::to_string(entry.size) + " bytes, more than the " +
                               std::to_string(limit) + " allowed");
    std::string out(entry.size, '\0');
    std::size_t got = 0;
    while (got < out.size()) got += tar_.read(out.data() + got, out.size() - got);
    return out;
}

}  // namespace sealift::verify
