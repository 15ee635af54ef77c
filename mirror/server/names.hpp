// The distribution spec's grammar for what a client may put in a registry
// path, checked on the raw (undecoded) path: anything outside it, including
// "..", "%2e" and empty components, is refused before it is looked up.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sealift::mirror::server {

// [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*, at most 255 bytes.
bool valid_repository_name(std::string_view name);
// [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}
bool valid_tag(std::string_view tag);
// A registry host as containerd sends it in ?ns=: host name or IP, optional :port.
bool valid_namespace_host(std::string_view host);

// /v2/<name>/<kind>/<reference>, split at the last two '/' (a reference never holds one).
struct RegistryPath {
    std::string name, kind, reference;  // kind: "manifests", "blobs", "tags", "referrers", "uploads", ...
};
std::optional<RegistryPath> split_registry_path(std::string_view path);

}  // namespace sealift::mirror::server
