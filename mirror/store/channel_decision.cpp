#include "mirror/store/channel_decision.hpp"

namespace sealift::mirror::store {

ChannelVerdict decide_channel(const manifests::SemVer& version, const Digest& digest,
                              const std::optional<HeldRelease>& same, const std::optional<HeldRelease>& current) {
    if (same && same->manifest_digest != digest) return ChannelVerdict::equivocation;
    if (current && current->manifest_digest == digest) return ChannelVerdict::unchanged;
    if (current) {
        int order = version.compare(manifests::SemVer::parse(current->version));
        if (same && order < 0) return ChannelVerdict::behind_current;  // delivering it again changes nothing
        if (order < 0) return ChannelVerdict::older;
        if (order == 0) return ChannelVerdict::not_newer;
    }
    return same ? ChannelVerdict::ahead_of_current : ChannelVerdict::new_release;
}

std::string channel_refusal(ChannelVerdict v, const Digest& digest, const std::optional<HeldRelease>& same,
                            const std::optional<HeldRelease>& current) {
    switch (v) {
    case ChannelVerdict::equivocation:
        return "was imported from a different bundle (manifest " + same->manifest_digest.str() + ", this one " +
               digest.str() + "): one version is one bundle";
    case ChannelVerdict::older: return "is older than the current version " + current->version;
    case ChannelVerdict::not_newer: return "is not newer than the current version " + current->version;
    default: return "";
    }
}

}  // namespace sealift::mirror::store
