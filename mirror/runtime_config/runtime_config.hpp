// `sealift mirror config`: the files that make a container runtime pull every
// upstream registry of the imported releases through the site's mirror, while
// workloads keep their original image references. A MirrorPlan says which
// upstream names the mirror answers for and under which repository path; one
// writer per runtime turns it into that runtime's files, deterministically.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "trust/trust.hpp"

namespace sealift::mirror::runtime_config {

enum class Runtime { containerd, crio, k3s, openshift };
// "containerd", "cri-o", "k3s" (also RKE2), "openshift"; a usage error naming --runtime otherwise.
Runtime parse_runtime(const std::string& name);

// --mirror: http(s)://HOST[:PORT][/PREFIX].
struct MirrorUrl {
    bool https = true;
    std::string authority;  // host[:port]
    std::string prefix;     // "" or "a/b": where a registry target keeps the imported repositories
    std::string origin() const { return (https ? "https://" : "http://") + authority; }
    static MirrorUrl parse(const std::string& text);
};

// One upstream name the mirror stands for.
struct Route {
    std::string source;  // a whole upstream host "HOST", or one repository "HOST/path"
    std::string target;  // the repository path on the mirror that `source` becomes ("" = the mirror's root)
};

struct MirrorPlan {
    MirrorUrl mirror;
    // The embedded mirror keeps "HOST/path" keys and finds them from containerd's ?ns=HOST,
    // so containerd-based runtimes need no path; the others ask for MIRROR/HOST/path.
    bool embedded = false;
    std::vector<std::string> hosts;  // sorted upstream hosts
    // Sorted by source. Per host either one route for the whole host (its repositories keep
    // their paths below one prefix) or one route per repository (rules moved them apart).
    std::vector<Route> routes;
    std::filesystem::path ca_file;  // "" = none; absolute otherwise
    std::string ca_pem;             // its content

    // Every route whose source is `host` or lies under it.
    std::vector<Route> routes_of(const std::string& host) const;
};

// The embedded mirror serving `store`: every upstream host its repositories come from.
MirrorPlan plan_for_store(const std::filesystem::path& store, const MirrorUrl& mirror);
// A registry the bundles were imported into: their signed manifests' images (signatures
// checked against `root`), mapped as `mirror import --rules` maps them. Refuses two images
// that land on one repository, naming both.
MirrorPlan plan_for_bundles(const std::vector<std::filesystem::path>& bundles, const trust::TrustRoot& root,
                            const MirrorUrl& mirror, const std::filesystem::path& rules_file = {});
// The same from original image names ("HOST/path").
MirrorPlan plan_for_images(const std::vector<std::string>& original_names, const MirrorUrl& mirror,
                           const std::filesystem::path& rules_file = {});
// Reads --ca-file into the plan (a PEM certificate, named in the error otherwise).
void set_ca_file(MirrorPlan& plan, const std::filesystem::path& ca_file);

struct ConfigFile {
    std::filesystem::path path;  // relative to the output folder
    std::string content;
};
// The runtime's files for the plan; errors name the runtime and what it cannot express.
std::vector<ConfigFile> render(Runtime runtime, const MirrorPlan& plan);

struct WrittenFile {
    std::filesystem::path path;
    bool changed;  // false: it already held these bytes
};
// Writes the files under `dir`. A different existing file is refused (before anything is
// written) unless `force`.
std::vector<WrittenFile> write_config_files(const std::filesystem::path& dir, const std::vector<ConfigFile>& files,
                                            bool force);

}  // namespace sealift::mirror::runtime_config
