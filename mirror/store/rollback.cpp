#include "core/error.hpp"
#include "manifests/semver.hpp"
#include "mirror/store/audit_log.hpp"
#include "mirror/store/store.hpp"
#include "mirror/store/store_state.hpp"

namespace sealift::mirror::store {

void rollback(const std::filesystem::path& dir, const std::string& name, const std::string& channel,
              const std::string& version) {
    StorePaths paths(dir);
    require_store(dir);
    AuditEvent audit{"rollback", "rejected", "", {}, name, version, channel, {}, Json::object()};
    try {
        StoreLock lock(paths);
        State state = State::load(paths);
        const ReleaseEntry* target = state.find(name, channel, version);
        if (!target) {
            std::string imported;
            for (const auto& r : state.releases)
                if (r.name == name && r.channel == channel) imported += (imported.empty() ? "" : ", ") + r.version;
            fail(Errc::policy, "release " + name + " " + version + " (" + channel + ") is not imported into " +
                                   dir.string() +
                                   (imported.empty() ? ": no version of it is" : "; imported versions: " + imported));
        }
        audit.bundle_digest = target->manifest_digest;
        audit.signer_keyids = target->signer_keyids;
        const ReleaseEntry* current = state.current_of(name, channel);
        audit.details["from"] = current ? current->version : "";
        audit.details["to"] = version;
        if (current == target) {
            audit.verdict = "unchanged";
            audit.reason = "already the current version";
        } else {
            state.current[State::channel_key(name, channel)] = target->manifest_digest;
            state.commit(paths);
            audit.verdict = "accepted";
            audit.reason = "current version set by an admin";
        }
        append_audit(paths, audit);
    } catch (const Error& e) {
        audit.reason = e.what();
        append_audit(paths, audit);
        throw;
    }
}

}  // namespace sealift::mirror::store
