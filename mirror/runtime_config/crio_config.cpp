// CRI-O and podman: a registries.conf.d drop-in with one [[registry]] per
// upstream host (or repository) and the mirror as its [[registry.mirror]]; with
// a CA, certs.d/MIRROR/ca.crt as /etc/containers/certs.d expects it.
#include "mirror/runtime_config/writers.hpp"

namespace sealift::mirror::runtime_config {

std::vector<ConfigFile> crio_files(const MirrorPlan& plan) {
    std::string conf =
        std::string("# ") + generated_note + "\n# Install as /etc/containers/registries.conf.d/50-sealift.conf.\n";
    for (const auto& route : plan.routes) {
        conf += "\n[[registry]]\nprefix = " + toml_string(route.source) + "\nlocation = " + toml_string(route.source) +
                "\n# Tags resolve through the mirror too, not only digests.\nmirror-by-digest-only = false\n\n"
                "[[registry.mirror]]\nlocation = " +
                toml_string(mirror_location(plan, route)) + "\n";
        if (!plan.mirror.https) conf += "insecure = true\n";
    }
    std::vector<ConfigFile> files{{std::filesystem::path("registries.conf.d") / "50-sealift.conf", conf}};
    if (!plan.ca_pem.empty())
        files.push_back({std::filesystem::path("certs.d") / plan.mirror.authority / "ca.crt", plan.ca_pem});
    return files;
}

}  // namespace sealift::mirror::runtime_config
