// What `mirror preflight` asks of the site it checks, as one small interface: a
// registry answers through registry::RegistryClient (registry_content.cpp), the
// embedded store through one snapshot of it (store_content.cpp). The checks are
// written once against it (preflight_checks.hpp).
//
// Repositories are the site's own names: the target repository (prefix included,
// no host) for a registry, the store key ("registry.example.com/platform/api",
// "charts/NAME") for the store.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/digest.hpp"
#include "core/error.hpp"

namespace sealift::registry {
class RegistryClient;
}
namespace sealift::mirror::store {
class Snapshot;
}

namespace sealift::mirror {

class SiteContent {
public:
    using Sink = std::function<void(const char* data, std::size_t size)>;

    virtual ~SiteContent() = default;

    // The manifest digest `tag` points to; nullopt when the repository has no such tag.
    virtual std::optional<Digest> resolve_tag(const std::string& repository, const std::string& tag) = 0;
    virtual bool has_manifest(const std::string& repository, const Digest& digest) = 0;
    // Whether the repository holds the blob. Not its size: a registry need not send one
    // when asked (HEAD), and preflight learns sizes from the signed manifest.
    virtual bool has_blob(const std::string& repository, const Digest& digest) = 0;
    // The digests of the manifests listed as referrers of `subject`, sorted; for a
    // registry through the referrers API, else the referrers tag schema's fallback tag.
    virtual std::vector<Digest> referrers(const std::string& repository, const Digest& subject) = 0;
    // Streams the blob to `sink` as it is read, and fails after the last byte, with
    // Errc::integrity, when the bytes do not have this digest and size.
    virtual void read_blob(const std::string& repository, const Digest& digest, std::uint64_t size,
                           const Sink& sink) = 0;
    // A manifest's exact bytes (at most manifests::max_manifest_size), checked against its digest.
    virtual std::string read_manifest(const std::string& repository, const Digest& digest) = 0;

    // How preflight's rows name a repository of this site: "HOST/REPO" for a registry, the key for the store.
    virtual std::string display_name(const std::string& repository) const = 0;
    // Why has_blob or has_manifest said no, when the site knows more than "absent"
    // (the store: the state lists the blob but its file is gone); "" otherwise.
    virtual std::string why_absent(const std::string& /*repository*/, const Digest& /*digest*/) { return ""; }
    // The row state of a read that failed with `e`. A registry's failure is "unreadable" whatever
    // its cause; the store tells a file whose content changed ("different") from one it cannot read.
    virtual std::string failed_read_state(const Error& /*e*/) const { return "unreadable"; }
};

// The registry `client` is connected to (client.host()). The client must outlive the content.
std::unique_ptr<SiteContent> registry_content(registry::RegistryClient& client);
// The store as `snapshot` shows it; its blobs are read from the snapshot's blob files.
std::unique_ptr<SiteContent> store_content(std::shared_ptr<const store::Snapshot> snapshot);

}  // namespace sealift::mirror
