// SiteContent over the OCI distribution API: HEAD for presence, GET for reading back.
#include <algorithm>

#include "core/json.hpp"
#include "manifests/oci.hpp"
#include "mirror/import/site_content.hpp"
#include "registry/registry_client.hpp"

namespace sealift::mirror {
namespace {

class RegistryContent : public SiteContent {
public:
    explicit RegistryContent(registry::RegistryClient& client) : client_(client) {}

    std::optional<Digest> resolve_tag(const std::string& repository, const std::string& tag) override {
        auto info = client_.head_manifest(repository, tag);
        if (!info) return std::nullopt;
        return info->digest;
    }

    bool has_manifest(const std::string& repository, const Digest& digest) override {
        return client_.head_manifest(repository, digest.str()).has_value();
    }

    bool has_blob(const std::string& repository, const Digest& digest) override {
        return client_.blob_exists(repository, digest);
    }

    std::vector<Digest> referrers(const std::string& repository, const Digest& subject) override {
        auto index = client_.referrer_index(repository, subject);
        if (!index) return {};
        std::string what = display_name(repository) + ": referrers of " + subject.str();
        auto listing =
            manifests::ImageIndex::from_json(parse_json_strict(*index, what), manifests::media_type::oci_index, what);
        std::vector<Digest> out;
        for (const auto& d : listing.manifests) out.push_back(d.digest);
        std::sort(out.begin(), out.end());
        return out;
    }

    void read_blob(const std::string& repository, const Digest& digest, std::uint64_t size, const Sink& sink) override {
        client_.read_blob(repository, digest, size, sink);
    }

    std::string read_manifest(const std::string& repository, const Digest& digest) override {
        std::string bytes;
        // The client checks the bytes against the digest asked for.
        if (!client_.get_manifest(repository, digest.str(), bytes))
            fail(Errc::registry, display_name(repository) + "@" + digest.str() + ": manifest not found");
        return bytes;
    }

    std::string display_name(const std::string& repository) const override { return client_.host() + "/" + repository; }

private:
    registry::RegistryClient& client_;
};

}  // namespace

std::unique_ptr<SiteContent> registry_content(registry::RegistryClient& client) {
    return std::make_unique<RegistryContent>(client);
}

}  // namespace sealift::mirror
