// Reading one side of a diff: the signed manifest, and from a bundle the image
// manifests and SBOMs. The reference writer puts those near the head of the
// payload, so an unverified read stops long before the layers of a big bundle.

#include "core/error.hpp"
#include "core/file.hpp"
#include "diff/diff.hpp"
#include "manifests/oci.hpp"
#include "verify/verify.hpp"

namespace sealift::diff {
namespace {

namespace paths = manifests::bundle_paths;

// The payload entries a snapshot keeps, with the most it holds of each.
std::map<std::string, std::size_t> wanted_entries(const manifests::BundleManifest& m) {
    std::map<std::string, std::size_t> wanted;
    for (const auto& e : m.entries)
        if (paths::is_blob(e.path) &&
            (manifests::is_manifest_media_type(e.media_type) || manifests::is_index_media_type(e.media_type)))
            wanted[e.path] = manifests::max_manifest_size;
    for (const auto& s : m.sboms) wanted[s.path] = manifests::kMaxDocumentBytes;
    return wanted;
}

void keep(ReleaseSnapshot& snapshot, const manifests::BundleEntry& entry, std::string bytes) {
    if (paths::is_blob(entry.path))
        snapshot.image_manifests[entry.digest.str()] = std::move(bytes);
    else
        snapshot.sboms[entry.path] = std::move(bytes);
}

void refuse_oversized(const manifests::BundleEntry& entry, std::size_t limit, const std::string& source) {
    if (entry.size > limit)
        fail(Errc::format, source + ": entry '" + entry.path + "' is " + std::to_string(entry.size) +
                               " bytes, more than the " + std::to_string(limit) + " a " +
                               (paths::is_blob(entry.path) ? "image manifest" : "SBOM") + " may have");
}

// Collects the wanted entries while verify_bundle checks everything.
class Collector : public verify::EntrySink {
public:
    explicit Collector(ReleaseSnapshot& snapshot) : snapshot_(snapshot) {}
    void on_manifest(const manifests::BundleManifest& m) override { wanted_ = wanted_entries(m); }
    void on_entry_begin(const manifests::BundleEntry& e) override {
        auto it = wanted_.find(e.path);
        collecting_ = it != wanted_.end();
        if (collecting_) refuse_oversized(e, it->second, snapshot_.source);
        buffer_.clear();
    }
    void on_entry_data(const manifests::BundleEntry&, const char* data, std::size_t size) override {
        if (collecting_) buffer_.append(data, size);
    }
    void on_entry_end(const manifests::BundleEntry& e) override {
        if (collecting_) keep(snapshot_, e, std::move(buffer_));
        collecting_ = false;
    }

private:
    ReleaseSnapshot& snapshot_;
    std::map<std::string, std::size_t> wanted_;
    std::string buffer_;
    bool collecting_ = false;
};

void read_verified_bundle(ReleaseSnapshot& s, const std::filesystem::path& path, const ReadOptions& options) {
    Collector collector(s);
    verify::VerifyReport report = verify::verify_bundle(path, *options.trust, {options.now}, &collector);
    s.manifest = std::move(report.manifest);
    s.manifest_digest = report.manifest_digest;
    s.signer_keyids = std::move(report.signer_keyids);
    s.verified = true;
}

// Reads entries until every wanted one was seen; each must match its listed size and digest.
void read_unverified_bundle(ReleaseSnapshot& s, const std::filesystem::path& path) {
    verify::InspectedEntries read = verify::inspect_entries(path, wanted_entries);
    s.manifest = std::move(read.head.manifest);
    s.manifest_digest = read.head.manifest_digest;
    for (auto& [entry_path, bytes] : read.entries) keep(s, *s.manifest.find(entry_path), std::move(bytes));
}

// A bare manifest can be verified only with the signatures.json that came out of the same bundle.
void verify_bare_manifest(ReleaseSnapshot& s, const std::filesystem::path& path, const std::string& bytes,
                          const ReadOptions& options) {
    std::filesystem::path signatures_path = path.parent_path() / "signatures.json";
    std::error_code ec;
    if (!std::filesystem::exists(signatures_path, ec))
        fail(Errc::usage,
             s.source + ": a bare manifest cannot be verified with --trust without the signatures.json beside it (" +
                 signatures_path.string() + " is missing)");
    std::string text = read_small_file(signatures_path, manifests::kMaxSignaturesBytes);
    auto signatures =
        trust::signatures_from_json(parse_json_strict(text, signatures_path.string()), signatures_path.string());
    s.signer_keyids = options.trust->verify_role("targets", bytes, signatures, s.source);
    options.trust->check_not_expired(options.now, "the pinned trust root");
    if (s.manifest.expires <= options.now)
        fail(Errc::policy, s.source + ": the manifest expired at " + format_time(s.manifest.expires));
    s.verified = true;
}

void read_bare_manifest(ReleaseSnapshot& s, const std::filesystem::path& path, const ReadOptions& options) {
    std::string bytes = read_small_file(path, manifests::kMaxManifestBytes);
    s.manifest = manifests::BundleManifest::parse(bytes, s.source);
    s.manifest_digest = Sha256::of(bytes);
    if (options.trust) verify_bare_manifest(s, path, bytes, options);
}

enum class Kind { bundle, manifest };

Kind sniff(const std::filesystem::path& path, const std::string& source) {
    File file = File::open_regular(path);
    unsigned char head[64];
    std::size_t got = 0;
    while (got < sizeof head)
        if (std::size_t n = file.read_some(head + got, sizeof head - got); n > 0)
            got += n;
        else
            break;
    if (got >= 4 && head[0] == 0x28 && head[1] == 0xB5 && head[2] == 0x2F && head[3] == 0xFD) return Kind::bundle;
    std::size_t i = 0;
    while (i < got && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t')) ++i;
    if (i < got && head[i] == '{') return Kind::manifest;
    fail(Errc::format, source + ": neither a Sealift bundle (zstd) nor a bundle manifest (JSON)");
}

}  // namespace

ReleaseSnapshot read_snapshot(const std::filesystem::path& path, const ReadOptions& options) {
    ReleaseSnapshot s;
    s.source = path.string();
    try {
        if (sniff(path, s.source) == Kind::manifest) {
            read_bare_manifest(s, path, options);
            return s;
        }
        s.whole_bundle = true;
        if (options.trust)
            read_verified_bundle(s, path, options);
        else
            read_unverified_bundle(s, path);
    } catch (const Error& e) {
        // The verifier names the entry, not the file: with two bundles, say which one.
        if (std::string(e.what()).find(s.source) != std::string::npos) throw;
        rethrow_with_context(e, s.source);
    }
    return s;
}

}  // namespace sealift::diff
