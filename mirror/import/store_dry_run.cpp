// `mirror import --store DIR --dry-run`: import_to_store's decisions without
// its writes (no layout, staging, lock, audit line or receipt).
#include <sys/statvfs.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/error.hpp"
#include "mirror/import/dry_run.hpp"
#include "mirror/import/name_mapping.hpp"
#include "mirror/import/release_content.hpp"
#include "mirror/store/blob_store.hpp"
#include "mirror/store/channel_policy.hpp"
#include "mirror/store/corrupt_blobs.hpp"
#include "mirror/store/store.hpp"
#include "mirror/store/trust_pin.hpp"

namespace sealift::mirror {
using namespace store;  // the import writes the storage layer's types
namespace {

// Room left for what a filesystem needs besides the blobs: their folder entries,
// the release record and state, and the store's own staging copies' metadata.
constexpr std::uint64_t kMarginBytes = 64u << 20;
constexpr double kMarginFraction = 0.05;

// The store folder, or its nearest existing parent when it is to be created.
std::uint64_t free_bytes(const std::filesystem::path& store) {
    std::error_code ec;
    std::filesystem::path dir = std::filesystem::absolute(store);  // a relative "store" has no parent to fall back on
    while (!std::filesystem::exists(dir, ec) && dir.has_parent_path() && dir.parent_path() != dir)
        dir = dir.parent_path();
    struct statvfs st {};
    if (::statvfs(dir.c_str(), &st) != 0)
        fail(Errc::io, dir.string() + ": cannot read its free space: " + std::strerror(errno));
    return static_cast<std::uint64_t>(st.f_bavail) * st.f_frsize;
}

}  // namespace

DryRunReport dry_run_store(const StoreImportOptions& o, const trust::TrustRoot* given_root) {
    // The import would refuse the folder; said here before a blob lookup fails on the path.
    std::error_code ec;
    if (!o.create) require_store(o.store);
    if (std::filesystem::exists(o.store, ec) && !std::filesystem::is_directory(o.store, ec))
        fail(Errc::io, o.store.string() + ": the store is not a folder");
    check_store_creatable(o.store);
    StorePaths paths(o.store);
    BlobStore blobs(o.store);
    trust::TrustRoot root = root_to_use(paths, given_root);
    State state = State::load(paths);
    verify::VerifyOptions vo;
    const TimePoint clock = o.now.value_or(now_seconds());
    vo.now = clock;
    if (state.time_floor && *state.time_floor > vo.now) vo.now = *state.time_floor;

    auto names = NameMapping::keeping_hosts();  // as the import maps them: the store keeps hosts apart
    PlanCollector collector(names);
    auto verified = collect_plan_from_metadata(o.bundle, root, vo, collector);
    const auto& m = verified.manifest;
    PlannedContent planned =
        plan_content(collector, blobs);  // a left-out chart counts as present or missing, never to write

    DryRunReport report;
    report.release = m.name + " " + m.version.str() + " (" + manifests::channel_name(m.channel) + ")";
    report.manifest_digest = verified.manifest_digest;
    report.signer_keyids = verified.signer_keyids;
    for (const auto& [digest, size] : planned.needed_blobs) {
        bool present = blobs.contains(digest);
        if (m.find_external(digest)) {
            if (present)
                ++report.external_present;
            else
                report.external_missing.push_back(digest);
        } else if (present && blobs.size_of(digest) == size && !flagged_corrupt(blobs.path_of(digest))) {
            ++report.blobs_present, report.bytes_present += size;  // a bad copy is written again, as the import does
        } else {
            ++report.blobs_to_write, report.bytes_to_write += size;
        }
    }
    try {
        admit(state, m, verified.manifest_digest, blobs, o.store.string(), clock);
    } catch (const Error& e) {
        if (e.code() != Errc::policy && e.code() != Errc::integrity) throw;
        report.refusal = e.what();  // reported with the numbers: the admin sees both
    }
    report.free_bytes = free_bytes(o.store);
    auto margin =
        std::max<std::uint64_t>(kMarginBytes, static_cast<std::uint64_t>(report.bytes_to_write * kMarginFraction));
    report.fits = report.bytes_to_write + margin <= *report.free_bytes;
    return report;
}

}  // namespace sealift::mirror
