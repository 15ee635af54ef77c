// containerd: one certs.d/HOST/hosts.toml per upstream host (config_path in
// containerd's CRI config, or `ctr --hosts-dir`).
#include "core/error.hpp"
#include "mirror/runtime_config/writers.hpp"

namespace sealift::mirror::runtime_config {
namespace {

// Docker Hub's name in references is not the host its API answers on.
std::string upstream_server(const std::string& host) {
    return host == "docker.io" ? "https://registry-1.docker.io" : "https://" + host;
}

// The [host."..."] URL and whether containerd must use its path as is.
std::pair<std::string, bool> mirror_host(const MirrorPlan& plan, const std::string& host) {
    // containerd sends ?ns=HOST to a mirror: the embedded mirror finds "HOST/path" from it at its root.
    if (plan.embedded) return {plan.mirror.origin(), false};
    auto routes = plan.routes_of(host);
    if (routes.size() != 1 || routes.front().source != host) {
        std::string moved;
        for (const auto& r : routes) moved += (moved.empty() ? "" : ", ") + r.source + " -> " + r.target;
        fail(Errc::usage, "--runtime containerd: hosts.toml can move registry " + host +
                              " only below one path prefix, but the name mapping moves its repositories apart (" +
                              moved + "); use cri-o/k3s/openshift output or rules that keep " + host + "'s paths");
    }
    const std::string& prefix = routes.front().target;
    if (prefix.empty()) return {plan.mirror.origin(), false};
    return {plan.mirror.origin() + "/v2/" + prefix, true};
}

}  // namespace

std::vector<ConfigFile> containerd_files(const MirrorPlan& plan) {
    std::vector<ConfigFile> files;
    for (const auto& host : plan.hosts) {
        auto [url, override_path] = mirror_host(plan, host);
        std::string toml = std::string("# ") + generated_note + "\n# Pulls of " + host +
                           "/... go to the mirror first.\n" + "server = " + toml_string(upstream_server(host)) +
                           "\n\n[host." + toml_string(url) + "]\n" + "  capabilities = [\"pull\", \"resolve\"]\n";
        if (override_path) toml += "  override_path = true\n";
        if (!plan.ca_file.empty()) toml += "  ca = " + toml_string(plan.ca_file.string()) + "\n";
        files.push_back({std::filesystem::path("certs.d") / host / "hosts.toml", toml});
    }
    return files;
}

}  // namespace sealift::mirror::runtime_config
