#include "mirror/store/audit_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.hpp"
#include "core/file.hpp"

namespace sealift::mirror::store {

void append_audit(const StorePaths& paths, const AuditEvent& e) {
    Json line = {
        {"time", format_time(now_seconds())}, {"action", e.action}, {"verdict", e.verdict}, {"reason", e.reason}};
    if (!e.bundle_digest.empty()) line["bundleDigest"] = e.bundle_digest.str();
    if (!e.name.empty()) line["name"] = e.name;
    if (!e.version.empty()) line["version"] = e.version;
    if (!e.channel.empty()) line["channel"] = e.channel;
    if (!e.signer_keyids.empty()) line["signers"] = e.signer_keyids;
    for (const auto& [k, v] : e.details.items()) line[k] = v;
    std::string text = dump_json_safe(line) + "\n";
    // O_APPEND writes of one line are not interleaved with another process's line.
    int fd = ::open(paths.audit_log().c_str(), O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) fail(Errc::io, paths.audit_log().string() + ": cannot open: " + std::strerror(errno));
    File file(fd, paths.audit_log().string());
    file.write_all(text);
    file.sync();
}

}  // namespace sealift::mirror::store
