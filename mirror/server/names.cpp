#include "mirror/server/names.hpp"

#include "manifests/reference.hpp"

namespace sealift::mirror::server {

// No stored key is longer than a repository name's 255 bytes, so neither is a namespace.
bool valid_namespace_host(std::string_view host) {
    return host.size() <= 255 && manifests::domain_problem(host).empty();
}

std::optional<RegistryPath> split_registry_path(std::string_view path) {
    if (!path.starts_with("/v2/")) return std::nullopt;
    path.remove_prefix(4);
    auto last = path.rfind('/');
    if (last == std::string_view::npos) return std::nullopt;
    auto kind_start = path.rfind('/', last == 0 ? 0 : last - 1);
    if (kind_start == std::string_view::npos || kind_start == 0 || last == 0) return std::nullopt;
    RegistryPath out;
    out.name = std::string(path.substr(0, kind_start));
    out.kind = std::string(path.substr(kind_start + 1, last - kind_start - 1));
    out.reference = std::string(path.substr(last + 1));
    return out;
}

}  // namespace sealift::mirror::server
