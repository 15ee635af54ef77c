// What a client may put in a registry path, checked on the raw (undecoded)
// path: anything outside the grammar, including "..", "%2e" and empty
// components, is refused before it is looked up. The grammar of repository
// names, tags and hosts is manifests/reference.hpp's; this adds what only the
// registry API needs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sealift::mirror::server {

// A registry host as containerd sends it in ?ns= (already lower-cased): a host
// as references name it (manifests::domain_problem), at most 255 bytes.
bool valid_namespace_host(std::string_view host);

// /v2/<name>/<kind>/<reference>, split at the last two '/' (a reference never holds one).
struct RegistryPath {
    std::string name, kind, reference;  // kind: "manifests", "blobs", "tags", "referrers", "uploads", ...
};
std::optional<RegistryPath> split_registry_path(std::string_view path);

}  // namespace sealift::mirror::server
