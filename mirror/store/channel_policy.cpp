#include "mirror/store/channel_policy.hpp"

#include <algorithm>
#include <optional>

#include "core/error.hpp"
#include "mirror/store/channel_decision.hpp"

namespace sealift::mirror::store {

namespace {

std::string release_name(const std::string& name, const std::string& version, const std::string& channel) {
    return "release " + name + " " + version + " (" + channel + ")";
}

// A base delta needs its base release; any delta (base or site inventory) needs
// the blobs it leaves out, checked before a payload byte is read.
void check_delta(const State& state, const manifests::BundleManifest& m, const BlobStore& blobs) {
    std::string self = release_name(m.name, m.version.str(), manifests::channel_name(m.channel));
    if (m.base) {
        const auto& b = *m.base;
        const auto* base = state.find(b.manifest_digest);
        std::string base_name = release_name(b.name, b.version.str(), manifests::channel_name(b.channel));
        if (!base || base->name != b.name || base->version != b.version.str() ||
            base->channel != manifests::channel_name(b.channel))
            fail(Errc::policy, self + " is a delta on " + base_name + " (manifest " + b.manifest_digest.str() +
                                   "), which is not imported into this store: import the base release first");
    }
    std::vector<std::string> missing;
    for (const auto& x : m.external_blobs) {
        auto held = blobs.size_of(x.digest);
        if (held && *held != x.size)
            fail(Errc::integrity, self + " (" + m.delta_description() + ") declares blob " + x.digest.str() +
                                      ", which it leaves out, with " + std::to_string(x.size) +
                                      " bytes; the store holds " + std::to_string(*held) + " (" +
                                      blobs.path_of(x.digest).string() + "; nothing was imported)");
        if (held) continue;
        missing.push_back(x.digest.str());
        for (const auto& c : m.charts)
            if (c.left_out == x.digest) missing.back() += " (chart " + c.name + ":" + c.version + ")";
    }
    if (!missing.empty()) {
        std::string list;
        for (std::size_t i = 0; i < missing.size() && i < 5; ++i) list += (i ? ", " : "") + missing[i];
        if (missing.size() > 5) list += " and " + std::to_string(missing.size() - 5) + " more";
        fail(Errc::policy, self + " (" + m.delta_description() + ") leaves out " + std::to_string(missing.size()) +
                               " blob(s) the store does not hold: " + list + " (nothing was imported)");
    }
}

}  // namespace

void check_external_digests(const manifests::BundleManifest& m, const BlobStore& blobs) {
    for (const auto& x : m.external_blobs) {
        // A left-out chart's archive is read whole and checked when its Helm artifact is made.
        if (std::any_of(m.charts.begin(), m.charts.end(),
                        [&](const manifests::BundleChart& c) { return c.left_out == x.digest; }))
            continue;
        Digest got = hash_blob_file(blobs.path_of(x.digest));
        if (got != x.digest)
            fail(Errc::integrity, blobs.path_of(x.digest).string() + ": the store's copy of blob " + x.digest.str() +
                                      ", which " + m.delta_description() + " leaves out, has digest " + got.str() +
                                      " (nothing was imported)");
    }
}

Admission admit(const State& state, const manifests::BundleManifest& m, const Digest& digest, const BlobStore& blobs,
                const std::string& store_dir, TimePoint clock) {
    std::string channel = manifests::channel_name(m.channel);
    std::string version = m.version.str();
    if (m.issued > clock + manifests::kMaxIssuedAhead)
        fail(Errc::policy, release_name(m.name, version, channel) + " was issued at " + format_time(m.issued) +
                               ", more than " + std::to_string(manifests::kMaxIssuedAhead.count() / 60) +
                               " minutes after this store's clock (" + format_time(clock) +
                               "); accepting it would move the store's time floor past its clock, and every later "
                               "import would look expired (nothing was imported)");
    auto held = [](const ReleaseEntry* e) {
        return e ? std::optional<HeldRelease>({e->version, e->manifest_digest}) : std::nullopt;
    };
    auto same = held(state.find(m.name, channel, version));
    auto current = held(state.current_of(m.name, channel));
    ChannelVerdict verdict = decide_channel(m.version, digest, same, current);
    std::string refusal =
        release_name(m.name, version, channel) + " " + channel_refusal(verdict, digest, same, current);
    switch (verdict) {
    case ChannelVerdict::equivocation: fail(Errc::policy, refusal + "; refusing the second");
    case ChannelVerdict::older:
    case ChannelVerdict::not_newer:
        fail(Errc::policy,
             refusal + " (rollback protection); to return to an imported version, run: sealift mirror rollback " +
                 m.name + " --channel " + channel + " --to VERSION --store " + store_dir);
    // Imported before, current or not: delivering it again changes nothing. After a
    // rollback, a re-dropped newer bundle must not undo the admin's choice; forward
    // again is `mirror rollback --to NEWER`, on record in the audit log.
    case ChannelVerdict::unchanged:
    case ChannelVerdict::behind_current:
    case ChannelVerdict::ahead_of_current: return Admission::unchanged;
    case ChannelVerdict::new_release: break;
    }
    check_delta(state, m, blobs);
    return Admission::new_release;
}

}  // namespace sealift::mirror::store
