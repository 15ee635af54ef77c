#include "mirror/import/registry_channel.hpp"

#include "core/error.hpp"
#include "mirror/site/release_records.hpp"

namespace sealift::mirror {

RegistryChannelCheck check_registry_channel(registry::RegistryClient& client, const registry::Target& target,
                                            const std::filesystem::path& bundle, const manifests::BundleManifest& m,
                                            const Digest& digest, const std::optional<std::string>& allow_downgrade) {
    using store::ChannelVerdict;
    const std::string channel = manifests::channel_name(m.channel);
    std::optional<store::HeldRelease> same, current;
    std::optional<manifests::SemVer> newest;
    for (const auto& r : site::read_release_records(client, target, m.name, m.channel)) {
        if (r.version.str() == m.version.str()) same = store::HeldRelease{r.version.str(), r.manifest_digest};
        if (!newest || *newest < r.version) {
            newest = r.version;
            current = store::HeldRelease{r.version.str(), r.manifest_digest};
        }
    }
    RegistryChannelCheck check;
    check.verdict = store::decide_channel(m.version, digest, same, current);
    const std::string where = "registry " + target.host + (target.prefix.empty() ? "" : "/" + target.prefix);
    const std::string self = bundle.string() + ": release " + m.name + " " + m.version.str() + " (" + channel + ") " +
                             store::channel_refusal(check.verdict, digest, same, current);
    switch (check.verdict) {
    case ChannelVerdict::equivocation:
        fail(Errc::policy, self + "; " + where + " records it in " +
                               site::release_record_reference(client, target, m.name, m.version.str(), channel) +
                               " (nothing was tagged)");
    case ChannelVerdict::older:
    case ChannelVerdict::not_newer:
        if (!allow_downgrade)
            fail(Errc::policy, self + " in " + where + " (" +
                                   site::release_record_reference(client, target, m.name, current->version, channel) +
                                   "; rollback protection, nothing was tagged); to import it anyway, run the import "
                                   "again with --allow-downgrade REASON");
        check.downgrade = manifests::AllowedDowngrade{current->version, *allow_downgrade};
        break;
    case ChannelVerdict::behind_current:  // with the admin's leave, its tags are pointed back at it
        if (allow_downgrade) check.downgrade = manifests::AllowedDowngrade{current->version, *allow_downgrade};
        break;
    case ChannelVerdict::new_release:
    case ChannelVerdict::ahead_of_current:
    case ChannelVerdict::unchanged: break;
    }
    return check;
}

}  // namespace sealift::mirror
