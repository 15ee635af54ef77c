// Private to the builder: images pulled from a registry at build time. One
// source per `ref:` entry; manifests are fetched once and kept (they are
// small), configs and layers stream from the registry while the bundle is
// written, each checked against its digest as it is read.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "builder/image_source.hpp"
#include "manifests/reference.hpp"
#include "registry/registry_client.hpp"

namespace sealift::builder {

// One client per registry host, sharing the command line's transport options;
// credentials are the explicit ones, else those resolve_credentials finds for the host.
class RegistryConnections {
public:
    RegistryConnections(registry::RegistryOptions options, std::optional<registry::Credentials> credentials)
        : options_(std::move(options)), credentials_(std::move(credentials)) {}
    std::shared_ptr<registry::RegistryClient> client(const std::string& host);

private:
    registry::RegistryOptions options_;
    std::optional<registry::Credentials> credentials_;
    std::mutex mu_;
    std::map<std::string, std::shared_ptr<registry::RegistryClient>> clients_;
};

// The host to connect to for a reference's registry (Docker Hub's API lives elsewhere).
std::string registry_api_host(const std::string& registry);

struct RegistryPullSpec {
    std::string ref;                     // as written in the release
    std::vector<std::string> platforms;  // os/arch[/variant] kept from an index; empty: all
    std::optional<Digest> locked;        // from a lock file: pull this digest whatever the tag says
};

class RegistryImageSource : public ImageSource {
public:
    RegistryImageSource(std::shared_ptr<registry::RegistryClient> client, const RegistryPullSpec& spec);

    const std::vector<SourceImage>& images() const override { return images_; }
    std::unique_ptr<ByteSource> open_blob(const SourceBlob& blob) const override;
    std::string describe() const override { return "registry image " + ref_.str(); }
    // cosign's sha256-<hex>.sig and .att tags, and the referrers API or, where the
    // registry lacks it, the sha256-<hex> fallback tag's index.
    std::vector<SourceAttachment> attachments(const Digest& subject) const override;

private:
    // A manifest or index by tag or digest, its bytes kept; nullopt when the registry has none.
    std::optional<SourceBlob> fetch_manifest(const std::string& reference) const;
    void resolve(const RegistryPullSpec& spec);
    // An index keeping only the children whose platform the filter names.
    SourceBlob filter_platforms(const std::string& index_bytes, const SourceBlob& index,
                                const std::vector<std::string>& platforms);

    std::shared_ptr<registry::RegistryClient> client_;
    manifests::ImageReference ref_;
    std::vector<SourceImage> images_;
    mutable std::mutex mu_;
    mutable std::map<Digest, std::string> manifests_;  // digest -> exact bytes
};

}  // namespace sealift::builder
